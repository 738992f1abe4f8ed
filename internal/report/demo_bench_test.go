package report_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/demo"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// BenchmarkDemoReports times the dashboard's default reports (the last
// twelve complete months of the demo, for the whole program) as the server
// builds them; docs/suppression.md quotes it:
//
//	go test ./internal/report -run '^$' -bench DemoReports -benchtime 10x
func BenchmarkDemoReports(b *testing.B) {
	db := testutil.NewDB(b, database.SQLite)
	now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	res, err := demo.Seed(b.Context(), db, now)
	if err != nil {
		b.Fatal(err)
	}
	st, rep := store.New(db), report.New(db)
	st.Now, rep.Now = func() time.Time { return now }, func() time.Time { return now }
	if _, err := rep.Roll(b.Context(), res.Organization.ID); err != nil {
		b.Fatal(err)
	}
	codes := func(kind string) []string {
		var out []string
		for _, c := range catalog.Categories(res.Organization.ID) {
			if c.Kind == kind {
				out = append(out, c.Code)
			}
		}
		return out
	}
	from, to := models.DayOf(time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), time.UTC), models.DayOf(time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), time.UTC)
	scope := report.Scope{OrgID: res.Organization.ID, From: from, To: to, Period: report.PeriodMonth, MinCell: res.Organization.MinCell}
	for _, c := range []struct {
		name, metric, kind, by string
	}{
		{"needs by month", report.MetricNeed, models.KindNeed, report.ByPeriod},
		{"needs by site", report.MetricNeed, models.KindNeed, report.BySite},
		{"priorities by month", report.MetricPriorityPoints, models.KindNeed, report.ByPeriod},
		{"strengths by month", report.MetricStrength, models.KindStrength, report.ByPeriod},
		{"needs by week", report.MetricNeed, models.KindNeed, "week"},
	} {
		for _, cold := range []bool{true, false} {
			name := c.name + ", patterns remembered"
			if cold {
				name = c.name + ", cold"
			}
			b.Run(name, func(b *testing.B) {
				defer cpuPerOp(b)()
				scope := scope
				if c.by == "week" {
					c.by, scope.Period = report.ByPeriod, report.PeriodWeek
				}
				for b.Loop() {
					if cold {
						report.ForgetPatterns()
					}
					if _, err := rep.Build(b.Context(), scope, c.metric, c.by, codes(c.kind), nil, res.Sites); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("participation", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			if _, err := rep.Participation(b.Context(), scope, res.Sites); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("about", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			if _, err := rep.About(b.Context(), scope, catalog.About, res.Sites); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuPerOp reports the process's CPU time per operation (cpu-ms/op): on a
// busy shared machine the wall time mostly measures waiting for a core.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpu()-start)/float64(b.N)/1e6, "cpu-ms/op")
		}
	}
}
