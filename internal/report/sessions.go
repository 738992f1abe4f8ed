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
		Meetings: []Meetings{}, Participants: []Row{}, PerPeriod: []privacy.Cell{}}
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
		// A van's session (docs/van-mode.md) arrives with how many took part;
		// its participants' tokens stayed on the van.
		Select("live_sessions.site_id, live_sessions.created_at, COALESCE(live_sessions.participants, (SELECT COUNT(*) FROM live_participants p WHERE p.session_id = live_sessions.id)) AS people").
		Where("live_sessions.organization_id = ? AND live_sessions.created_at >= ? AND live_sessions.created_at < ?",
			scope.OrgID, scope.From.Time(), scope.To.AddDays(1).Time()).Scan(&held).Error
	if err != nil {
		return Sessions{}, fmt.Errorf("report sessions: %w", err)
	}
	meetings := make([][]int, len(rows))
	for i := range rows {
		meetings[i] = make([]int, len(starts))
	}
	var people []Count
	for _, h := range held {
		day := models.DayOf(h.CreatedAt, time.UTC)
		people = append(people, Count{SiteID: h.SiteID, Day: day, Value: h.People})
		i := slices.IndexFunc(rows, func(s models.Site) bool { return s.ID == h.SiteID })
		if j, ok := col[periodStart(scope.Period, day).String()]; i >= 0 && ok {
			meetings[i][j]++
		}
	}
	// The people who voted are one linked table at every site, like
	// participation: the organization's report, a site's, urban or rural,
	// fixed or mobile show one pattern, so no report minus another gives a
	// small site's voters.
	whole, byPeriod := codeFamilies(privacy.MinK(scope.MinCell), sites, people, []string{""}, span{starts: starts, scope: scope}, false)
	scopeSites := make([]string, len(rows))
	for i, s := range rows {
		scopeSites[i] = s.ID
	}
	out.Total = whole.cell(scopeSites, 0)
	for j := range starts {
		out.PerPeriod = append(out.PerPeriod, byPeriod.cell(scopeSites, j))
	}
	if whole.sum(scopeSites) < out.MinCell {
		out.TooFew, out.Total, out.PerPeriod = true, privacy.Cell{Suppressed: true}, hideCells(out.PerPeriod)
	}
	for i, s := range rows {
		label := models.Text{"en": s.Name, "es": s.Name}
		m := Meetings{Code: s.ID, Label: label, Held: meetings[i]}
		for _, n := range meetings[i] {
			m.Total += n
		}
		out.Meetings = append(out.Meetings, m)
		row := Row{Code: s.ID, Label: label, Total: whole.cell(scopeSites[i:i+1], 0)}
		for j := range starts {
			row.Cells = append(row.Cells, byPeriod.cell(scopeSites[i:i+1], j))
		}
		if out.TooFew {
			row.Cells, row.Total = hideCells(row.Cells), privacy.Cell{Suppressed: true}
		}
		row.Share = privacy.Share(row.Total, out.Total)
		out.Participants = append(out.Participants, row)
	}
	return out, nil
}
