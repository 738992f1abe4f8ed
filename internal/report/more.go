package report

import (
	"context"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// PeriodTotals is what the participation and channel reports share: the view
// (its periods as columns, its days, the privacy limit) and how many
// submissions each period had and all of them, as the participation report
// shows them.
type PeriodTotals struct {
	Columns   []Column       `json:"columns"`
	PerPeriod []privacy.Cell `json:"per_period"`
	Total     privacy.Cell   `json:"total"`
	TooFew    bool           `json:"too_few"`
	MinCell   int            `json:"min_cell"`
	From      models.Day     `json:"from"`
	To        models.Day     `json:"to"`
	Period    string         `json:"period"`
}

// Participation is how many submissions each site had in each period: a
// table whose rows and columns both add up, so both show totals and the
// suppression protects them across the whole table.
type Participation struct {
	PeriodTotals
	Sites []Row `json:"sites"`
}

// sitesIn returns the sites a scope reports on, in the order given.
func sitesIn(scope Scope, sites []models.Site) []models.Site {
	var in []models.Site
	for _, s := range sites {
		if len(scope.SiteIDs) == 0 || slices.Contains(scope.SiteIDs, s.ID) {
			in = append(in, s)
		}
	}
	return in
}

// Participation counts submissions by site and period.
func (r *Reporter) Participation(ctx context.Context, scope Scope, sites []models.Site) (Participation, error) {
	starts := scope.Snap()
	p := Participation{PeriodTotals: PeriodTotals{MinCell: privacy.MinK(scope.MinCell), From: scope.From, To: scope.To, Period: scope.Period}, Sites: []Row{}}
	for _, d := range starts {
		p.Columns = append(p.Columns, Column{Key: d.String()})
	}
	rows := sitesIn(scope, sites)
	whole, byPeriod, err := r.participation(ctx, scope, sites, starts)
	if err != nil {
		return Participation{}, err
	}
	ids := make([]string, len(rows))
	for i, s := range rows {
		ids[i] = s.ID
	}
	p.Total = whole.cell(ids, 0)
	if p.TooFew = whole.sum(ids) < p.MinCell; p.TooFew {
		p.Total = privacy.Cell{Suppressed: true}
	}
	for j := range starts {
		p.PerPeriod = append(p.PerPeriod, byPeriod.cell(ids, j))
	}
	for _, s := range rows {
		row := Row{Code: s.ID, Label: models.Text{"en": s.Name, "es": s.Name}, Total: whole.cell([]string{s.ID}, 0)}
		for j := range starts {
			row.Cells = append(row.Cells, byPeriod.cell([]string{s.ID}, j))
		}
		row.Share = privacy.Share(row.Total, p.Total)
		p.Sites = append(p.Sites, row)
	}
	if p.TooFew {
		p.PerPeriod = hideCells(p.PerPeriod)
		for i := range p.Sites {
			p.Sites[i].Cells, p.Sites[i].Total, p.Sites[i].Share = hideCells(p.Sites[i].Cells), privacy.Cell{Suppressed: true}, privacy.Percent{Suppressed: true}
		}
	}
	return p, nil
}

// Question is the answers to one "about you" question: each band and
// those who answered.
type Question struct {
	Question string `json:"question"`
	Bands    []Row  `json:"bands"`
	// Answered is how many submissions answered the question at all
	// ("prefer not to say" is not an answer and is not counted).
	Answered privacy.Cell `json:"answered"`
	TooFew   bool         `json:"too_few"`
}

// About counts the "about you" answers over the scope, one suppressed list
// per question (bands add up to those who answered).
func (r *Reporter) About(ctx context.Context, scope Scope, questions map[string][]string, sites []models.Site) ([]Question, error) {
	starts := scope.Snap()
	scopeSites := scope.SiteIDs
	if len(scopeSites) == 0 {
		for _, s := range sites {
			scopeSites = append(scopeSites, s.ID)
		}
	}
	counts, err := r.Counts(ctx, scope.OrgID, MetricAbout, nil, scope.From, scope.To)
	if err != nil {
		return nil, err
	}
	whole, _, err := r.participation(ctx, scope, sites, starts)
	if err != nil {
		return nil, err
	}
	k := privacy.MinK(scope.MinCell)
	g := newGuard(k, scope.From, scope.To, counts, nil)
	a, b := span{starts: starts, scope: scope}.period(len(starts))
	names := make([]string, 0, len(questions))
	for q := range questions {
		names = append(names, q)
	}
	slices.Sort(names)
	out := []Question{}
	for _, q := range names {
		bands := questions[q]
		codes := make([]string, len(bands))
		for i, band := range bands {
			codes[i] = q + ":" + band
		}
		f := aboutFamily(k, sites, counts, codes, whole, func(s []string, set int) bool {
			if set < len(codes) {
				return g.leaksMonths(codes[set:set+1], s, a, b)
			}
			return set == len(codes) && g.leaksMonths(codes, s, a, b)
		})
		answered := f.cell(scopeSites, len(codes))
		question := Question{Question: q, Answered: answered, Bands: []Row{}}
		question.TooFew = whole.sum(scopeSites) < k
		for i, band := range bands {
			cell := f.cell(scopeSites, i)
			if question.TooFew {
				cell = privacy.Cell{Suppressed: true}
			}
			question.Bands = append(question.Bands, Row{Code: strings.TrimSpace(band), Cells: []privacy.Cell{cell}, Total: cell,
				Share: privacy.Share(cell, answered)})
		}
		if question.TooFew {
			question.Answered = privacy.Cell{Suppressed: true}
		}
		out = append(out, question)
	}
	return out, nil
}

// aboutFamily is one "about you" question at every site: each band, those
// who answered, and everyone who took part — so that "no answer",
// participation minus the answered, is a count protected like the others.
// Participation's fate comes from the participation report.
func aboutFamily(k int, sites []models.Site, counts []Count, codes []string, participation published, force func([]string, int) bool) *family {
	n := len(codes)
	bySite := map[string][]int{}
	for _, s := range sites {
		bySite[s.ID] = make([]int, n+1)
		bySite[s.ID][n] = participation.sum([]string{s.ID})
	}
	for _, c := range counts {
		if i := slices.Index(codes, c.Code); i >= 0 && bySite[c.SiteID] != nil {
			bySite[c.SiteID][i] += c.Value
			bySite[c.SiteID][n] -= c.Value
		}
	}
	for _, row := range bySite {
		row[n] = max(row[n], 0)
	}
	sets := make([][]int, 0, n+2)
	answered := make([]int, n)
	for i := range n {
		sets = append(sets, []int{i})
		answered[i] = i
	}
	sets = append(sets, answered, append(slices.Clone(answered), n))
	return newFamily(k, sites, bySite, n+1, sets, familyOpts{
		silent: [][]int{{n}},
		force:  force,
		fixed: func(s []string, set int) (bool, bool) {
			if set != n+1 {
				return false, false
			}
			return participation.hidden(s, 0), true
		},
	})
}

// participation is the submissions family: every site's count over the
// whole scope and per period, protected together for every view, with the
// channels they came in by in the same monthly tables.
func (r *Reporter) participation(ctx context.Context, scope Scope, sites []models.Site, starts []models.Day) (whole, byPeriod published, err error) {
	m, err := r.channelMonths(ctx, scope, sites, starts)
	if err != nil {
		return nil, nil, err
	}
	return wholeView{m, len(models.Channels)}, periodView{m, len(models.Channels)}, nil
}

// channelMonths is submissions month by month, one block per channel and
// one for all: participation and the channels report read the same tables,
// so a channel's count can never be taken from participation to give
// another channel's away.
func (r *Reporter) channelMonths(ctx context.Context, scope Scope, sites []models.Site, starts []models.Day) (*monthly, error) {
	counts, err := r.Counts(ctx, scope.OrgID, MetricChannel, nil, scope.From, scope.To)
	if err != nil {
		return nil, err
	}
	return newMonthly(privacy.MinK(scope.MinCell), sites, counts, nil, models.Channels, span{starts: starts, scope: scope}, false), nil
}

// periodIndex finds the column of a count among the periods.
func periodIndex(scope Scope, starts []models.Day) func(Count) (int, bool) {
	col := map[string]int{}
	for i, d := range starts {
		col[d.String()] = i
	}
	return func(c Count) (int, bool) {
		j, ok := col[periodStart(scope.Period, c.Day).String()]
		return j, ok
	}
}

func hideCells(cells []privacy.Cell) []privacy.Cell {
	out := make([]privacy.Cell, len(cells))
	for i := range out {
		out[i].Suppressed = true
	}
	return out
}
