package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/models"
)

// round checks one van round, its tally against its definition and the
// session's participants, and builds its row. A proposal that is no longer
// open here keeps the round's counts as evidence, and the note says so.
func (v *edgeValidator) round(ctx context.Context, field, sessionID string, participants int, r edge.Round) (models.LiveRound, string, error) {
	opts := r.Options
	if r.Kind == tally.Agree || r.Kind == tally.Scale {
		if len(opts) > 0 && !slices.Equal(opts, tally.FixedOptions(r.Kind)) {
			return models.LiveRound{}, "", invalid(field+".options", "are not the fixed options of "+r.Kind+" rounds")
		}
		opts = nil
	}
	spec, err := tally.NewSpec(r.Kind, opts, r.MaxRank, r.Dots)
	if err != nil {
		var fe *tally.FieldError
		if errors.As(err, &fe) {
			return models.LiveRound{}, "", invalid(field+"."+fe.Field, fe.Reason)
		}
		return models.LiveRound{}, "", err
	}
	if spec.Kind == tally.Comment {
		// A van never runs one (CreateRound refuses): its words would
		// come without moderation.
		return models.LiveRound{}, "", invalid(field+".kind", "comment rounds are not taken from a van")
	}
	prompt := strings.TrimSpace(r.Prompt)
	if prompt == "" || len([]rune(prompt)) > 500 {
		return models.LiveRound{}, "", invalid(field+".prompt", "must be 1 to 500 characters")
	}
	if err := checkVanTally(spec, r.Tally, participants); err != nil {
		return models.LiveRound{}, "", invalid(field+".tally", err.Error())
	}
	if r.State == models.RoundDraft && (r.Tally.Voters > 0 || len(r.Tally.Hand) > 0) {
		return models.LiveRound{}, "", invalid(field+".state", "a draft round has no votes")
	}
	row := models.LiveRound{ID: models.NewID(), SessionID: sessionID, Position: r.Position, Kind: spec.Kind, Prompt: prompt,
		Options: spec.Options, State: r.State, Seq: 1, Tally: r.Tally.Encode(), CreatedAt: v.s.now(), UpdatedAt: v.s.now()}
	if spec.Kind == tally.Rank {
		row.MaxRank = &spec.MaxRank
	}
	if spec.Kind == tally.Dots {
		row.Dots = &spec.Dots
	}
	note := ""
	if r.ProposalID != nil {
		var p []models.Proposal
		if models.IsID(*r.ProposalID) {
			if err := v.s.conn(ctx).Select("id", "status").Where("organization_id = ? AND id = ?", v.org.ID, *r.ProposalID).
				Limit(1).Find(&p).Error; err != nil {
				return models.LiveRound{}, "", translate(err, "proposal")
			}
		}
		if len(p) == 0 {
			return models.LiveRound{}, "", invalid(field+".proposal_id", "is not a proposal of this organization")
		}
		if p[0].Status != models.StatusOpen {
			note = fmt.Sprintf("round %d: proposal %s is %s here, no longer open; the round's counts are kept as evidence of that day",
				r.Position, p[0].ID, p[0].Status)
		}
		row.ProposalID = r.ProposalID
	}
	return row, note, nil
}

// checkVanTally refuses a tally no real room could have produced: options
// the round does not have, negative numbers, more voters than the
// session's participants, or sums its voters cannot make.
func checkVanTally(spec tally.Spec, t tally.Tally, participants int) error {
	if t.Voters < 0 || t.Voters > participants {
		return fmt.Errorf("has %d voters, more than the session's %d participants", t.Voters, participants)
	}
	sum := func(m map[string]int) (int, error) {
		n := 0
		for o, c := range m {
			if !slices.Contains(spec.Options, o) {
				return 0, fmt.Errorf("counts %q, which is not an option of this round", o)
			}
			if c < 0 {
				return 0, fmt.Errorf("has a negative count for %q", o)
			}
			n += c
		}
		return n, nil
	}
	votes, err := sum(t.Votes)
	if err != nil {
		return err
	}
	first, err := sum(t.First)
	if err != nil {
		return err
	}
	if len(t.Hand) > 0 {
		if err := spec.CheckHand(t.Hand); err != nil {
			return err
		}
	}
	switch spec.Kind {
	case tally.Agree, tally.Scale, tally.Pick:
		if votes != t.Voters || first != 0 {
			return fmt.Errorf("counts %d votes for %d voters", votes, t.Voters)
		}
	case tally.Rank:
		// Each ballot puts one option first and gives at most
		// MaxRank+(MaxRank-1)+… points, at most MaxRank to one option.
		most := 0
		for i := range spec.MaxRank {
			most += spec.MaxRank - i
		}
		if first != t.Voters || votes > t.Voters*most || votes < t.Voters*spec.MaxRank {
			return fmt.Errorf("counts points no %d ballots can give", t.Voters)
		}
		for o, c := range t.Votes {
			if c > t.Voters*spec.MaxRank {
				return fmt.Errorf("gives %q more points than %d ballots can", o, t.Voters)
			}
		}
	case tally.Dots:
		if first != 0 || votes < t.Voters || votes > t.Voters*spec.Dots {
			return fmt.Errorf("counts %d dots for %d voters with %d dots each", votes, t.Voters, spec.Dots)
		}
	}
	return nil
}
