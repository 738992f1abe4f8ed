package deliver

import (
	"context"
	"fmt"
	"time"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/models"
)

// published is what the reports publish for one digest's sites: the newest
// whole month by the end of the digest's period, and the month before,
// read through report.Build — the one place that chooses the hidden counts
// for every view a reader can ask for. A digest for anyone but staff
// carries these and nothing finer, so it tells a reader nothing the
// reports do not.
type published struct {
	month, previous Period
	now, prev       monthCounts
}

// monthCounts is one month's published counts.
type monthCounts struct {
	submissions privacy.Cell
	needs       map[string]privacy.Cell
	strengths   map[string]privacy.Cell
}

// wholeMonthBefore is the newest whole month that has ended by the end of
// day to (to itself when it is a month's last day).
func wholeMonthBefore(to models.Day) Period {
	t := to.AddDays(1).Time()
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 0, -1)
	start := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC)
	return Period{From: models.DayOf(start, time.UTC), To: models.DayOf(last, time.UTC)}
}

// publish reads the published counts for a digest's rule: its sites (every
// site when it names none; a set of sites no report offers shows nothing)
// and its needs (every need when it names none).
func (r *Router) publish(ctx context.Context, in digestInput, sites []models.Site) (published, error) {
	rep := report.New(r.Store.Database())
	rep.Now = r.Store.Now
	p := published{month: wholeMonthBefore(in.period.To)}
	p.previous = wholeMonthBefore(p.month.From.AddDays(-1))
	needs := in.rule.NeedCodes
	if len(needs) == 0 {
		needs = codesOf(in.needs)
	}
	var err error
	for _, m := range []struct {
		period Period
		into   *monthCounts
	}{{p.month, &p.now}, {p.previous, &p.prev}} {
		if *m.into, err = monthOf(ctx, rep, in, sites, m.period, needs); err != nil {
			return p, err
		}
	}
	return p, nil
}

func monthOf(ctx context.Context, rep *report.Reporter, in digestInput, sites []models.Site, month Period, needs []string) (monthCounts, error) {
	scope := report.Scope{OrgID: in.org.ID, SiteIDs: in.rule.SiteIDs, From: month.From, To: month.To,
		Period: report.PeriodMonth, MinCell: in.org.MinCell}
	out := monthCounts{}
	for _, m := range []struct {
		metric string
		codes  []string
		into   *map[string]privacy.Cell
	}{{report.MetricNeed, needs, &out.needs}, {report.MetricStrength, codesOf(in.strength), &out.strengths}} {
		t, err := rep.Build(ctx, scope, m.metric, report.ByPeriod, m.codes, nil, sites)
		if err != nil {
			return out, fmt.Errorf("digest counts %s: %w", m.metric, err)
		}
		*m.into = map[string]privacy.Cell{}
		for _, code := range m.codes {
			// A report of too few people shows nothing at all.
			(*m.into)[code] = privacy.Cell{Suppressed: t.TooFew}
		}
		for _, row := range t.Rows {
			if !t.TooFew {
				(*m.into)[row.Code] = row.Total
			}
		}
		out.submissions = t.RespondentsTotal
		if t.TooFew {
			out.submissions = privacy.Cell{Suppressed: true}
		}
	}
	return out, nil
}

func codesOf(cats []models.Category) []string {
	out := make([]string, len(cats))
	for i, c := range cats {
		out[i] = c.Code
	}
	return out
}

// exactCells is counts as staff see them.
func exactCells(counts map[string]int) map[string]privacy.Cell {
	out := make(map[string]privacy.Cell, len(counts))
	for code, n := range counts {
		out[code] = privacy.Cell{Value: n}
	}
	return out
}
