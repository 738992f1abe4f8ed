package live

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Comment rounds (docs/live-protocol.md): a participant sends a short free
// text instead of a vote. It is scrubbed like kiosk text, stored pending in
// the moderation queue, and counted; nobody but staff reads it until staff
// approve or redact it. The room then gets the approved texts of a
// revealed round in a comments message, and the facilitator gets them at
// once.
const (
	// TypeComment is the client's comment; TypeComments the server's list
	// of a round's approved comments.
	TypeComment  = "comment"
	TypeComments = "comments"
	// EventComments says a round's approved comments changed; receivers
	// read them back.
	EventComments = "comments"
	// CodeInvalidComment refuses a comment that is empty, too long, has
	// no usable comment_id, or comes for a round that takes votes.
	CodeInvalidComment = "invalid_comment"
	// CodeAlreadyCommented refuses a second comment of a participant in a
	// round (one comment per person per round; a retry of the same
	// comment_id is acknowledged instead).
	CodeAlreadyCommented = "already_commented"
)

type commentKey struct{ participant, round string }

// commentMemo is a comment a connection had stored: its id and a seq that
// counts it.
type commentMemo struct {
	id  string
	seq int64
}

type commentsMsg struct {
	Type     string   `json:"type"`
	RoundID  string   `json:"round_id"`
	Comments []string `json:"comments"`
}

// comment stores one comment, then acknowledges it. Unlike a vote it is not
// batched: comments are few and slow to write, and the reader of this one
// connection is all that waits for the commit.
func (c *Client) comment(ctx context.Context, m clientMsg) {
	if c.role != Participant {
		c.send(commentError(m.CommentID, CodeReadOnly, "A screen cannot comment."))
		return
	}
	if !validClientID(m.CommentID) {
		c.send(commentError("", CodeInvalidComment, "comment_id must be 1 to 64 visible ASCII characters, such as a UUID."))
		return
	}
	spec, state, ok := c.room.votable(m.RoundID)
	switch {
	case !ok:
		c.send(commentError(m.CommentID, CodeUnknownRound, "This session has no such round."))
		return
	case spec.Kind != models.RoundComment:
		c.send(commentError(m.CommentID, CodeInvalidComment, "This round takes votes, not comments."))
		return
	case state != models.RoundOpen:
		// A retry after the round closed may still be a replay: the store
		// answers that.
	}
	text := strings.TrimSpace(m.Text)
	if n := utf8.RuneCountInString(text); n == 0 || n > privacy.MaxText {
		c.send(commentError(m.CommentID, CodeInvalidComment, "A comment is 1 to 1,000 characters."))
		return
	}
	id := c.ident.Load()
	key := commentKey{id.id, m.RoundID}
	if memo, ok := c.commented[key]; ok {
		// Answered from memory: a phone repeating itself costs no
		// transaction on the round's row.
		if memo.id == m.CommentID {
			c.send(commentAck(m.RoundID, m.CommentID, memo.seq))
		} else {
			c.send(commentError(m.CommentID, CodeAlreadyCommented, "You already sent a comment in this round. Thank you."))
		}
		return
	}
	if !id.stored.Load() && !id.admitted.Load() {
		if c.admit != nil && !c.admit() {
			c.send(commentError(m.CommentID, CodeJoinLimited, "Many people joined from this network just now. Please send it again in a minute."))
			return
		}
		id.admitted.Store(true)
	}
	c.voted = true
	scrubbed, _ := c.hub.opts.Scrub(text)
	in := store.CommentInput{SessionID: c.room.id, RoundID: m.RoundID, ParticipantID: id.id, CommentID: m.CommentID, Text: scrubbed}
	if !id.stored.Load() {
		in.TokenHash = id.hash
	}
	out, err := c.hub.opts.Store.CommitComment(ctx, in)
	switch {
	case err == nil:
	case errors.Is(err, store.ErrRoundNotOpen):
		c.send(commentError(m.CommentID, CodeRoundClosed, "This round is not open for comments."))
		return
	case errors.Is(err, store.ErrAlreadyCommented):
		c.send(commentError(m.CommentID, CodeAlreadyCommented, "You already sent a comment in this round. Thank you."))
		return
	case errors.Is(err, store.ErrNotFound):
		c.send(commentError(m.CommentID, CodeUnknownRound, "This session has no such round."))
		return
	case errors.Is(err, store.ErrNotCommentRound):
		c.send(commentError(m.CommentID, CodeInvalidComment, "This round takes votes, not comments."))
		return
	default:
		// Neither the text nor the participant is logged.
		c.hub.log.Warn("live: commit comment", "error", err)
		c.send(commentError(m.CommentID, CodeUnavailable, "Your comment was not saved. Please send it again."))
		return
	}
	id.stored.Store(true)
	if c.commented == nil {
		c.commented = map[commentKey]commentMemo{}
	}
	c.commented[key] = commentMemo{id: m.CommentID, seq: out.Seq}
	if out.Update != nil {
		c.hub.committed(ctx, *out.Update)
	}
	c.send(commentAck(m.RoundID, m.CommentID, out.Seq))
}

func validClientID(id string) bool {
	return id != "" && len(id) <= maxVoteID && strings.IndexFunc(id, func(r rune) bool { return r < 0x21 || r > 0x7e }) < 0
}

func commentError(commentID, code, message string) *Message {
	return encode(errorMsg{Type: TypeError, CommentID: commentID, Code: code, Message: message})
}

// commentAck acknowledges a committed comment with the seq of a tally that
// counts it.
func commentAck(round, commentID string, seq int64) *Message {
	return ackMsg{Type: TypeAck, CommentID: commentID, Seq: seq}.message(round)
}

// CommentsChanged announces that the approved comments of a comment round
// changed (staff approved or redacted one, or the round was revealed): the
// room's facilitator gets them at once, the others once it is revealed.
func (h *Hub) CommentsChanged(ctx context.Context, sessionID, roundID string) {
	if r := h.lookupRoom(sessionID); r != nil {
		r.loadComments(ctx, roundID)
	}
	h.publish(ctx, Event{Kind: EventComments, Session: sessionID, Round: roundID})
}

// loadComments reads a comment round's approved comments and sends them.
func (r *room) loadComments(ctx context.Context, roundID string) {
	texts, err := r.hub.opts.Store.ApprovedComments(ctx, roundID)
	if err != nil {
		r.hub.log.Warn("live: approved comments", "error", err)
		return
	}
	r.setComments(roundID, texts)
}

// setComments keeps a round's approved comments and sends them to whoever
// may see them now.
func (r *room) setComments(roundID string, texts []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rs := r.rounds[roundID]
	if rs == nil || rs.round.Kind != models.RoundComment || r.closed {
		return
	}
	rs.comments = broadcast(commentsMsg{Type: TypeComments, RoundID: roundID, Comments: texts})
	for c := range r.clients {
		if rs.commentsFor(c.role) {
			c.send(rs.comments)
		}
	}
}

// commentsFor reports whether a viewer may see the round's approved
// comments now: the facilitator always, the room once it is revealed.
func (rs *roundState) commentsFor(role Role) bool {
	return rs.comments != nil && (role == Facilitator || rs.round.State == models.RoundRevealed)
}

// loadAllComments reads the approved comments of a room's comment rounds
// when it loads.
func (r *room) loadAllComments(ctx context.Context, rounds []models.LiveRound) {
	for _, rd := range rounds {
		if rd.Kind == models.RoundComment && rd.State != models.RoundDraft {
			r.loadComments(ctx, rd.ID)
		}
	}
}
