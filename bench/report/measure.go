package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/models"
)

// timing is one scenario's durations, warm-up excluded.
type timing struct {
	name  string
	times []time.Duration
}

// quantile is the nearest-rank quantile q (0 < q <= 1).
func (t timing) quantile(q float64) time.Duration {
	s := slices.Clone(t.times)
	slices.Sort(s)
	i := int(float64(len(s))*q+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func (t timing) median() time.Duration { return t.quantile(0.5) }
func (t timing) p95() time.Duration    { return t.quantile(0.95) }

// measure runs fn once to warm up, then runs times, and keeps the
// durations. Any error ends the benchmark: a failing report is not fast.
func measure(name string, runs int, fn func() error) (timing, error) {
	t := timing{name: name}
	if err := fn(); err != nil {
		return t, fmt.Errorf("%s: %w", name, err)
	}
	for range runs {
		start := time.Now()
		if err := fn(); err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		t.times = append(t.times, time.Since(start))
	}
	return t, nil
}

// scenario is one report the dashboard asks for.
type scenario struct {
	name string
	// query is the same report over HTTP.
	query string
	run   func(ctx context.Context) error
}

// scenarios are the dashboard's main reports over the last twelve whole
// months (the current one included): needs over time for all sites, needs
// with the sites side by side, needs over time at one site, priority
// points over time, and participation.
func scenarios(f *fixture, rep *report.Reporter, today models.Day) ([]scenario, error) {
	ctx := context.Background()
	t := today.Time()
	from := models.DayOf(time.Date(t.Year(), t.Month()-11, 1, 0, 0, 0, 0, time.UTC), time.UTC)
	scope := report.Scope{OrgID: f.org.ID, From: from, To: today, Period: report.PeriodMonth, MinCell: f.org.MinCell}
	one := scope
	one.SiteIDs = []string{f.sites[0].ID}
	cats, err := f.st.AllCategories(ctx, f.org.ID, models.KindNeed)
	if err != nil {
		return nil, err
	}
	codes, labels := []string{}, report.Labels{}
	for _, c := range cats {
		codes = append(codes, c.Code)
		labels[c.Code] = c.Labels
	}
	build := func(s report.Scope, metric, by string) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := rep.Build(ctx, s, metric, by, codes, labels, f.sites)
			return err
		}
	}
	q := fmt.Sprintf("from=%s&to=%s&period=month", scope.From, scope.To)
	return []scenario{
		{"needs by month, all sites", "/api/v1/reports/needs?" + q, build(scope, report.MetricNeed, report.ByPeriod)},
		{"needs by site", "/api/v1/reports/needs?by=site&" + q, build(scope, report.MetricNeed, report.BySite)},
		{"needs by month, one site", "/api/v1/reports/needs?site_id=" + f.sites[0].ID + "&" + q, build(one, report.MetricNeed, report.ByPeriod)},
		{"priority points by month", "/api/v1/reports/priorities?" + q, build(scope, report.MetricPriorityPoints, report.ByPeriod)},
		{"participation by month", "/api/v1/reports/participation?" + q, func(ctx context.Context) error {
			_, err := rep.Participation(ctx, scope, f.sites)
			return err
		}},
	}, nil
}

// measureAll times every scenario through the Reporter.
func measureAll(ctx context.Context, list []scenario, runs int) ([]timing, error) {
	var out []timing
	for _, s := range list {
		t, err := measure(s.name, runs, func() error { return s.run(ctx) })
		if err != nil {
			return out, err
		}
		out = append(out, t)
	}
	return out, nil
}

// measureHTTP times every scenario's endpoint end to end, with one
// keep-alive connection and an API token.
func measureHTTP(base, token string, list []scenario, runs int) ([]timing, error) {
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{Proxy: nil}}
	var out []timing
	for _, s := range list {
		t, err := measure(s.name, runs, func() error {
			req, err := http.NewRequest(http.MethodGet, base+s.query, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %s", s.query, resp.Status)
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		out = append(out, t)
	}
	return out, nil
}
