package store

import (
	"context"

	"github.com/chorus-hr/chorus/models"
)

// Outcome is a proposal's public state with its latest dated update, as
// the "what changed because people spoke up" board shows it.
type Outcome struct {
	ID     string                 `json:"id"`
	Title  models.Text            `json:"title"`
	Status string                 `json:"status"`
	Update *models.ProposalUpdate `json:"update"`
}

// outcomeStatuses are the statuses the board shows: a decision was made.
var outcomeStatuses = []string{models.StatusAccepted, models.StatusInProgress, models.StatusDone, models.StatusDeclined}

// Outcomes lists the organization's decided proposals, most recently
// updated first, each with its latest update.
func (s *Store) Outcomes(ctx context.Context, orgID string, limit int) ([]Outcome, error) {
	if limit <= 0 || limit > 50 {
		limit = 10
	}
	var props []models.Proposal
	err := s.conn(ctx).Where("organization_id = ? AND status IN ?", orgID, outcomeStatuses).
		Order("updated_at DESC, id").Limit(limit).Find(&props).Error
	if err != nil {
		return nil, translate(err, "outcomes")
	}
	out := make([]Outcome, 0, len(props))
	for _, p := range props {
		o := Outcome{ID: p.ID, Title: p.Title, Status: p.Status}
		var ups []models.ProposalUpdate
		if err := s.conn(ctx).Where("proposal_id = ?", p.ID).Order("day DESC, created_at DESC").Limit(1).Find(&ups).Error; err != nil {
			return nil, translate(err, "proposal update")
		}
		if len(ups) == 1 {
			o.Update = &ups[0]
		}
		out = append(out, o)
	}
	return out, nil
}
