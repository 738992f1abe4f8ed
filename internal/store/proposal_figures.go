package store

import (
	"context"
	"slices"

	"github.com/chorus-hr/chorus/models"
)

// OverdueProposal is a proposal still waiting for the program's answer.
type OverdueProposal struct {
	ID          string      `json:"id"`
	Title       models.Text `json:"title"`
	DaysWaiting int         `json:"days_waiting"`
}

// Figures say how the program answers what people propose. Shares are
// percentages, nil when there is nothing to divide by. Proposals are the
// program's decisions, not people, so these counts are not suppressed.
type Figures struct {
	ResponseDays     int                       `json:"response_days"`
	Proposals        int                       `json:"proposals"`
	FromParticipants int                       `json:"from_participants"`
	ParticipantShare *float64                  `json:"participant_share"`
	ByOrigin         map[string]map[string]int `json:"by_origin"`
	// MedianDaysToFirstResponse runs from the day a proposal was made to
	// its first move beyond open; MedianDaysToDecision to its first
	// accepted or declined.
	MedianDaysToFirstResponse *float64          `json:"median_days_to_first_response"`
	MedianDaysToDecision      *float64          `json:"median_days_to_decision"`
	AcceptedShare             *float64          `json:"accepted_share"`
	DoneShare                 *float64          `json:"done_share"`
	OverdueCount              int               `json:"overdue_count"`
	Overdue                   []OverdueProposal `json:"overdue"`
}

// ProposalFigures computes the accountability figures over every proposal
// that was put to people (drafts are not counted), for one site or all.
func (s *Store) ProposalFigures(ctx context.Context, orgID, siteID string) (Figures, error) {
	org, err := s.Organization(ctx, orgID)
	if err != nil {
		return Figures{}, err
	}
	q := s.conn(ctx).Where("organization_id = ? AND status IN ?", orgID, publicStatuses)
	if siteID != "" {
		q = q.Where(concernsSite, siteID)
	}
	var props []models.Proposal
	if err := q.Order("created_on, id").Find(&props).Error; err != nil {
		return Figures{}, translate(err, "proposals")
	}
	return figuresOf(props, org.ResponseDays, s.today()), nil
}

// figuresOf is the arithmetic of ProposalFigures, kept pure for tests.
func figuresOf(props []models.Proposal, responseDays int, today models.Day) Figures {
	f := Figures{ResponseDays: responseDays, Proposals: len(props), ByOrigin: map[string]map[string]int{}, Overdue: []OverdueProposal{}}
	for _, o := range Origins {
		f.ByOrigin[o] = map[string]int{}
		for _, st := range publicStatuses {
			f.ByOrigin[o][st] = 0
		}
	}
	var toResponse, toDecision []int
	decided, accepted, done := 0, 0, 0
	for _, p := range props {
		f.ByOrigin[p.Origin][p.Status]++
		if p.Origin == models.OriginParticipants {
			f.FromParticipants++
		}
		if p.RespondedOn != nil {
			toResponse = append(toResponse, daysBetween(p.CreatedOn, *p.RespondedOn))
		}
		if p.DecidedOn != nil {
			toDecision = append(toDecision, daysBetween(p.CreatedOn, *p.DecidedOn))
		}
		switch p.Status {
		case models.StatusAccepted, models.StatusInProgress:
			decided, accepted = decided+1, accepted+1
		case models.StatusDone:
			decided, accepted, done = decided+1, accepted+1, done+1
		case models.StatusDeclined:
			decided++
		}
		if Overdue(p, responseDays, today) {
			f.Overdue = append(f.Overdue, OverdueProposal{ID: p.ID, Title: p.Title, DaysWaiting: daysBetween(p.CreatedOn, today)})
		}
	}
	f.OverdueCount = len(f.Overdue)
	f.ParticipantShare = percent(f.FromParticipants, f.Proposals)
	f.AcceptedShare = percent(accepted, decided)
	f.DoneShare = percent(done, decided)
	f.MedianDaysToFirstResponse = median(toResponse)
	f.MedianDaysToDecision = median(toDecision)
	return f
}

func percent(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	v := float64(int(float64(part)*1000/float64(whole)+0.5)) / 10
	return &v
}

func median(xs []int) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	m := float64(xs[len(xs)/2])
	if len(xs)%2 == 0 {
		m = float64(xs[len(xs)/2-1]+xs[len(xs)/2]) / 2
	}
	return &m
}
