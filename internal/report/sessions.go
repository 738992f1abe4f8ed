package report

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// Sessions is live-session participation: how many meetings each site held
// in each period (meetings are not people: shown as they are) and how many
// people voted in them (suppressed across the whole table).
type Sessions struct {
	Columns      []Column       `json:"columns"`
	Meetings     []Meetings     `json:"sessions"`
	Participants []Row          `json:"participants"`
	PerPeriod    []privacy.Cell `json:"participants_per_period"`
	Total        privacy.Cell   `json:"participants_total"`
	TooFew       bool           `json:"too_few"`
	MinCell      int            `json:"min_cell"`
	From         models.Day     `json:"from"`
	To           models.Day     `json:"to"`
	Period       string         `json:"period"`
}

// Meetings is how many live sessions a site held per period.
type Meetings struct {
	Code  string      `json:"code"`
	Label models.Text `json:"label"`
	Held  []int       `json:"held"`
	Total int         `json:"held_total"`
}

// Sessions counts meetings and the people who voted in them, by site and
// period (the day a meeting was held, in UTC).
func (r *Reporter) Sessions(ctx context.Context, scope Scope, sites []models.Site) (Sessions, error) {
	starts := scope.Snap()
	out := Sessions{MinCell: privacy.MinK(scope.MinCell), From: scope.From, To: scope.To, Period: scope.Period,
		Meetings: []Meetings{}, Participants: []Row{}}
	col := map[string]int{}
	for i, d := range starts {
		col[d.String()] = i
		out.Columns = append(out.Columns, Column{Key: d.String()})
	}
	var rows []models.Site
	for _, s := range sites {
		if len(scope.SiteIDs) == 0 || slices.Contains(scope.SiteIDs, s.ID) {
			rows = append(rows, s)
		}
	}
	var held []struct {
		SiteID    string
		CreatedAt time.Time
		People    int
	}
	err := r.db.WithContext(ctx).Table("live_sessions").
		Select("live_sessions.site_id, live_sessions.created_at, (SELECT COUNT(*) FROM live_participants p WHERE p.session_id = live_sessions.id) AS people").
		Where("live_sessions.organization_id = ? AND live_sessions.created_at >= ? AND live_sessions.created_at < ?",
			scope.OrgID, scope.From.Time(), scope.To.AddDays(1).Time()).Scan(&held).Error
	if err != nil {
		return Sessions{}, fmt.Errorf("report sessions: %w", err)
	}
	meetings, people := make([][]int, len(rows)), make([][]int, len(rows))
	for i := range rows {
		meetings[i], people[i] = make([]int, len(starts)), make([]int, len(starts))
	}
	for _, h := range held {
		i := slices.IndexFunc(rows, func(s models.Site) bool { return s.ID == h.SiteID })
		j, ok := col[periodStart(scope.Period, models.DayOf(h.CreatedAt, time.UTC)).String()]
		if i >= 0 && ok {
			meetings[i][j]++
			people[i][j] += h.People
		}
	}
	shown := privacy.Suppress(privacy.Table{Counts: people, RowTotals: true, ColTotals: true, Total: true}, scope.MinCell)
	out.TooFew, out.Total, out.PerPeriod = shown.TooFew, shown.Total, shown.ColTotals
	for i, s := range rows {
		label := models.Text{"en": s.Name, "es": s.Name}
		m := Meetings{Code: s.ID, Label: label, Held: meetings[i]}
		for _, n := range meetings[i] {
			m.Total += n
		}
		out.Meetings = append(out.Meetings, m)
		out.Participants = append(out.Participants, Row{Code: s.ID, Label: label, Cells: shown.Cells[i], Total: shown.RowTotals[i],
			Share: privacy.Share(shown.RowTotals[i], shown.Total)})
	}
	return out, nil
}
