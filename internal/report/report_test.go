package report_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

type fixture struct {
	st    *store.Store
	rep   *report.Reporter
	db    *database.DB
	org   models.Organization
	shop  models.Site
	van   models.Site
	clock time.Time
	// truth counts what was submitted: needs chosen per site and need.
	truth map[string]map[string]int
	n     int
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, st: store.New(db), rep: report.New(db), clock: time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC),
		truth: map[string]map[string]int{}}
	f.st.Now = func() time.Time { return f.clock }
	f.rep.Now = func() time.Time { return f.clock }
	var err error
	if f.org, err = f.st.CreateOrganization(ctx, "Report Program"); err != nil {
		t.Fatal(err)
	}
	if f.shop, err = f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Storefront", Kind: "fixed", Setting: "urban", TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if f.van, err = f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
	return f
}

var needs = []string{"housing", "food", "naloxone", "sterile_supplies", "mental_health"}

// submitDays makes perDay submissions a day at both sites for days days,
// with random needs and priorities.
func (f *fixture) submitDays(t *testing.T, days, perDay int, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	kiosks := map[string]store.KioskAuth{}
	for _, site := range []models.Site{f.shop, f.van} {
		_, secret, err := f.st.ProvisionKiosk(ctx, f.org.ID, site.ID, "Tablet "+site.Name+fmt.Sprint(f.n))
		if err != nil {
			t.Fatal(err)
		}
		if kiosks[site.ID], err = f.st.KioskByToken(ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	for d := 0; d < days; d++ {
		for _, site := range []models.Site{f.shop, f.van} {
			for i := 0; i < perDay; i++ {
				f.n++
				var chosen []string
				for _, n := range needs {
					if rng.IntN(3) == 0 {
						chosen = append(chosen, n)
					}
				}
				prio := chosen
				if len(prio) > 3 {
					prio = prio[:3]
				}
				in := store.SubmissionInput{Language: "en", Needs: chosen, Priorities: prio, About: map[string]string{"age_band": "25_34"}}
				if _, err := f.st.Submit(ctx, kiosks[site.ID], fmt.Sprint("key-", f.n), []byte{1}, in); err != nil {
					t.Fatal(err)
				}
				if f.truth[site.ID] == nil {
					f.truth[site.ID] = map[string]int{}
				}
				for _, n := range chosen {
					f.truth[site.ID][n]++
				}
				f.truth[site.ID][""]++
			}
		}
		f.clock = f.clock.AddDate(0, 0, 1)
	}
}

func scopeOf(f *fixture, from, to string) report.Scope {
	a, _ := models.ParseDay(from)
	b, _ := models.ParseDay(to)
	return report.Scope{OrgID: f.org.ID, From: a, To: b, Period: report.PeriodMonth, MinCell: 11}
}

// Rolled-up days and fresh days give the same report, and deleting rolled
// submissions (retention) changes nothing.
func TestRollupsAgreeWithSubmissions(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.submitDays(t, 20, 4, rand.New(rand.NewPCG(1, 2)))
		scope := scopeOf(f, "2026-03-01", "2026-03-31")
		sites := []models.Site{f.shop, f.van}
		before, err := f.rep.Build(ctx, scope, report.MetricNeed, report.BySite, needs, nil, sites)
		if err != nil {
			t.Fatal(err)
		}
		pointsBefore, err := f.rep.Build(ctx, scope, report.MetricPriorityPoints, report.ByPeriod, needs, nil, sites)
		if err != nil {
			t.Fatal(err)
		}
		through, err := f.rep.Roll(ctx, f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := "2026-03-20"; through.String() != want {
			t.Fatalf("rolled through %s, want %s", through, want)
		}
		if _, err := f.rep.Roll(ctx, f.org.ID); err != nil { // idempotent
			t.Fatal(err)
		}
		after, err := f.rep.Build(ctx, scope, report.MetricNeed, report.BySite, needs, nil, sites)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("rollups changed the report:\n before %+v\n after  %+v", before, after)
		}
		// Exact against what was submitted (the counts are all ≥ 11 here).
		for i, row := range after.Rows {
			for j, site := range sites {
				if c := row.Cells[j]; !c.Suppressed && c.Value != f.truth[site.ID][row.Code] {
					t.Fatalf("%s at %s = %d, want %d", row.Code, site.Name, c.Value, f.truth[site.ID][row.Code])
				}
			}
			_ = i
		}
		if after.RespondentsTotal.Value != f.n {
			t.Fatalf("respondents %v, want %d", after.RespondentsTotal, f.n)
		}
		// Retention deletes rolled-up submissions: the report stays.
		if err := db.Exec("DELETE FROM submissions WHERE day < ?", through).Error; err != nil {
			t.Fatal(err)
		}
		kept, _ := f.rep.Build(ctx, scope, report.MetricNeed, report.BySite, needs, nil, sites)
		if fmt.Sprint(kept) != fmt.Sprint(after) {
			t.Fatalf("deleting rolled-up submissions changed the report")
		}
		pointsAfter, _ := f.rep.Build(ctx, scope, report.MetricPriorityPoints, report.ByPeriod, needs, nil, sites)
		if fmt.Sprint(pointsAfter) != fmt.Sprint(pointsBefore) {
			t.Fatalf("points changed:\n %+v\n %+v", pointsBefore, pointsAfter)
		}
	})
}

// No count from 1 to k-1 ever leaves a report, whatever the filters.
func TestReportsShowNoSmallCounts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.submitDays(t, 9, 2, rand.New(rand.NewPCG(3, 4))) // 36 submissions, small counts everywhere
		sites := []models.Site{f.shop, f.van}
		for _, period := range report.Periods {
			for _, siteIDs := range [][]string{nil, {f.shop.ID}, {f.van.ID}} {
				for _, metric := range []string{report.MetricNeed, report.MetricPriority, report.MetricPriorityPoints, report.MetricStrength} {
					for _, by := range []string{report.ByPeriod, report.BySite} {
						scope := scopeOf(f, "2026-02-20", "2026-03-15")
						scope.Period, scope.SiteIDs = period, siteIDs
						tb, err := f.rep.Build(ctx, scope, metric, by, needs, nil, sites)
						if err != nil {
							t.Fatal(err)
						}
						for _, c := range append(tb.Respondents, tb.RespondentsTotal) {
							if !c.Suppressed && c.Value > 0 && c.Value < 11 {
								t.Fatalf("%s/%s/%v: respondents %d shown", metric, period, siteIDs, c.Value)
							}
						}
						if metric == report.MetricPriorityPoints {
							continue // points are not people; their pattern follows MetricPriority
						}
						for _, row := range tb.Rows {
							for _, c := range append(row.Cells, row.Total) {
								if !c.Suppressed && c.Value > 0 && c.Value < 11 {
									t.Fatalf("%s by %s, %s, sites %v: %s shows %d", metric, by, period, siteIDs, row.Code, c.Value)
								}
							}
						}
					}
				}
			}
			p, err := f.rep.Participation(ctx, scopeOf(f, "2026-02-20", "2026-03-15"), sites)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range p.Sites {
				for _, c := range append(row.Cells, row.Total) {
					if !c.Suppressed && c.Value > 0 && c.Value < 11 {
						t.Fatalf("participation shows %d", c.Value)
					}
				}
			}
		}
		// Asked for one week, a report covers its whole month: March at the
		// van is 18 people. With k = 20 that is too few to show anything.
		scope := scopeOf(f, "2026-03-09", "2026-03-09")
		scope.Period, scope.SiteIDs, scope.MinCell = report.PeriodWeek, []string{f.van.ID}, 20
		tb, _ := f.rep.Build(ctx, scope, report.MetricNeed, report.ByPeriod, needs, nil, sites)
		if !tb.TooFew || !tb.RespondentsTotal.Suppressed || len(tb.Rows) != 0 || tb.From.String() != "2026-03-01" || tb.To.String() != "2026-03-31" {
			t.Fatalf("one week at the van: %+v", tb)
		}
		if len(tb.Columns) != 6 || tb.Columns[0].Key != "2026-03-01" || tb.Columns[1].Key != "2026-03-02" || tb.Columns[5].Key != "2026-03-30" {
			t.Fatalf("March cut into weeks: %+v", tb.Columns)
		}
	})
}

// Retention deletes old submissions and their words, never a day that is
// not rolled up, and the report over those days stays the same.
func TestRetentionKeepsAggregates(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.submitDays(t, 40, 6, rand.New(rand.NewPCG(5, 6)))
		scope := scopeOf(f, "2026-03-01", "2026-04-30")
		sites := []models.Site{f.shop, f.van}
		before, err := f.rep.Build(ctx, scope, report.MetricNeed, report.ByPeriod, needs, nil, sites)
		if err != nil {
			t.Fatal(err)
		}
		days := 30
		f.org.RetentionDays = &days
		// Nothing rolled up yet: nothing may go.
		if n, err := f.rep.Retain(ctx, f.org); err != nil || n != 0 {
			t.Fatalf("retention before any rollup deleted %d (%v)", n, err)
		}
		if _, err := f.rep.Roll(ctx, f.org.ID); err != nil {
			t.Fatal(err)
		}
		n, err := f.rep.Retain(ctx, f.org)
		if err != nil {
			t.Fatal(err)
		}
		// 11 April today; cutoff 12 March: 10 days × 2 sites × 6.
		if n != 120 {
			t.Fatalf("deleted %d submissions, want 120", n)
		}
		var oldest string
		db.Raw("SELECT MIN(day) FROM submissions").Scan(&oldest)
		if oldest[:10] != "2026-03-12" {
			t.Fatalf("oldest kept day %s, want 2026-03-12", oldest)
		}
		after, _ := f.rep.Build(ctx, scope, report.MetricNeed, report.ByPeriod, needs, nil, sites)
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("retention changed the report:\n %+v\n %+v", before, after)
		}
	})
}

// Meetings are shown as held; the people in them are suppressed like any
// count of people.
func TestSessionsReport(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.st.Now = time.Now
		sess, err := f.st.CreateLiveSession(ctx, f.org.ID, "", store.LiveSessionInput{SiteID: f.van.ID, Title: "Van meeting", Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.st.CreateRound(ctx, f.org.ID, sess.ID, store.RoundInput{Kind: "agree", Prompt: "More hours?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.SetRoundState(ctx, f.org.ID, r.ID, store.ActionOpen); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if _, _, err := f.st.CommitVotes(ctx, []store.VoteInput{{SessionID: sess.ID, RoundID: r.ID, ParticipantID: models.NewID(),
				TokenHash: []byte(fmt.Sprint("token-", i)), VoteID: models.NewID(), Choice: []byte(`"agree"`)}}); err != nil {
				t.Fatal(err)
			}
		}
		today := models.DayOf(time.Now(), time.UTC)
		scope := report.Scope{OrgID: f.org.ID, From: today, To: today, Period: report.PeriodMonth, MinCell: 11}
		got, err := f.rep.Sessions(ctx, scope, []models.Site{f.shop, f.van})
		if err != nil {
			t.Fatal(err)
		}
		if got.Meetings[1].Total != 1 || got.Meetings[0].Total != 0 {
			t.Fatalf("meetings = %+v", got.Meetings)
		}
		if !got.TooFew || !got.Participants[1].Total.Suppressed {
			t.Fatalf("3 people were shown: %+v", got.Participants)
		}
	})
}

// No two reports a reader can ask for — a range and a narrower range of
// whole months inside it, month by month or week by week, all sites and
// one site — show totals that differ by 1 to k-1: the subtraction would
// give away a small count.
func TestReportsResistSubtraction(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.clock = time.Date(2026, 1, 1, 17, 0, 0, 0, time.UTC)
		f.submitDays(t, 90, 2, rand.New(rand.NewPCG(7, 8)))
		sites := []models.Site{f.shop, f.van}
		type key struct{ from, to, site, code string }
		totals := map[key]int{}
		read := func(from, to, period string, siteIDs []string) {
			scope := scopeOf(f, from, to)
			scope.Period, scope.SiteIDs = period, siteIDs
			tb, err := f.rep.Build(ctx, scope, report.MetricNeed, report.ByPeriod, needs, nil, sites)
			if err != nil {
				t.Fatal(err)
			}
			site := "all"
			if len(siteIDs) == 1 {
				site = siteIDs[0]
			}
			if !tb.RespondentsTotal.Suppressed {
				totals[key{tb.From.String(), tb.To.String(), site, ""}] = tb.RespondentsTotal.Value
			}
			for _, row := range tb.Rows {
				if !row.Total.Suppressed {
					totals[key{tb.From.String(), tb.To.String(), site, row.Code}] = row.Total.Value
				}
			}
		}
		months := []string{"2026-01-15", "2026-02-15", "2026-03-15"}
		for _, siteIDs := range [][]string{nil, {f.shop.ID}, {f.van.ID}} {
			for i, a := range months {
				for _, b := range months[i:] {
					read(a, b, report.PeriodMonth, siteIDs)
					read(a, b, report.PeriodWeek, siteIDs)
				}
			}
		}
		shown := 0
		for k1, v1 := range totals {
			for k2, v2 := range totals {
				if k1.code != k2.code || k1 == k2 {
					continue
				}
				sameSites := k1.site == k2.site
				sameDays := k1.from == k2.from && k1.to == k2.to
				inside := k1.from <= k2.from && k2.to <= k1.to
				narrower := (sameSites && inside) || (sameDays && k1.site == "all")
				if !narrower {
					continue
				}
				shown++
				if d := v1 - v2; d > 0 && d < 11 {
					t.Fatalf("%+v shows %d and %+v shows %d: the difference %d points at people", k1, v1, k2, v2, d)
				}
			}
		}
		if shown == 0 {
			t.Fatal("no pair of reports was compared")
		}
	})
}

// Retention deletes a live meeting's comments older than the setting once
// the meeting has ended; newer ones, and those of a meeting still open,
// stay.
func TestRetentionDeletesOldComments(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		comment := func(title string) string {
			sess, err := f.st.CreateLiveSession(ctx, f.org.ID, "", store.LiveSessionInput{SiteID: f.shop.ID, Title: title, Language: "en"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := f.st.CreateRound(ctx, f.org.ID, sess.ID, store.RoundInput{Kind: tally.Comment, Prompt: "Anything else?"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.st.SetRoundState(ctx, f.org.ID, r.ID, store.ActionOpen); err != nil {
				t.Fatal(err)
			}
			if _, err := f.st.CommitComment(ctx, store.CommentInput{SessionID: sess.ID, RoundID: r.ID, ParticipantID: models.NewID(),
				TokenHash: []byte(title), CommentID: "c", Text: "More chairs, please."}); err != nil {
				t.Fatal(err)
			}
			return sess.ID
		}
		ended := comment("Old meeting")
		if _, _, err := f.st.EndLiveSession(ctx, f.org.ID, ended); err != nil {
			t.Fatal(err)
		}
		comment("Still open")
		f.clock = f.clock.AddDate(0, 0, 20)
		recent := comment("Recent meeting")
		if _, _, err := f.st.EndLiveSession(ctx, f.org.ID, recent); err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.AddDate(0, 0, 20)
		f.rep.Now = func() time.Time { return f.clock }
		days := 30
		f.org.RetentionDays = &days
		if _, err := f.rep.Retain(ctx, f.org); err != nil {
			t.Fatal(err)
		}
		var left []string
		if err := db.Table("feedback_texts").Joins("JOIN live_rounds ON live_rounds.id = feedback_texts.live_round_id").
			Joins("JOIN live_sessions ON live_sessions.id = live_rounds.session_id").Order("live_sessions.title").
			Pluck("live_sessions.title", &left).Error; err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(left) != "[Recent meeting Still open]" {
			t.Fatalf("comments kept: %v", left)
		}
	})
}
