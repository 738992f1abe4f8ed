package report_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// submitAbout makes one submission per band given (an empty band: the
// question skipped) at a site, all on the fixture's day.
func (f *fixture) submitAbout(t *testing.T, site models.Site, question string, bands map[string]int) {
	t.Helper()
	ctx := context.Background()
	_, secret, err := f.st.ProvisionKiosk(ctx, f.org.ID, site.ID, "About "+site.Name+fmt.Sprint(f.n))
	if err != nil {
		t.Fatal(err)
	}
	ka, err := f.st.KioskByToken(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	for band, n := range bands {
		for range n {
			f.n++
			in := store.SubmissionInput{Language: "en", Needs: []string{"food"}, About: map[string]string{}}
			if band != "" {
				in.About[question] = band
			}
			if _, err := f.st.Submit(ctx, ka, fmt.Sprint("about-", f.n), []byte{1}, in); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// equations is what a reader who asks for many views knows: one equation
// per shown count, over unknowns named by the test.
type equations struct {
	names map[string]int
	rows  [][]*big.Rat
}

func (e *equations) add(value int, terms ...string) {
	if e.names == nil {
		e.names = map[string]int{}
	}
	for _, n := range terms {
		if _, ok := e.names[n]; !ok {
			e.names[n] = len(e.names)
		}
	}
	row := map[int]int64{}
	for _, n := range terms {
		row[e.names[n]]++
	}
	r := make([]*big.Rat, 64)
	for i := range r {
		r[i] = new(big.Rat)
	}
	for i, c := range row {
		r[i].SetInt64(c)
	}
	r[63].SetInt64(int64(value))
	e.rows = append(e.rows, r)
}

// fixed reports whether the equations pin unknown name to one value.
func (e *equations) fixed(name string) bool {
	i, ok := e.names[name]
	if !ok {
		return false
	}
	rank := func(extra bool) int {
		var m [][]*big.Rat
		for _, r := range e.rows {
			c := make([]*big.Rat, 63)
			for j := range c {
				c[j] = new(big.Rat).Set(r[j])
			}
			m = append(m, c)
		}
		if extra {
			c := make([]*big.Rat, 63)
			for j := range c {
				c[j] = new(big.Rat)
			}
			c[i].SetInt64(1)
			m = append(m, c)
		}
		return rankOf(m)
	}
	return rank(false) == rank(true)
}

func rankOf(m [][]*big.Rat) int {
	rank := 0
	for col := 0; col < len(m[0]) && rank < len(m); col++ {
		p := -1
		for r := rank; r < len(m); r++ {
			if m[r][col].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			continue
		}
		m[rank], m[p] = m[p], m[rank]
		for r := range m {
			if r != rank && m[r][col].Sign() != 0 {
				f := new(big.Rat).Quo(m[r][col], m[rank][col])
				for c := range m[r] {
					m[r][c].Sub(m[r][c], new(big.Rat).Mul(f, m[rank][c]))
				}
			}
		}
		rank++
	}
	return rank
}

// TestAboutResistsCombiningSites is issue 12's example: site C1 has man 12,
// woman 11 and one person who skipped the question; C2 man 14, woman 8,
// nonbinary 15. A policymaker asks for the organization's "about you"
// report, each site's, and participation; no small count (C2's 8 women,
// C1's 1 "no answer") may follow from what is shown.
func TestAboutResistsCombiningSites(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.clock = time.Date(2026, 1, 10, 17, 0, 0, 0, time.UTC)
		f.submitAbout(t, f.shop, "gender", map[string]int{"man": 12, "woman": 11, "": 1})
		f.submitAbout(t, f.van, "gender", map[string]int{"man": 14, "woman": 8, "nonbinary": 15})
		f.clock = time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)
		sites := []models.Site{f.shop, f.van}
		var eq equations
		bands := catalog.About["gender"]
		for _, view := range [][]models.Site{sites, {f.shop}, {f.van}} {
			scope := scopeOf(f, "2026-01-01", "2026-01-31")
			var ids []string
			for _, s := range view {
				if len(view) == 1 {
					scope.SiteIDs = []string{s.ID}
				}
				ids = append(ids, s.ID)
			}
			qs, err := f.rep.About(ctx, scope, map[string][]string{"gender": bands}, sites)
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.rep.Participation(ctx, scope, sites)
			if err != nil {
				t.Fatal(err)
			}
			terms := func(band string) []string {
				var out []string
				for _, id := range ids {
					out = append(out, id+":"+band)
				}
				return out
			}
			var answered, everyone []string
			for i, b := range qs[0].Bands {
				answered = append(answered, terms(bands[i])...)
				if !b.Total.Suppressed {
					eq.add(b.Total.Value, terms(bands[i])...)
				}
			}
			if !qs[0].Answered.Suppressed {
				eq.add(qs[0].Answered.Value, answered...)
			}
			everyone = append(answered, terms("none")...)
			if !p.Total.Suppressed {
				eq.add(p.Total.Value, everyone...)
			}
		}
		for _, small := range []string{f.van.ID + ":woman", f.shop.ID + ":none"} {
			if eq.fixed(small) {
				t.Errorf("%s is worked out from the reports shown", small)
			}
		}
	})
}

// meeting holds a live session at a site today in which n people vote.
func (f *fixture) meeting(t *testing.T, site models.Site, n int) {
	t.Helper()
	ctx := context.Background()
	sess, err := f.st.CreateLiveSession(ctx, f.org.ID, "", store.LiveSessionInput{SiteID: site.ID, Title: "Meeting at " + site.Name, Language: "en"})
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
	var votes []store.VoteInput
	for i := range n {
		votes = append(votes, store.VoteInput{SessionID: sess.ID, RoundID: r.ID, ParticipantID: models.NewID(),
			TokenHash: []byte(fmt.Sprint(site.ID, "-token-", i)), VoteID: models.NewID(), Choice: []byte(`"agree"`)})
	}
	if _, _, err := f.st.CommitVotes(ctx, votes); err != nil {
		t.Fatal(err)
	}
}

// TestSessionsResistCombiningSites: 12 people voted at the storefront's
// meetings and 4 at the van's. The organization's sessions report (16) minus
// the storefront's (12) would give the van's 4; one pattern for every view
// hides one of them.
func TestSessionsResistCombiningSites(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.st.Now = time.Now
		f.meeting(t, f.shop, 12)
		f.meeting(t, f.van, 4)
		today := models.DayOf(time.Now(), time.UTC)
		sites := []models.Site{f.shop, f.van}
		var eq equations
		for _, view := range [][]string{nil, {f.shop.ID}, {f.van.ID}} {
			scope := report.Scope{OrgID: f.org.ID, SiteIDs: view, From: today, To: today, Period: report.PeriodMonth, MinCell: 11}
			got, err := f.rep.Sessions(ctx, scope, sites)
			if err != nil {
				t.Fatal(err)
			}
			ids := view
			if ids == nil {
				ids = []string{f.shop.ID, f.van.ID}
			}
			if !got.Total.Suppressed {
				eq.add(got.Total.Value, ids...)
			}
			for _, row := range got.Participants {
				if !row.Total.Suppressed {
					eq.add(row.Total.Value, row.Code)
				}
			}
		}
		if eq.fixed(f.van.ID) {
			t.Error("the van's 4 voters are worked out from the sessions reports shown")
		}
	})
}

// submitNeeds makes n submissions naming need at a site, on the fixture's day.
func (f *fixture) submitNeeds(t *testing.T, site models.Site, need string, n int) {
	t.Helper()
	ctx := context.Background()
	_, secret, err := f.st.ProvisionKiosk(ctx, f.org.ID, site.ID, fmt.Sprint("Needs ", site.Name, f.n))
	if err != nil {
		t.Fatal(err)
	}
	ka, err := f.st.KioskByToken(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		f.n++
		if _, err := f.st.Submit(ctx, ka, fmt.Sprint("needs-", f.n), []byte{1}, store.SubmissionInput{Language: "en", Needs: []string{need}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNeedsResistCombiningViews fills random small tables — two sites,
// three months, two needs, some counts from 1 to 5 — and reads the needs
// report as a reader can: every range of whole months, for the
// organization and each site, by month and by site. Solving every shown
// count's equation exactly must pin no count from 1 to k−1. Reports
// protected table by table failed this (the storefront's 1 in January,
// from the organization's total minus what its own report showed); so did
// one linked table per report (the January report and the January–February
// report chose different complements for January); publishing month by
// month passes.
func TestNeedsResistCombiningViews(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		r := rand.New(rand.NewPCG(1, 2))
		f := newFixture(t, db)
		ctx := context.Background()
		for it := range 10 {
			if it > 0 {
				f.freshProgram(t, fmt.Sprint("Views ", it))
			}
			counts := map[string]int{}
			for m := 1; m <= 3; m++ {
				f.clock = time.Date(2026, time.Month(m), 10, 17, 0, 0, 0, time.UTC)
				for _, s := range []models.Site{f.shop, f.van} {
					for _, need := range []string{"housing", "food"} {
						n := r.IntN(25)
						if r.IntN(3) == 0 {
							n = 1 + r.IntN(5)
						}
						counts[fmt.Sprint(s.ID, ":", need, m)] = n
						f.submitNeeds(t, s, need, n)
					}
				}
			}
			f.clock = time.Date(2026, 5, 2, 17, 0, 0, 0, time.UTC)
			var eq equations
			f.eachView([][2]int{{1, 3}, {1, 2}, {2, 3}, {1, 1}, {2, 2}, {3, 3}}, func(v readerView) {
				terms := func(code string, sites []string, months ...int) []string {
					return monthTerms(sites, months, func(s string, m int) []string { return []string{fmt.Sprint(s, ":", code, m)} })
				}
				for _, by := range []string{report.ByPeriod, report.BySite} {
					tb, err := f.rep.Build(ctx, v.scope, report.MetricNeed, by, []string{"housing", "food"}, nil, []models.Site{f.shop, f.van})
					if err != nil {
						t.Fatal(err)
					}
					for _, row := range tb.Rows {
						if !row.Total.Suppressed {
							eq.add(row.Total.Value, terms(row.Code, v.ids, v.months...)...)
						}
						for j, c := range row.Cells {
							switch {
							case c.Suppressed:
							case by == report.BySite:
								eq.add(c.Value, terms(row.Code, []string{tb.Columns[j].Key}, v.months...)...)
							default:
								eq.add(c.Value, terms(row.Code, v.ids, v.months[j])...)
							}
						}
					}
				}
			})
			for name, v := range counts {
				if v > 0 && v < 11 && eq.fixed(name) {
					t.Errorf("table %d: %s = %d is worked out from the needs reports shown (counts %v)", it, name, v, counts)
				}
			}
		}
	})
}

// TestChannelsResistCombiningViews: random kiosk and own-phone counts at two
// sites over two months. A reader reads participation and the channels
// report for every range of whole months, for the organization and each
// site; no small count of either channel may be worked out. Channels
// protected as a table of their own beside participation gave a small
// channel away (participation minus the other channel); one monthly table
// for both passes.
func TestChannelsResistCombiningViews(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		r := rand.New(rand.NewPCG(3, 4))
		f := newFixture(t, db)
		ctx := context.Background()
		for it := range 8 {
			if it > 0 {
				f.freshProgram(t, fmt.Sprint("Channels ", it))
			}
			counts := map[string]int{}
			for m := 1; m <= 2; m++ {
				f.clock = time.Date(2026, time.Month(m), 10, 17, 0, 0, 0, time.UTC)
				for _, s := range []models.Site{f.shop, f.van} {
					for _, ch := range models.Channels {
						n := r.IntN(25)
						if r.IntN(3) == 0 {
							n = 1 + r.IntN(5)
						}
						counts[fmt.Sprint(s.ID, ":", ch, m)] = n
						src := store.Source{OrganizationID: f.org.ID, Site: s, Channel: ch}
						for range n {
							f.n++
							if _, err := f.st.SubmitFrom(ctx, src, fmt.Sprint("ch-", f.n), []byte{1}, store.SubmissionInput{Language: "en", Needs: []string{"food"}}); err != nil {
								t.Fatal(err)
							}
						}
					}
				}
			}
			f.clock = time.Date(2026, 4, 2, 17, 0, 0, 0, time.UTC)
			var eq equations
			terms := func(ch string, sites []string, months ...int) []string {
				return monthTerms(sites, months, func(s string, m int) []string {
					if ch != "" {
						return []string{fmt.Sprint(s, ":", ch, m)}
					}
					var all []string
					for _, c := range models.Channels {
						all = append(all, fmt.Sprint(s, ":", c, m))
					}
					return all
				})
			}
			f.eachView([][2]int{{1, 2}, {1, 1}, {2, 2}}, func(v readerView) {
				got, err := f.rep.Channels(ctx, v.scope, []models.Site{f.shop, f.van})
				if err != nil {
					t.Fatal(err)
				}
				if !got.Total.Suppressed {
					eq.add(got.Total.Value, terms("", v.ids, v.months...)...)
				}
				for j, c := range got.PerPeriod {
					if !c.Suppressed {
						eq.add(c.Value, terms("", v.ids, v.months[j])...)
					}
				}
				for _, row := range got.Channels {
					if !row.Total.Suppressed {
						eq.add(row.Total.Value, terms(row.Code, v.ids, v.months...)...)
					}
					for j, c := range row.Cells {
						if !c.Suppressed {
							eq.add(c.Value, terms(row.Code, v.ids, v.months[j])...)
						}
					}
				}
				p, err := f.rep.Participation(ctx, v.scope, []models.Site{f.shop, f.van})
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range p.Sites {
					if !row.Total.Suppressed {
						eq.add(row.Total.Value, terms("", []string{row.Code}, v.months...)...)
					}
					for j, c := range row.Cells {
						if !c.Suppressed {
							eq.add(c.Value, terms("", []string{row.Code}, v.months[j])...)
						}
					}
				}
			})
			for name, v := range counts {
				if v > 0 && v < 11 && eq.fixed(name) {
					t.Errorf("table %d: %s = %d is worked out from the reports shown (counts %v)", it, name, v, counts)
				}
			}
		}
	})
}

// readerView is one view a reader can ask for: a range of whole months of
// 2026, for the organization (siteIDs nil) or one site.
type readerView struct {
	scope  report.Scope
	ids    []string // the sites the view covers
	months []int    // the months it covers, in order
}

// eachView calls fn with every view a reader can ask for: each range of
// whole months in ranges, for the organization and for each site.
func (f *fixture) eachView(ranges [][2]int, fn func(readerView)) {
	for _, rng := range ranges {
		var months []int
		for m := rng[0]; m <= rng[1]; m++ {
			months = append(months, m)
		}
		from := time.Date(2026, time.Month(rng[0]), 1, 0, 0, 0, 0, time.UTC)
		to := time.Date(2026, time.Month(rng[1])+1, 0, 0, 0, 0, 0, time.UTC)
		for _, view := range [][]string{nil, {f.shop.ID}, {f.van.ID}} {
			ids := view
			if ids == nil {
				ids = []string{f.shop.ID, f.van.ID}
			}
			scope := scopeOf(f, from.Format(time.DateOnly), to.Format(time.DateOnly))
			scope.SiteIDs = view
			fn(readerView{scope: scope, ids: ids, months: months})
		}
	}
}

// monthTerms names the unknown counts a shown cell sums: names(site, month)
// for each of the sites and months.
func monthTerms(sites []string, months []int, names func(site string, m int) []string) []string {
	var out []string
	for _, s := range sites {
		for _, m := range months {
			out = append(out, names(s, m)...)
		}
	}
	return out
}

// freshProgram gives the fixture a new organization with a storefront and
// a van, for a test that fills many tables in one database.
func (f *fixture) freshProgram(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	var err error
	if f.org, err = f.st.CreateOrganization(ctx, name); err != nil {
		t.Fatal(err)
	}
	if f.shop, err = f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Storefront", Kind: "fixed", Setting: "urban", TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if f.van, err = f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
}
