package live

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

const (
	// maxVoteID is the longest vote_id accepted.
	maxVoteID = 64
	// handleTimeout bounds the database work one message may cause. A
	// vote causes none here: the batcher commits it, under its own bound.
	handleTimeout = 10 * time.Second
)

// Handle acts on one message from the client. A message that cannot be
// understood gets an error and changes nothing. raw is not kept: the
// caller may reuse it once Handle returns.
func (c *Client) Handle(ctx context.Context, raw []byte) {
	var m clientMsg
	if err := json.Unmarshal(raw, &m); err != nil || m.Type == "" {
		c.Error(CodeInvalidJSON, `Send one JSON object with a "type".`)
		return
	}
	if m.Type == TypeVote {
		c.vote(m)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, handleTimeout)
	defer cancel()
	switch m.Type {
	case TypeResume:
		c.resume(ctx, m.Participant)
	case TypeReset:
		c.reset()
	case TypeShared:
		c.share(ctx, m.Key)
	case TypeComment:
		c.comment(ctx, m)
	default:
		c.Error(CodeUnknownType, `The type must be "vote", "comment", "resume", "shared" or "reset".`)
	}
}

func (c *Client) vote(m clientMsg) {
	if c.role != Participant {
		c.send(errorMessage(m.VoteID, CodeReadOnly, "A screen cannot vote."))
		return
	}
	if !validClientID(m.VoteID) {
		c.send(errorMessage("", CodeInvalidVote, "vote_id must be 1 to 64 visible ASCII characters, such as a UUID."))
		return
	}
	spec, state, ok := c.room.votable(m.RoundID)
	switch {
	case !ok:
		c.send(errorMessage(m.VoteID, CodeUnknownRound, "This session has no such round."))
		return
	case state != models.RoundOpen:
		c.send(errorMessage(m.VoteID, CodeRoundClosed, "This round is not open for votes."))
		return
	}
	choice, err := spec.Parse(m.Choice)
	if err != nil {
		c.send(errorMessage(m.VoteID, CodeInvalidChoice, err.Error()))
		return
	}
	id := c.ident.Load()
	if !id.stored.Load() && !id.admitted.Load() {
		// A new participant's first vote is its join: it counts towards
		// the transport's limit per address; a resumed one never does.
		if c.admit != nil && !c.admit() {
			c.send(errorMessage(m.VoteID, CodeJoinLimited, "Many people joined from this network just now. Please vote again in a minute."))
			return
		}
		id.admitted.Store(true)
	}
	c.voted = true
	in := store.VoteInput{SessionID: c.room.id, RoundID: m.RoundID, ParticipantID: id.id, VoteID: m.VoteID, Choice: choice.JSON()}
	if !id.stored.Load() {
		in.TokenHash = id.hash
	}
	if err := c.hub.batch.submit(pendingVote{client: c, in: in}); err != nil {
		c.send(errorMessage(m.VoteID, CodeUnavailable, "The server cannot take votes right now. Please send it again shortly."))
	}
}

// answer tells the client what became of a committed vote.
func (c *Client) answer(in store.VoteInput, out store.VoteOutcome) {
	switch {
	case out.Err == nil:
		if id := c.ident.Load(); id != nil && id.id == in.ParticipantID {
			id.stored.Store(true)
		}
		c.send(ackMessage(in.RoundID, in.VoteID, out.Seq))
	case errors.Is(out.Err, store.ErrRoundNotOpen):
		c.send(errorMessage(in.VoteID, CodeRoundClosed, "This round closed before your vote arrived."))
	case errors.Is(out.Err, store.ErrNotFound):
		c.send(errorMessage(in.VoteID, CodeUnknownRound, "This session has no such round."))
	default:
		c.send(errorMessage(in.VoteID, CodeInvalidChoice, "This choice does not fit the round."))
	}
}

// resume takes back the identity of a token this session issued, so a
// reconnecting participant keeps one vote per round. It must come before
// the connection's first vote.
func (c *Client) resume(ctx context.Context, token string) {
	switch {
	case c.role != Participant:
		c.Error(CodeReadOnly, "A screen has no participant to resume.")
		return
	case c.voted:
		c.Error(CodeResumeTooLate, "Resume before voting on this connection.")
		return
	}
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 128 {
		c.Error(CodeUnknownParticipant, "This token is not one of this session's; you are a new participant.")
		return
	}
	hash := auth.HashSecret(token)
	id, err := c.hub.opts.Store.LiveParticipant(ctx, c.room.id, hash)
	if errors.Is(err, store.ErrNotFound) {
		// The first vote of the connection that dropped may still be on
		// its way to the database: let it land, then look again.
		c.hub.batch.settle()
		id, err = c.hub.opts.Store.LiveParticipant(ctx, c.room.id, hash)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Unknown here: never voted, or issued by another session. A token
		// is not carried across sessions, so it is not adopted.
		c.Error(CodeUnknownParticipant, "This token is not one of this session's; you are a new participant.")
		return
	case err != nil:
		c.Error(CodeUnavailable, "Could not resume right now; please try again.")
		return
	}
	ident := &identity{id: id, token: token, hash: hash}
	ident.stored.Store(true)
	c.ident.Store(ident)
	c.room.rewelcome(c)
}

// share puts the connection in shared mode when key is one of the
// session's shared-tablet keys, which only the facilitator's console
// issues; it answers with a welcome that says so.
func (c *Client) share(ctx context.Context, key string) {
	if c.role != Participant {
		c.Error(CodeReadOnly, "A screen cannot be a shared tablet.")
		return
	}
	known := false
	if strings.HasPrefix(key, store.SharedKeyPrefix) && len(key) <= 128 {
		var err error
		if known, err = c.hub.opts.Store.SharedDeviceKnown(ctx, c.room.id, auth.HashSecret(key)); err != nil {
			c.Error(CodeUnavailable, "Could not check the shared tablet key; please try again.")
			return
		}
	}
	if !known {
		c.Error(CodeUnknownSharedKey, "This shared tablet link is not for this meeting. Ask the facilitator for a new one.")
		return
	}
	c.shared.Store(true)
	c.room.rewelcome(c)
}

// reset gives a shared device a new participant for the next person. Only
// a connection in shared mode may: anyone else could vote again and again.
func (c *Client) reset() {
	if c.role != Participant {
		c.Error(CodeReadOnly, "A screen has no participant to reset.")
		return
	}
	if !c.shared.Load() {
		c.Error(CodeNotShared, "Only a tablet the facilitator set up as shared can start a new person. You keep your vote.")
		return
	}
	c.ident.Store(newIdentity())
	c.voted = false
	c.room.rewelcome(c)
}
