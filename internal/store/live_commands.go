package store

import (
	"context"

	"github.com/chorus-hr/chorus/models"
)

// The facilitator's commands on a live session, each with its audit row in
// its own transaction (see Actor). The room hears of a change only after
// the command returns, so it never sees one that was rolled back.

// CreateLiveSession starts a session with a fresh join code.
func (a Actor) CreateLiveSession(ctx context.Context, orgID string, in LiveSessionInput) (sess models.LiveSession, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if sess, err = a.s.CreateLiveSession(ctx, orgID, a.userID(), in); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditLiveSessionCreated, "live_session", sess.ID, nil)
	})
	return sess, err
}

// SetRoundState opens, closes or reveals a round; a reveal is recorded.
func (a Actor) SetRoundState(ctx context.Context, orgID, roundID, action string) (ch RoundChange, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if ch, err = a.s.SetRoundState(ctx, orgID, roundID, action); err != nil || !ch.Changed || action != ActionReveal {
			return err
		}
		return a.record(ctx, orgID, AuditLiveRevealed, "live_round", ch.Round.ID, nil)
	})
	return ch, err
}

// SetHandCounts sets counts from a show of hands or paper ballots.
func (a Actor) SetHandCounts(ctx context.Context, orgID, roundID string, counts map[string]int) (r models.LiveRound, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = a.s.SetHandCounts(ctx, orgID, a.userID(), roundID, counts); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditLiveHandCount, "live_round", r.ID, nil)
	})
	return r, err
}

// EndLiveSession ends a session (see Store.EndLiveSession); ending one
// already ended changes nothing and records nothing.
func (a Actor) EndLiveSession(ctx context.Context, orgID, sessionID string) (sess models.LiveSession, closed []models.LiveRound, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		before, err := a.s.LiveSession(ctx, orgID, sessionID)
		if err != nil {
			return err
		}
		if sess, closed, err = a.s.EndLiveSession(ctx, orgID, before.ID); err != nil || before.State == models.LiveEnded {
			return err
		}
		return a.record(ctx, orgID, AuditLiveSessionEnded, "live_session", sess.ID, nil)
	})
	return sess, closed, err
}
