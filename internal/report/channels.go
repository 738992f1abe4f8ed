package report

import (
	"context"
	"slices"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// Channels is how many submissions came in by each channel (a kiosk, a
// person's own phone) in each period. Its view and totals are the
// participation report's, so its columns add up to the participation
// report's per-period totals.
type Channels struct {
	PeriodTotals
	Channels []Row `json:"channels"`
}

// Channels counts submissions by channel and period, through the same
// suppression as every report. Its totals are the participation report's
// for the same filters, hidden where those are; and since the channels of
// a column add up to a total a reader can read there, a column (or the
// row of totals) that hides one channel hides them all.
func (r *Reporter) Channels(ctx context.Context, scope Scope, sites []models.Site) (Channels, error) {
	part, err := r.Participation(ctx, scope, sites)
	if err != nil {
		return Channels{}, err
	}
	starts := scope.Snap()
	out := Channels{PeriodTotals: part.PeriodTotals, Channels: []Row{}}
	if part.TooFew {
		return out, nil
	}
	var scopeSites []string
	for _, s := range sitesIn(scope, sites) {
		scopeSites = append(scopeSites, s.ID)
	}
	counts, err := r.Counts(ctx, scope.OrgID, MetricChannel, scope.SiteIDs, scope.From, scope.To)
	if err != nil {
		return Channels{}, err
	}
	col := map[string]int{}
	for i, d := range starts {
		col[d.String()] = i
	}
	counted, order := grid(counts, models.Channels, len(starts), func(c Count) (int, bool) {
		j, ok := col[periodStart(scope.Period, c.Day).String()]
		return j, ok
	})
	g := newGuard(privacy.MinK(scope.MinCell), scope.From, scope.To, counts, siteGroups(sites))
	whole := days(scope.From, scope.To)
	period := func(j int) (a, b int) {
		end := scope.To.AddDays(1)
		if j+1 < len(starts) {
			end = starts[j+1]
		}
		return days(scope.From, starts[j]) - 1, days(scope.From, end) - 1
	}
	hide := &privacy.Forced{Cells: make([][]bool, len(order)), RowTotals: make([]bool, len(order)), ColTotals: make([]bool, len(starts))}
	for i, code := range order {
		hide.Cells[i] = make([]bool, len(starts))
		for j := range starts {
			a, b := period(j)
			hide.Cells[i][j] = g.leaks(code, scopeSites, a, b)
		}
		hide.RowTotals[i] = g.leaks(code, scopeSites, 0, whole)
	}
	for j := range starts {
		hide.ColTotals[j] = j < len(part.PerPeriod) && part.PerPeriod[j].Suppressed
	}
	hide.Total = part.Total.Suppressed
	var shown privacy.Shown
	for {
		shown = privacy.Suppress(privacy.Table{Counts: counted, RowTotals: true, ColTotals: true, Total: true, Hide: hide}, scope.MinCell)
		if !hideWholeLines(shown, hide) {
			break
		}
	}
	out.TooFew = shown.TooFew
	for i, code := range order {
		out.Channels = append(out.Channels, Row{Code: code, Cells: shown.Cells[i], Total: shown.RowTotals[i],
			Share: privacy.Share(shown.RowTotals[i], part.Total)})
	}
	return out, nil
}

// hideWholeLines forces every channel of a column (and every row total)
// hidden where shown hides some but not all of them, and tells whether it
// forced anything new.
func hideWholeLines(shown privacy.Shown, hide *privacy.Forced) bool {
	changed := false
	for j := range hide.ColTotals {
		column := make([]privacy.Cell, len(shown.Cells))
		for i := range shown.Cells {
			column[i] = shown.Cells[i][j]
		}
		if partlyHidden(column) {
			for i := range hide.Cells {
				changed = changed || !hide.Cells[i][j]
				hide.Cells[i][j] = true
			}
		}
	}
	if partlyHidden(shown.RowTotals) {
		for i := range hide.RowTotals {
			changed = changed || !hide.RowTotals[i]
			hide.RowTotals[i] = true
		}
	}
	return changed
}

func partlyHidden(cells []privacy.Cell) bool {
	hidden := slices.ContainsFunc(cells, func(c privacy.Cell) bool { return c.Suppressed })
	return hidden && slices.ContainsFunc(cells, func(c privacy.Cell) bool { return !c.Suppressed })
}
