package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/chorus-hr/chorus/models"
)

// UpdateInput is a public update: a move to Status (or a progress note when
// Status is empty or unchanged) with words in every language.
type UpdateInput struct {
	Status string
	Body   models.Text
	// PutToPolicymakers, with a move to under_review, lets policymakers
	// accept or decline the proposal themselves.
	PutToPolicymakers bool
}

// PostUpdate moves a proposal along its lifecycle, or notes progress, with
// a dated public update. Staff and admins call it.
func (s *Store) PostUpdate(ctx context.Context, orgID, id string, by models.User, in UpdateInput) (models.ProposalUpdate, error) {
	return s.postUpdate(ctx, orgID, id, by, in, "staff")
}

// Respond is a policymaker's answer to a proposal put to them: accepted or
// declined, with the reason in every language.
func (s *Store) Respond(ctx context.Context, orgID, id string, by models.User, decision string, body models.Text) (models.ProposalUpdate, error) {
	if decision != models.StatusAccepted && decision != models.StatusDeclined {
		return models.ProposalUpdate{}, invalid("decision", "must be one of: accepted, declined")
	}
	return s.postUpdate(ctx, orgID, id, by, UpdateInput{Status: decision, Body: body}, "policymaker")
}

func (s *Store) postUpdate(ctx context.Context, orgID, id string, by models.User, in UpdateInput, byRole string) (models.ProposalUpdate, error) {
	if err := validateText("body", in.Body, 2000); err != nil {
		return models.ProposalUpdate{}, err
	}
	var up models.ProposalUpdate
	err := s.InTx(ctx, func(ctx context.Context) error {
		p, err := s.proposal(ctx, orgID, id)
		if err != nil {
			return err
		}
		to := in.Status
		if to == "" {
			to = p.Status
		}
		if _, known := Transitions[to]; !known && to != models.StatusDone && to != models.StatusDeclined {
			return invalid("status", "must be one of: draft, open, under_review, accepted, in_progress, done, declined")
		}
		if err := checkMove(p, to, in.PutToPolicymakers, byRole); err != nil {
			return err
		}
		today := s.today()
		changes := map[string]any{"status": to, "updated_at": s.now()}
		if to != p.Status {
			if p.RespondedOn == nil && to != models.StatusOpen {
				changes["responded_on"] = today
			}
			if p.DecidedOn == nil && (to == models.StatusAccepted || to == models.StatusDeclined) {
				changes["decided_on"] = today
			}
		}
		if in.PutToPolicymakers {
			changes["put_to_policymakers"] = true
		}
		// The status in the WHERE makes two people moving the same proposal
		// at once safe: the second finds it moved and is refused.
		res := s.conn(ctx).Model(&models.Proposal{}).Where("id = ? AND status = ?", p.ID, p.Status).Updates(changes)
		if res.Error != nil {
			return translate(res.Error, "move proposal")
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("move proposal %s: %w", p.ID, ErrChanged)
		}
		up = models.ProposalUpdate{ID: models.NewID(), ProposalID: p.ID, Status: to, Body: trimText(in.Body),
			Day: today, ByRole: byRole, CreatedBy: userRef(by), CreatedAt: s.now()}
		return translate(s.conn(ctx).Create(&up).Error, "store proposal update")
	})
	return up, err
}

// checkMove applies the lifecycle rules to one move.
func checkMove(p models.Proposal, to string, putToPolicymakers bool, byRole string) error {
	allowed := Transitions[p.Status]
	if byRole == "policymaker" {
		if p.Status != models.StatusUnderReview || !p.PutToPolicymakers {
			return invalid("status", "this proposal was not put to policymakers; staff answer it")
		}
		return nil
	}
	if to == p.Status {
		if p.Status == models.StatusDraft {
			return &TransitionError{From: p.Status, To: to, Allowed: allowed}
		}
	} else if !slices.Contains(allowed, to) {
		return &TransitionError{From: p.Status, To: to, Allowed: allowed}
	}
	if putToPolicymakers && to != models.StatusUnderReview {
		return invalid("put_to_policymakers", "goes with a move to under_review")
	}
	return nil
}
