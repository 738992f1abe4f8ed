package report

import (
	"context"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// Participation is how many submissions each site had in each period: a
// table whose rows and columns both add up, so both show totals and the
// suppression protects them across the whole table.
type Participation struct {
	Columns   []Column       `json:"columns"`
	Sites     []Row          `json:"sites"`
	PerPeriod []privacy.Cell `json:"per_period"`
	Total     privacy.Cell   `json:"total"`
	TooFew    bool           `json:"too_few"`
	MinCell   int            `json:"min_cell"`
	From      models.Day     `json:"from"`
	To        models.Day     `json:"to"`
	Period    string         `json:"period"`
}

// Participation counts submissions by site and period.
func (r *Reporter) Participation(ctx context.Context, scope Scope, sites []models.Site) (Participation, error) {
	starts := scope.Snap()
	p := Participation{MinCell: privacy.MinK(scope.MinCell), From: scope.From, To: scope.To, Period: scope.Period, Sites: []Row{}}
	col := map[string]int{}
	for i, d := range starts {
		col[d.String()] = i
		p.Columns = append(p.Columns, Column{Key: d.String()})
	}
	var rows []models.Site
	for _, s := range sites {
		if len(scope.SiteIDs) == 0 || slices.Contains(scope.SiteIDs, s.ID) {
			rows = append(rows, s)
		}
	}
	counts, err := r.Counts(ctx, scope.OrgID, MetricSubmissions, scope.SiteIDs, scope.From, scope.To)
	if err != nil {
		return Participation{}, err
	}
	grid := make([][]int, len(rows))
	for i := range grid {
		grid[i] = make([]int, len(starts))
	}
	for _, c := range counts {
		i := slices.IndexFunc(rows, func(s models.Site) bool { return s.ID == c.SiteID })
		j, ok := col[periodStart(scope.Period, c.Day).String()]
		if i >= 0 && ok {
			grid[i][j] += c.Value
		}
	}
	ids := make([]string, len(rows))
	for i, s := range rows {
		ids[i] = s.ID
	}
	g := newGuard(privacy.MinK(scope.MinCell), scope.From, scope.To, counts, siteGroups(sites))
	whole := days(scope.From, scope.To)
	period := func(j int) (a, b int) {
		end := scope.To.AddDays(1)
		if j+1 < len(starts) {
			end = starts[j+1]
		}
		return days(scope.From, starts[j]) - 1, days(scope.From, end) - 1
	}
	hide := &privacy.Forced{Cells: make([][]bool, len(rows)), RowTotals: make([]bool, len(rows)), ColTotals: make([]bool, len(starts))}
	for i := range rows {
		hide.Cells[i] = make([]bool, len(starts))
		for j := range starts {
			a, b := period(j)
			hide.Cells[i][j] = g.leaks("", ids[i:i+1], a, b)
		}
		hide.RowTotals[i] = g.leaks("", ids[i:i+1], 0, whole)
	}
	for j := range starts {
		a, b := period(j)
		hide.ColTotals[j] = g.leaks("", ids, a, b)
	}
	hide.Total = g.leaks("", ids, 0, whole)
	shown := privacy.Suppress(privacy.Table{Counts: grid, RowTotals: true, ColTotals: true, Total: true, Hide: hide}, scope.MinCell)
	p.TooFew, p.Total, p.PerPeriod = shown.TooFew, shown.Total, shown.ColTotals
	for i, s := range rows {
		p.Sites = append(p.Sites, Row{Code: s.ID, Label: models.Text{"en": s.Name, "es": s.Name}, Cells: shown.Cells[i], Total: shown.RowTotals[i],
			Share: privacy.Share(shown.RowTotals[i], shown.Total)})
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
	scope.Snap()
	scopeSites := scope.SiteIDs
	if len(scopeSites) == 0 {
		for _, s := range sites {
			scopeSites = append(scopeSites, s.ID)
		}
	}
	counts, err := r.Counts(ctx, scope.OrgID, MetricAbout, scope.SiteIDs, scope.From, scope.To)
	if err != nil {
		return nil, err
	}
	byCode := map[string]int{}
	for _, c := range counts {
		byCode[c.Code] += c.Value
	}
	g := newGuard(privacy.MinK(scope.MinCell), scope.From, scope.To, counts, siteGroups(sites))
	whole := days(scope.From, scope.To)
	names := make([]string, 0, len(questions))
	for q := range questions {
		names = append(names, q)
	}
	slices.Sort(names)
	out := []Question{}
	for _, q := range names {
		bands := questions[q]
		values, codes := make([]int, len(bands)), make([]string, len(bands))
		hide := &privacy.Forced{Cells: [][]bool{make([]bool, len(bands))}}
		for i, b := range bands {
			codes[i] = q + ":" + b
			values[i] = byCode[codes[i]]
			hide.Cells[0][i] = g.leaks(codes[i], scopeSites, 0, whole)
		}
		hide.Total = g.leaksAll(codes, scopeSites, 0, whole)
		shown := privacy.Suppress(privacy.Table{Counts: [][]int{values}, Total: true, Hide: hide}, scope.MinCell)
		cells, total, tooFew := shown.Cells[0], shown.Total, shown.TooFew
		question := Question{Question: q, Answered: total, TooFew: tooFew, Bands: []Row{}}
		for i, b := range bands {
			question.Bands = append(question.Bands, Row{Code: strings.TrimSpace(b), Cells: []privacy.Cell{cells[i]}, Total: cells[i],
				Share: privacy.Share(cells[i], total)})
		}
		out = append(out, question)
	}
	return out, nil
}
