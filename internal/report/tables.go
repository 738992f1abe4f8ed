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
//
// Every count comes from linked tables (codeFamilies): one per category,
// the sites by the whole scope and by period, protected for every view a
// reader can ask for together — the organization, each site, urban or
// rural, fixed or mobile, by period and by site — so every view of a
// category (this table by period or by site, its CSV, the PDF, the
// dashboard) shows the same pattern. Respondents come from the
// participation family.
func (r *Reporter) Build(ctx context.Context, scope Scope, metric, by string, codes []string, labels Labels, sites []models.Site) (Table, error) {
	starts := scope.Snap()
	k := privacy.MinK(scope.MinCell)
	t := Table{Metric: metric, By: by, MinCell: k, From: scope.From, To: scope.To, Period: scope.Period, Rows: []Row{}}
	var siteCols []string
	switch by {
	case BySite:
		for _, s := range sites {
			if len(scope.SiteIDs) == 0 || slices.Contains(scope.SiteIDs, s.ID) {
				siteCols = append(siteCols, s.ID)
				t.Columns = append(t.Columns, Column{Key: s.ID, Label: models.Text{"en": s.Name, "es": s.Name}})
			}
		}
	default:
		t.By = ByPeriod
		for _, d := range starts {
			t.Columns = append(t.Columns, Column{Key: d.String()})
		}
	}
	scopeSites := scope.SiteIDs
	if len(scopeSites) == 0 {
		for _, s := range sites {
			scopeSites = append(scopeSites, s.ID)
		}
	}
	// cells reads one row of a family pair as this table shows it.
	cells := func(whole, byPeriod published) ([]privacy.Cell, privacy.Cell) {
		out := make([]privacy.Cell, len(t.Columns))
		for j := range t.Columns {
			if t.By == BySite {
				out[j] = whole.cell(siteCols[j:j+1], 0)
			} else {
				out[j] = byPeriod.cell(scopeSites, j)
			}
		}
		return out, whole.cell(scopeSites, 0)
	}

	partWhole, partPeriod, err := r.participation(ctx, scope, sites, starts)
	if err != nil {
		return Table{}, err
	}
	t.Respondents, t.RespondentsTotal = cells(partWhole, partPeriod)
	if partWhole.sum(scopeSites) < k {
		t.TooFew = true
		t.Respondents, t.RespondentsTotal = hideCells(t.Respondents), privacy.Cell{Suppressed: true}
		return t, nil
	}

	// The people behind the figure: for points, those who ranked the need.
	peopleMetric := metric
	if metric == MetricPriorityPoints {
		peopleMetric = MetricPriority
	}
	peopleCounts, err := r.Counts(ctx, scope.OrgID, peopleMetric, nil, scope.From, scope.To)
	if err != nil {
		return Table{}, fmt.Errorf("report %s: %w", peopleMetric, err)
	}
	periodOf := periodIndex(scope, starts)
	var points map[string][]Count
	if metric != peopleMetric {
		pc, err := r.Counts(ctx, scope.OrgID, metric, nil, scope.From, scope.To)
		if err != nil {
			return Table{}, fmt.Errorf("report %s: %w", metric, err)
		}
		points = byCode(pc)
	}
	// pointCells sums a category's points as the table's cells and total.
	pointCells := func(counts []Count) ([]int, int) {
		out, total := make([]int, len(t.Columns)), 0
		for _, c := range counts {
			if !slices.Contains(scopeSites, c.SiteID) {
				continue
			}
			total += c.Value
			if t.By == BySite {
				if j := slices.Index(siteCols, c.SiteID); j >= 0 {
					out[j] += c.Value
				}
			} else if j, ok := periodOf(c); ok {
				out[j] += c.Value
			}
		}
		return out, total
	}
	sp := span{starts: starts, scope: scope}
	people := byCode(peopleCounts)
	order := slices.Clone(codes)
	for _, c := range peopleCounts {
		if !slices.Contains(order, c.Code) {
			order = append(order, c.Code)
		}
	}
	for _, code := range order {
		whole, byPeriod := codeFamilies(k, sites, people[code], []string{code}, sp, true)
		row := Row{Code: code, Label: labels[code]}
		row.Cells, row.Total = cells(whole, byPeriod)
		row.Share = privacy.Share(row.Total, t.RespondentsTotal)
		if points != nil {
			// Points show where the people who gave them may be shown.
			vals, total := pointCells(points[code])
			for j := range row.Cells {
				row.Cells[j] = sameFate(row.Cells[j], vals[j])
			}
			row.Total = sameFate(row.Total, total)
			row.Share = privacy.Percent{Suppressed: true}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// sameFate is value shown where c, the count of the people behind it, is.
func sameFate(c privacy.Cell, value int) privacy.Cell {
	if c.Suppressed {
		return privacy.Cell{Suppressed: true}
	}
	return privacy.Cell{Value: value}
}

// byCode groups counts by code.
func byCode(counts []Count) map[string][]Count {
	out := map[string][]Count{}
	for _, c := range counts {
		out[c.Code] = append(out[c.Code], c)
	}
	return out
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
