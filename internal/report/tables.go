package report

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// Periods a report can be cut by. A report always covers whole months (or
// whole quarters), whatever range was asked for, and a week that runs
// across the first of a month is cut there: then every count a report
// shows is a sum of the same small pieces (a week within a month) in every
// report, and two reports can differ only by whole months. See
// docs/suppression.md for why.
const (
	PeriodWeek    = "week"
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
)

// Periods lists the periods, shortest first.
var Periods = []string{PeriodWeek, PeriodMonth, PeriodQuarter}

func monthStart(d models.Day) models.Day {
	t := d.Time()
	return models.DayOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), time.UTC)
}

// periodStart is the first day of the period holding d: a quarter, a
// month, or a week (from Monday) cut at the first of the month.
func periodStart(period string, d models.Day) models.Day {
	t := d.Time()
	switch period {
	case PeriodWeek:
		monday := d.AddDays(-((int(t.Weekday()) + 6) % 7))
		if first := monthStart(d); monday.Time().Before(first.Time()) {
			return first
		}
		return monday
	case PeriodQuarter:
		return models.DayOf(time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC), time.UTC)
	default:
		return monthStart(d)
	}
}

// nextPeriod is the first day of the period after the one starting at d.
func nextPeriod(period string, start models.Day) models.Day {
	t := start.Time()
	switch period {
	case PeriodWeek:
		next := periodStart(PeriodWeek, start).AddDays(7 - (int(t.Weekday())+6)%7)
		if month := models.DayOf(monthStart(start).Time().AddDate(0, 1, 0), time.UTC); month.Time().Before(next.Time()) {
			return month
		}
		return next
	case PeriodQuarter:
		return models.DayOf(t.AddDate(0, 3, 0), time.UTC)
	default:
		return models.DayOf(t.AddDate(0, 1, 0), time.UTC)
	}
}

// Scope is what a report covers: the sites (already resolved from the
// caller's filters) and whole months (or quarters) from From through To.
type Scope struct {
	OrgID   string
	SiteIDs []string
	From    models.Day
	To      models.Day
	Period  string
	// MinCell is the organization's threshold, k.
	MinCell int
}

// Snap widens the scope to whole months (whole quarters for a quarterly
// report) and returns the first day of each period.
func (s *Scope) Snap() []models.Day {
	if !slices.Contains(Periods, s.Period) {
		s.Period = PeriodMonth
	}
	unit := PeriodMonth
	if s.Period == PeriodQuarter {
		unit = PeriodQuarter
	}
	s.From = periodStart(unit, s.From)
	s.To = nextPeriod(unit, periodStart(unit, s.To)).AddDays(-1)
	var starts []models.Day
	for d := s.From; !d.Time().After(s.To.Time()); d = nextPeriod(s.Period, d) {
		starts = append(starts, d)
	}
	return starts
}

// Column is one column of a report: a period or a site.
type Column struct {
	Key   string      `json:"key"`
	Label models.Text `json:"label,omitempty"`
}

// Row is one category's counts across the columns, and their total.
type Row struct {
	Code  string         `json:"code"`
	Label models.Text    `json:"label,omitempty"`
	Cells []privacy.Cell `json:"cells"`
	Total privacy.Cell   `json:"total"`
	// Share is the total as a percentage of all respondents.
	Share privacy.Percent `json:"share"`
}

// Table is a report as it may leave the staff role: every count went
// through small-cell suppression (a suppressed count is null in JSON).
type Table struct {
	Title   string   `json:"title"`
	Metric  string   `json:"metric"`
	By      string   `json:"by"`
	Columns []Column `json:"columns"`
	Rows    []Row    `json:"rows"`
	// Respondents is how many submissions each column counts, and in all.
	Respondents      []privacy.Cell `json:"respondents"`
	RespondentsTotal privacy.Cell   `json:"respondents_total"`
	// TooFew means the report would narrow to fewer than MinCell people:
	// nothing is shown.
	TooFew  bool       `json:"too_few"`
	MinCell int        `json:"min_cell"`
	From    models.Day `json:"from"`
	To      models.Day `json:"to"`
	Period  string     `json:"period"`
}

// Labels names codes in every language.
type Labels map[string]models.Text

// By says what a report's columns are.
const (
	ByPeriod = "period"
	BySite   = "site"
)

// Build makes the report of one metric with periods or sites as columns.
// Codes are the rows, in order (codes counted but not listed come after,
// so nothing counted is dropped); sites name the site columns.
func (r *Reporter) Build(ctx context.Context, scope Scope, metric, by string, codes []string, labels Labels, sites []models.Site) (Table, error) {
	starts := scope.Snap()
	t := Table{Metric: metric, By: by, MinCell: privacy.MinK(scope.MinCell), From: scope.From, To: scope.To, Period: scope.Period, Rows: []Row{}}
	column := map[string]int{}
	switch by {
	case BySite:
		for _, s := range sites {
			if len(scope.SiteIDs) == 0 || slices.Contains(scope.SiteIDs, s.ID) {
				column[s.ID] = len(t.Columns)
				t.Columns = append(t.Columns, Column{Key: s.ID, Label: models.Text{"en": s.Name, "es": s.Name}})
			}
		}
	default:
		t.By = ByPeriod
		for i, d := range starts {
			column[d.String()] = i
			t.Columns = append(t.Columns, Column{Key: d.String()})
		}
	}
	colOf := func(c Count) (int, bool) {
		if t.By == BySite {
			i, ok := column[c.SiteID]
			return i, ok
		}
		i, ok := column[periodStart(scope.Period, c.Day).String()]
		return i, ok
	}

	scopeSites := scope.SiteIDs
	if len(scopeSites) == 0 {
		for _, s := range sites {
			scopeSites = append(scopeSites, s.ID)
		}
	}
	// What each column covers, as day offsets and sites, for the guard.
	span := func(j int) (ids []string, a, b int) {
		if t.By == BySite {
			return []string{t.Columns[j].Key}, 0, days(scope.From, scope.To)
		}
		end := scope.To.AddDays(1)
		if j+1 < len(starts) {
			end = starts[j+1]
		}
		return scopeSites, days(scope.From, starts[j]) - 1, days(scope.From, end) - 1
	}
	whole := days(scope.From, scope.To)

	subs, err := r.Counts(ctx, scope.OrgID, MetricSubmissions, scope.SiteIDs, scope.From, scope.To)
	if err != nil {
		return Table{}, err
	}
	groups := siteGroups(sites)
	subGuard := newGuard(privacy.MinK(scope.MinCell), scope.From, scope.To, subs, groups)
	respondents := make([]int, len(t.Columns))
	hideResp := &privacy.Forced{Cells: [][]bool{make([]bool, len(t.Columns))}}
	for _, c := range subs {
		if i, ok := colOf(c); ok {
			respondents[i] += c.Value
		}
	}
	for j := range t.Columns {
		ids, a, b := span(j)
		hideResp.Cells[0][j] = subGuard.leaks("", ids, a, b)
	}
	hideResp.Total = subGuard.leaks("", scopeSites, 0, whole)
	resp := privacy.Suppress(privacy.Table{Counts: [][]int{respondents}, Total: true, Hide: hideResp}, scope.MinCell)
	t.Respondents, t.RespondentsTotal = resp.Cells[0], resp.Total
	if resp.TooFew {
		t.TooFew = true
		return t, nil
	}

	// The people behind the figure: for points, those who ranked the need.
	peopleMetric := metric
	if metric == MetricPriorityPoints {
		peopleMetric = MetricPriority
	}
	peopleCounts, err := r.Counts(ctx, scope.OrgID, peopleMetric, scope.SiteIDs, scope.From, scope.To)
	if err != nil {
		return Table{}, fmt.Errorf("report %s: %w", peopleMetric, err)
	}
	people, order := grid(peopleCounts, codes, len(t.Columns), colOf)
	g := newGuard(privacy.MinK(scope.MinCell), scope.From, scope.To, peopleCounts, groups)
	hide := &privacy.Forced{Cells: make([][]bool, len(order)), RowTotals: make([]bool, len(order))}
	for i, code := range order {
		hide.Cells[i] = make([]bool, len(t.Columns))
		for j := range t.Columns {
			ids, a, b := span(j)
			hide.Cells[i][j] = g.leaks(code, ids, a, b)
		}
		hide.RowTotals[i] = g.leaks(code, scopeSites, 0, whole)
	}
	// A category's counts add up across periods or sites (each submission
	// is in one), so every row shows its total; columns do not add up
	// (a submission chooses several needs), so they have none.
	shown := privacy.Suppress(privacy.Table{Counts: people, RowTotals: true, Hide: hide}, scope.MinCell)
	values := people
	if metric != peopleMetric {
		points, err := r.Counts(ctx, scope.OrgID, metric, scope.SiteIDs, scope.From, scope.To)
		if err != nil {
			return Table{}, fmt.Errorf("report %s: %w", metric, err)
		}
		values, _ = grid(points, order, len(t.Columns), colOf)
	}
	for i, code := range order {
		row := Row{Code: code, Label: labels[code], Cells: make([]privacy.Cell, len(t.Columns))}
		total := 0
		for j := range t.Columns {
			total += values[i][j]
			if !shown.Cells[i][j].Suppressed {
				row.Cells[j] = privacy.Cell{Value: values[i][j]}
			} else {
				row.Cells[j] = privacy.Cell{Suppressed: true}
			}
		}
		row.Total = privacy.Cell{Value: total, Suppressed: shown.RowTotals[i].Suppressed}
		if row.Total.Suppressed {
			row.Total.Value = 0
		}
		row.Share = privacy.Share(shown.RowTotals[i], t.RespondentsTotal)
		if metric == MetricPriorityPoints {
			row.Share = privacy.Percent{Suppressed: true}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// days is the number of days from a through b, inclusive.
func days(a, b models.Day) int { return int(b.Time().Sub(a.Time()).Hours()/24) + 1 }

// grid sums daily counts into rows (codes, in order, then any others
// seen) and columns.
func grid(counts []Count, codes []string, cols int, colOf func(Count) (int, bool)) ([][]int, []string) {
	order := slices.Clone(codes)
	index := map[string]int{}
	for i, c := range order {
		index[c] = i
	}
	out := make([][]int, len(order))
	for i := range out {
		out[i] = make([]int, cols)
	}
	for _, c := range counts {
		j, ok := colOf(c)
		if !ok {
			continue
		}
		i, ok := index[c.Code]
		if !ok {
			i = len(order)
			index[c.Code] = i
			order = append(order, c.Code)
			out = append(out, make([]int, cols))
		}
		out[i][j] += c.Value
	}
	return out, order
}
