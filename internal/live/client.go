package live

import (
	"sync"
	"sync/atomic"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// Role is what a connection may do and see.
type Role int

// The roles of a connection.
const (
	// Participant votes and sees counts once a round is revealed.
	Participant Role = iota
	// Screen is the projector: it never votes and sees what the room sees.
	Screen
	// Facilitator is a screen for the session's facilitator, who always
	// sees the counts.
	Facilitator
)

func (r Role) String() string {
	return [...]string{"participant", "screen", "facilitator"}[r]
}

// Close codes the hub gives a connection it ends (RFC 6455 section 7.4).
const (
	CloseNormal     = 1000
	CloseGoingAway  = 1001
	ClosePolicy     = 1008
	CloseTryAgain   = 1013
	closeReasonSlow = "too slow: reconnect for the latest state"
)

// tokenPrefix marks a live-session participant token.
const tokenPrefix = "chorus_live_"

// identity is who a participant connection votes as.
type identity struct {
	id     string
	token  string
	hash   []byte
	stored atomic.Bool // the participant row exists
	// admitted is set once the join limit let this new participant vote.
	admitted atomic.Bool
}

func newIdentity() *identity {
	token, hash := auth.NewSecret(tokenPrefix)
	return &identity{id: models.NewID(), token: token, hash: hash}
}

// Client is one connection as the hub sees it. The hub never blocks on
// it: messages wait in a small queue that one writer drains, and tallies
// replace each other, so a client that falls behind gets the latest state
// rather than a backlog. A client whose queue overflows is closed.
//
// The hub tells the transport that there is something to write by
// calling the function given to Start, which must not block: an idle
// connection then needs no writer goroutine waiting on a channel.
type Client struct {
	hub  *Hub
	room *room
	role Role
	// number is the client's place in its room, for its slice
	// (coalesce.go); set and read under the room's lock.
	number uint32
	// voted is set by the connection's reader at its first vote; a resume
	// must come before it.
	voted bool
	// admit is asked before a new participant's first vote (nil admits
	// everyone): the transport's join limit per client address, which the
	// hub never sees.
	admit func() bool
	// shared is set once the connection showed a shared-tablet key: only
	// then may it reset to a new participant.
	shared atomic.Bool
	// commented remembers, by participant and round, the comment this
	// connection had stored, so a repeat is answered without the database
	// (read and written by the connection's reader only, like voted).
	commented map[commentKey]commentMemo

	ident atomic.Pointer[identity]

	mu      sync.Mutex
	queue   []*Message
	tallies []tallySlot
	// notify is the transport's wake-up (nil until Start); woken is set
	// from a wake-up until the next Drain, so a broadcast to thousands of
	// clients wakes each writer once.
	notify    func()
	woken     bool
	closed    bool
	closeCode int
	closeText string
	left      bool
	// given holds, per round, the highest seq drained for the wire
	// (a slice: a session has a handful of rounds).
	given []roundSeq

	done chan struct{}
}

type tallySlot struct {
	round string
	msg   *Message
}

// roundSeq is the highest seq of a round a client has been given.
type roundSeq struct {
	round string
	seq   int64
}

func newClient(h *Hub, r *room, role Role) *Client {
	c := &Client{hub: h, room: r, role: role, done: make(chan struct{})}
	if role == Participant {
		c.ident.Store(newIdentity())
	}
	return c
}

// Role is what the connection may do and see.
func (c *Client) Role() Role { return c.role }

// Start has notify called whenever there is something to write or the
// client is closed: at once if something already waits (the welcome),
// then at most once between two calls of Drain, and once more on closing.
// notify is called with the client's lock held: it must neither block nor
// call the client.
func (c *Client) Start(notify func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.notify = notify
	if c.closed || len(c.queue) > 0 || len(c.tallies) > 0 {
		c.woken = false
		c.signal()
	}
}

// Done is closed when the hub ends the connection; CloseStatus says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// CloseStatus is the close code and reason to send once Done is closed.
func (c *Client) CloseStatus() (code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeCode, c.closeText
}

// Drain appends what waits to be written to dst, oldest first, and
// empties the queue. A round's seq never goes backwards on the wire
// (docs/live-protocol.md): an ack and a tally are made on different
// goroutines, so a tally can wait with an older seq than an ack queued
// after it. Such a tally is written just before that ack, not dropped: it
// is the room's latest flush, and the next one is a whole interval away
// (a 5,000-person room lost 200 ms on a third of its votes that way). A
// tally older than one already written is dropped, and an ack older than a
// tally already written carries that tally's seq instead, which includes
// its vote.
func (c *Client) Drain(dst []*Message) []*Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.woken = false
	for _, m := range c.queue {
		if m.round != "" {
			dst = c.drainTallyBefore(dst, m.round, m.seq)
		}
		dst = append(dst, c.inOrder(m))
	}
	clear(c.queue)
	c.queue = c.queue[:0]
	for i := range c.tallies {
		if m := c.tallies[i].msg; m != nil && m.seq >= c.givenSeq(m.round) {
			dst = append(dst, c.inOrder(m))
		}
	}
	clear(c.tallies)
	c.tallies = c.tallies[:0]
	return dst
}

// drainTallyBefore appends round's waiting tally if its seq is below seq,
// that of a queued ack about to be written, and empties its slot; c.mu is
// held.
func (c *Client) drainTallyBefore(dst []*Message, round string, seq int64) []*Message {
	for i := range c.tallies {
		t := &c.tallies[i]
		if t.round != round || t.msg == nil || t.msg.seq >= seq {
			continue
		}
		if t.msg.seq >= c.givenSeq(round) {
			dst = append(dst, c.inOrder(t.msg))
		}
		t.msg = nil
	}
	return dst
}

// inOrder records m's seq as given and returns m, or for an ack whose seq
// is older than one already given, an ack with that seq; c.mu is held.
func (c *Client) inOrder(m *Message) *Message {
	if m.round == "" {
		return m
	}
	given := c.givenSeq(m.round)
	if m.seq < given {
		if m.ack != nil {
			a := *m.ack
			a.Seq = given
			return a.message(m.round)
		}
		return m
	}
	for i := range c.given {
		if c.given[i].round == m.round {
			c.given[i].seq = m.seq
			return m
		}
	}
	c.given = append(c.given, roundSeq{m.round, m.seq})
	return m
}

// givenSeq is the highest seq of round drained so far; c.mu is held.
func (c *Client) givenSeq(round string) int64 {
	for _, g := range c.given {
		if g.round == round {
			return g.seq
		}
	}
	return 0
}

// send queues a message without blocking; a full queue closes the client.
func (c *Client) send(msg *Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if len(c.queue) >= c.hub.opts.QueueLimit {
		c.closeLocked(CloseTryAgain, closeReasonSlow)
		return
	}
	c.queue = append(c.queue, msg)
	c.signal()
}

// setTally replaces the waiting tally of a round with a newer one.
func (c *Client) setTally(round string, msg *Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	for i := range c.tallies {
		if c.tallies[i].round == round {
			c.tallies[i].msg = msg
			c.signal()
			return
		}
	}
	c.tallies = append(c.tallies, tallySlot{round, msg})
	c.signal()
}

// signal wakes the writer unless a wake-up is already waiting; c.mu is
// held.
func (c *Client) signal() {
	if c.woken || c.notify == nil {
		return
	}
	c.woken = true
	c.notify()
}

// Error sends an error message, for the transport's own refusals (rate
// limits, oversized messages).
func (c *Client) Error(code, message string) { c.send(errorMessage("", code, message)) }

// Close ends the connection with a close code and reason.
func (c *Client) Close(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeLocked(code, reason)
}

func (c *Client) closeLocked(code int, reason string) {
	if c.closed {
		return
	}
	c.closed, c.closeCode, c.closeText = true, code, reason
	close(c.done)
	// The writer writes the close frame.
	c.woken = false
	c.signal()
}

// Leave detaches the client from its room; the transport calls it once
// the connection has ended.
func (c *Client) Leave() {
	c.mu.Lock()
	left := c.left
	c.left = true
	c.closeLocked(CloseNormal, "")
	c.mu.Unlock()
	if !left {
		c.room.detach(c)
		c.hub.release(c.room)
	}
}
