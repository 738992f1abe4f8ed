package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// ErrNoRound means the session shows no round to vote in.
var ErrNoRound = errors.New("live: no round to vote in")

// OnceResult is what became of a vote cast with VoteOnce.
type OnceResult struct {
	// Round is the round voted in.
	Round models.LiveRound
	// Code is "" once the vote is committed, else the error code a
	// websocket would have been sent (CodeRoundClosed, CodeInvalidChoice…).
	Code string
}

// VoteOnce casts one vote for a participant who has no connection (a text
// message): it joins the session's room as the participant whose token is
// token — one the session knows, or a new one stored with this vote — asks
// choose for the choice in the room's current round, sends the vote down
// the same path as a websocket's (the batcher's commit, then the tally
// broadcast to every screen), waits for its answer and leaves. The answer
// comes only after the vote is committed. choose returns nil to cast
// nothing (the reply cannot be read).
func (h *Hub) VoteOnce(ctx context.Context, sess models.LiveSession, token string,
	choose func(models.LiveRound) json.RawMessage) (OnceResult, error) {
	c, err := h.Connect(ctx, sess, Participant)
	if err != nil {
		return OnceResult{}, err
	}
	defer c.Leave()
	if err := c.adopt(ctx, token); err != nil {
		return OnceResult{}, err
	}
	round, ok := c.currentRound()
	if !ok {
		return OnceResult{}, ErrNoRound
	}
	out := OnceResult{Round: round}
	choice := choose(round)
	if choice == nil {
		out.Code = CodeInvalidChoice
		return out, nil
	}
	woken := make(chan struct{}, 1)
	c.Start(func() {
		select {
		case woken <- struct{}{}:
		default:
		}
	})
	voteID := models.NewID()
	raw, err := json.Marshal(clientMsg{Type: TypeVote, RoundID: round.ID, VoteID: voteID, Choice: choice})
	if err != nil {
		return out, err
	}
	c.Handle(ctx, raw)
	var msgs []*Message
	for {
		select {
		case <-woken:
		case <-ctx.Done():
			return out, fmt.Errorf("live: wait for the vote's commit: %w", ctx.Err())
		}
		msgs = c.Drain(msgs[:0])
		for _, m := range msgs {
			var answer struct {
				Type   string `json:"type"`
				VoteID string `json:"vote_id"`
				Code   string `json:"code"`
			}
			if json.Unmarshal(m.Data(), &answer) != nil || answer.VoteID != voteID {
				continue
			}
			if answer.Type == TypeError {
				out.Code = answer.Code
			}
			return out, nil
		}
	}
}

// adopt makes the client vote as the participant whose token is token.
func (c *Client) adopt(ctx context.Context, token string) error {
	hash := auth.HashSecret(token)
	id, err := c.hub.opts.Store.LiveParticipant(ctx, c.room.id, hash)
	if errors.Is(err, store.ErrNotFound) {
		// The participant's first vote may still be on its way.
		c.hub.batch.settle()
		id, err = c.hub.opts.Store.LiveParticipant(ctx, c.room.id, hash)
	}
	ident := &identity{token: token, hash: hash}
	switch {
	case err == nil:
		ident.id = id
		ident.stored.Store(true)
	case errors.Is(err, store.ErrNotFound):
		ident.id = models.NewID()
	default:
		return err
	}
	c.ident.Store(ident)
	return nil
}

// currentRound is the round the room shows now.
func (c *Client) currentRound() (models.LiveRound, bool) {
	r := c.room
	r.mu.Lock()
	defer r.mu.Unlock()
	rs := r.rounds[r.current]
	if rs == nil {
		return models.LiveRound{}, false
	}
	return rs.round, true
}
