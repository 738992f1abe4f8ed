package report

import (
	"context"

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

// Channels counts submissions by channel and period. The channels are
// blocks of participation's monthly tables (channelMonths), so a channel,
// participation and every site group a reader can ask for share one
// pattern.
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
	m, err := r.channelMonths(ctx, scope, sites, starts)
	if err != nil {
		return Channels{}, err
	}
	for b, code := range models.Channels {
		whole, byPeriod := wholeView{m, b}, periodView{m, b}
		row := Row{Code: code, Total: whole.cell(scopeSites, 0)}
		for j := range starts {
			row.Cells = append(row.Cells, byPeriod.cell(scopeSites, j))
		}
		row.Share = privacy.Share(row.Total, part.Total)
		out.Channels = append(out.Channels, row)
	}
	return out, nil
}
