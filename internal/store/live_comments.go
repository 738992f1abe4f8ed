package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

var (
	// ErrNotCommentRound means a comment came for a round that takes votes.
	ErrNotCommentRound = errors.New("round does not take comments")
	// ErrAlreadyCommented means the participant already commented in the
	// round under another comment id: one comment per person per round.
	ErrAlreadyCommented = errors.New("already commented in this round")
)

// CommentInput is one comment from a participant's phone. Text is already
// scrubbed (privacy.Scrub), and at most privacy.MaxText characters before
// scrubbing.
type CommentInput struct {
	SessionID     string
	RoundID       string
	ParticipantID string
	// TokenHash is set while the participant may not be stored yet.
	TokenHash []byte
	CommentID string
	Text      string
}

// CommentOutcome is what became of a comment.
type CommentOutcome struct {
	// Seq is the round's seq once the comment is counted.
	Seq int64
	// Replayed is true when the participant's comment in the round had
	// this comment id already: nothing new was stored.
	Replayed bool
	// Update is the round's new tally; nil for a replay.
	Update *RoundUpdate
}

// CommitComment stores a comment exactly once: pending in the moderation
// queue like kiosk text, under the session's site and the day it arrives,
// with an urgent-words alert in the same transaction when the organization's
// urgent words are in it; the round's tally counts it under the next seq.
// A second comment of the same participant in the round is refused
// (ErrAlreadyCommented); the same comment id again is a replay.
func (s *Store) CommitComment(ctx context.Context, in CommentInput) (CommentOutcome, error) {
	var out CommentOutcome
	err := s.InTx(ctx, func(ctx context.Context) error {
		out = CommentOutcome{}
		if !models.IsID(in.RoundID) {
			return ErrNotFound
		}
		rounds, err := s.lockRounds(ctx, "id = ?", in.RoundID)
		if err != nil {
			return err
		}
		switch {
		case len(rounds) == 0 || rounds[0].SessionID != in.SessionID:
			return ErrNotFound
		case rounds[0].Kind != models.RoundComment:
			return ErrNotCommentRound
		}
		r := &rounds[0]
		var prior []models.FeedbackText
		if err := s.conn(ctx).Select("id", "live_comment_id").Where("live_round_id = ? AND live_participant_id = ?", r.ID, in.ParticipantID).
			Limit(1).Find(&prior).Error; err != nil {
			return translate(err, "prior comment")
		}
		if len(prior) > 0 {
			if prior[0].LiveCommentID == nil || *prior[0].LiveCommentID != in.CommentID {
				return ErrAlreadyCommented
			}
			// A replay is acknowledged even once the round has closed: the
			// comment was stored while it was open.
			out.Seq, out.Replayed = r.Seq, true
			return nil
		}
		if r.State != models.RoundOpen {
			return ErrRoundNotOpen
		}
		return s.storeComment(ctx, r, in, &out)
	})
	return out, err
}

func (s *Store) storeComment(ctx context.Context, r *models.LiveRound, in CommentInput, out *CommentOutcome) error {
	sess, err := s.LiveSessionByID(ctx, r.SessionID)
	if err != nil {
		return err
	}
	org, err := s.Organization(ctx, sess.OrganizationID)
	if err != nil {
		return err
	}
	site, err := s.Site(ctx, sess.OrganizationID, sess.SiteID)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(site.TimeZone)
	if err != nil {
		return fmt.Errorf("site %s time zone: %w", site.ID, err)
	}
	if in.TokenHash != nil {
		p := models.LiveParticipant{ID: in.ParticipantID, SessionID: sess.ID, TokenHash: in.TokenHash}
		if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&p).Error; err != nil {
			return translate(err, "store participant")
		}
	}
	roundID, participant, commentID := r.ID, in.ParticipantID, in.CommentID
	text := models.FeedbackText{ID: models.NewID(), OrganizationID: sess.OrganizationID, SiteID: sess.SiteID,
		Day: models.DayOf(s.now(), loc), Body: in.Text, State: models.TextPending,
		LiveRoundID: &roundID, LiveParticipantID: &participant, LiveCommentID: &commentID}
	if err := s.conn(ctx).Create(&text).Error; err != nil {
		return translate(err, "store comment")
	}
	if matched := privacy.ContainsAny(in.Text, org.UrgentWords); len(matched) > 0 {
		siteID, textID := sess.SiteID, text.ID
		if err := s.RaiseAlert(ctx, models.Alert{OrganizationID: sess.OrganizationID, SiteID: &siteID, Day: text.Day,
			Kind: models.AlertUrgentWords, Matched: matched, FeedbackTextID: &textID}); err != nil {
			return err
		}
	}
	t, err := RoundTally(*r)
	if err != nil {
		return err
	}
	t.AddComment()
	if err := s.saveTally(ctx, r, t); err != nil {
		return err
	}
	out.Seq = r.Seq
	out.Update = &RoundUpdate{SessionID: r.SessionID, RoundID: r.ID, Seq: r.Seq, State: r.State, Tally: t}
	return nil
}

// commentCounts counts the comments of rounds, for rebuilding their
// tallies.
func (s *Store) commentCounts(ctx context.Context, roundIDs []string) (map[string]int, error) {
	var rows []struct {
		LiveRoundID string
		N           int
	}
	err := s.conn(ctx).Model(&models.FeedbackText{}).Select("live_round_id, COUNT(*) AS n").
		Where("live_round_id IN ?", roundIDs).Group("live_round_id").Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.LiveRoundID] = r.N
	}
	return out, translate(err, "comment counts")
}

// ApprovedComments are the texts of a round's comments that staff approved
// or redacted, as the room may see them once the round is revealed.
func (s *Store) ApprovedComments(ctx context.Context, roundID string) ([]string, error) {
	var out []string
	if !models.IsID(roundID) {
		return []string{}, nil
	}
	err := s.conn(ctx).Model(&models.FeedbackText{}).Where("live_round_id = ? AND state IN ?", roundID,
		[]string{models.TextApproved, models.TextRedacted}).Order("moderated_on, id").Pluck("body", &out).Error
	if out == nil {
		out = []string{}
	}
	return out, translate(err, "approved comments")
}

// CommentCounts is, per comment round, how many comments came in and how
// many staff approved or redacted (for the facilitator's console).
type CommentCounts struct {
	Received int `json:"received"`
	Approved int `json:"approved"`
}

// RoundComments counts the comments of rounds by moderation state.
func (s *Store) RoundComments(ctx context.Context, roundIDs []string) (map[string]CommentCounts, error) {
	out := map[string]CommentCounts{}
	if len(roundIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		LiveRoundID string
		State       string
		N           int
	}
	err := s.conn(ctx).Model(&models.FeedbackText{}).Select("live_round_id, state, COUNT(*) AS n").
		Where("live_round_id IN ?", roundIDs).Group("live_round_id, state").Scan(&rows).Error
	for _, r := range rows {
		c := out[r.LiveRoundID]
		c.Received += r.N
		if r.State == models.TextApproved || r.State == models.TextRedacted {
			c.Approved += r.N
		}
		out[r.LiveRoundID] = c
	}
	return out, translate(err, "round comments")
}

// liveSources names the live session of each comment among texts, for the
// moderation queue; one query for the page.
func (s *Store) liveSources(ctx context.Context, texts []models.FeedbackText) error {
	var rounds []string
	for _, t := range texts {
		if t.LiveRoundID != nil {
			rounds = append(rounds, *t.LiveRoundID)
		}
	}
	if len(rounds) == 0 {
		return nil
	}
	var rows []struct{ RoundID, SessionID, Title string }
	err := s.conn(ctx).Table("live_rounds").Select("live_rounds.id AS round_id, live_sessions.id AS session_id, live_sessions.title").
		Joins("JOIN live_sessions ON live_sessions.id = live_rounds.session_id").Where("live_rounds.id IN ?", rounds).Scan(&rows).Error
	if err != nil {
		return translate(err, "comment sessions")
	}
	byRound := make(map[string]*models.LiveTextSource, len(rows))
	for _, r := range rows {
		byRound[r.RoundID] = &models.LiveTextSource{SessionID: r.SessionID, Title: r.Title}
	}
	for i := range texts {
		if texts[i].LiveRoundID != nil {
			texts[i].Live = byRound[*texts[i].LiveRoundID]
		}
	}
	return nil
}

// commentsAllowed refuses comment rounds on a van: a van syncs a session's
// counts upstream, not participants' words, so comments taken there would
// never reach the moderation queue (docs/van-mode.md).
func (s *Store) commentsAllowed(ctx context.Context) error {
	_, van, err := edge.Link(ctx, s.conn(ctx))
	if err != nil {
		return err
	}
	if van {
		return &StateError{Code: "comment_on_van", Message: "Comment rounds cannot run on the van: the comments could not be sent on for moderation. Use a vote, or paper."}
	}
	return nil
}
