package live

import (
	"context"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// room is one session's connections and the state of its rounds.
type room struct {
	hub *Hub
	id  string
	// ready is closed once the room is loaded (or failed to load: err).
	ready chan struct{}
	err   error
	refs  int // guarded by hub.mu

	mu      sync.Mutex
	loaded  bool
	early   []Event // heard while loading, applied after
	session models.LiveSession
	// minVoters is read at load: a changed organization setting applies
	// to rooms loaded after it.
	minVoters int
	rounds    map[string]*roundState
	current   string
	clients   map[*Client]struct{}
	dirty     map[string]bool
	// unpublished are rounds with tallies this process committed and has
	// not told the other processes of yet: that happens at the flush, or
	// for a room sent to in slices at once (pubTimer).
	unpublished map[string]bool
	timer       *time.Timer
	pubTimer    *time.Timer
	lastFlush   time.Time
	// joined numbers clients as they attach (Client.number), for their
	// slice; slices is the room's slice count at the last flush, due the
	// slices a dirty round has not reached yet, cursor the slice whose
	// slot is next, and slotAt when it comes (coalesce.go).
	joined uint32
	slices int
	due    uint64
	cursor int
	slotAt time.Time
	closed bool
}

// roundState is a round as the room knows it: its definition, and its
// state and tally at seq.
type roundState struct {
	round models.LiveRound
	spec  tally.Spec
	seq   int64
	tally tally.Tally
	// public and full are the encoded tally messages at seq, built once
	// and shared by every client.
	public, full *Message
	// comments are a comment round's approved comments (comments.go).
	comments *Message
}

func newRoom(h *Hub, id string) *room {
	return &room{hub: h, id: id, ready: make(chan struct{}), rounds: map[string]*roundState{},
		clients: map[*Client]struct{}{}, dirty: map[string]bool{}, unpublished: map[string]bool{}, slices: 1}
}

// load reads the session and rebuilds its rounds' tallies from the
// database, then applies what was heard meanwhile.
func (r *room) load(ctx context.Context) error {
	st := r.hub.opts.Store
	sess, err := st.LiveSessionByID(ctx, r.id)
	if err != nil {
		return err
	}
	minVoters, err := st.MinVoters(ctx, sess.OrganizationID)
	if err != nil {
		return err
	}
	rounds, repaired, err := st.LoadRounds(ctx, r.id)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.session, r.minVoters = sess, minVoters
	for _, rd := range rounds {
		r.rounds[rd.ID] = newRoundState(rd)
	}
	r.current = currentRound(rounds)
	r.loaded = true
	early := r.early
	r.early = nil
	r.mu.Unlock()
	for _, ev := range early {
		r.receive(ctx, ev)
	}
	r.loadAllComments(ctx, rounds)
	for _, u := range repaired {
		r.hub.publish(ctx, eventOf(u))
	}
	return nil
}

// currentRound is the round a newcomer sees: the open one, or else the
// one the facilitator acted on last.
func currentRound(rounds []models.LiveRound) string {
	var cur *models.LiveRound
	for i := range rounds {
		rd := &rounds[i]
		switch {
		case rd.State == models.RoundOpen:
			return rd.ID
		case rd.State != models.RoundDraft && (cur == nil || rd.UpdatedAt.After(cur.UpdatedAt)):
			cur = rd
		}
	}
	if cur == nil {
		return ""
	}
	return cur.ID
}

func newRoundState(rd models.LiveRound) *roundState {
	t, err := store.RoundTally(rd)
	if err != nil {
		t = tally.Tally{}
	}
	return &roundState{round: rd, spec: store.RoundSpec(rd), seq: rd.Seq, tally: t}
}

// message is the round's tally message for a role.
func (rs *roundState) message(role Role, minVoters int) *Message {
	if role == Facilitator {
		if rs.full == nil {
			rs.full = tallyMessage(rs.round.ID, rs.seq, View(rs.round, rs.seq, rs.tally, minVoters, true))
		}
		return rs.full
	}
	if rs.public == nil {
		rs.public = tallyMessage(rs.round.ID, rs.seq, View(rs.round, rs.seq, rs.tally, minVoters, false))
	}
	return rs.public
}

func (r *room) sessionView() SessionView {
	s := r.session
	return SessionView{ID: s.ID, Code: s.Code, Title: s.Title, Language: s.Language, State: s.State, MinVoters: r.minVoters,
		RoomSize: s.RoomSize}
}

// attach adds a client and sends it the welcome and the current tally.
func (r *room) attach(c *Client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clients[c] = struct{}{}
	c.number = r.joined
	r.joined++
	r.welcome(c)
	switch {
	case r.closed:
		// The hub shut down between finding the room and joining it.
		c.Close(CloseGoingAway, "server restarting")
	case r.session.State == models.LiveEnded:
		c.Close(CloseNormal, "session ended")
	}
}

// welcome greets a client (again after a resume or reset).
func (r *room) welcome(c *Client) {
	msg := welcomeMsg{Type: TypeWelcome, Session: r.sessionView(), View: c.role.String(), Shared: c.shared.Load()}
	if id := c.ident.Load(); id != nil {
		msg.Participant = &id.token
	}
	rs := r.rounds[r.current]
	if rs != nil {
		msg.Round = RoundViewOf(rs.round)
	}
	c.send(encode(msg))
	if rs != nil {
		c.setTally(rs.round.ID, rs.message(c.role, r.minVoters))
		if rs.commentsFor(c.role) {
			c.send(rs.comments)
		}
	}
}

func (r *room) rewelcome(c *Client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.welcome(c)
}

func (r *room) detach(c *Client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.clients, c)
}

// votable returns what a vote in a round needs to be checked.
func (r *room) votable(roundID string) (spec tally.Spec, state string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rs := r.rounds[roundID]
	if rs == nil {
		return tally.Spec{}, "", false
	}
	return rs.spec, rs.round.State, true
}

// receive applies an event, loading the round from the database when the
// event is compact or names a round the room does not know yet.
func (r *room) receive(ctx context.Context, ev Event) {
	r.mu.Lock()
	if !r.loaded {
		r.early = append(r.early, ev)
		r.mu.Unlock()
		return
	}
	if ev.Kind == EventComments {
		r.mu.Unlock()
		r.loadComments(ctx, ev.Round)
		return
	}
	if ev.Kind == EventEnded || ev.Kind == EventSession {
		r.mu.Unlock()
		sess, err := r.hub.opts.Store.LiveSessionByID(ctx, r.id)
		if err != nil {
			r.hub.log.Warn("live: reload session", "error", err)
			return
		}
		if sess.State == models.LiveEnded {
			r.end(sess)
		} else {
			r.setSession(sess)
		}
		return
	}
	rs := r.rounds[ev.Round]
	if ev.Tally != nil && rs != nil {
		r.update(rs, store.RoundUpdate{SessionID: ev.Session, RoundID: ev.Round, Seq: ev.Seq, State: ev.State, Tally: *ev.Tally})
		// The process that committed it coalesced it already: send it on
		// now rather than after a second interval of this room's own.
		// A room sent to in slices keeps to its slot clock instead: the
		// other process published at its commit, not at a flush.
		if r.dirty[ev.Round] && r.slices <= 1 {
			r.broadcastTally(ev.Round, 0, 1)
			delete(r.dirty, ev.Round)
		}
		r.mu.Unlock()
		return
	}
	if rs != nil && ev.Seq > 0 && ev.Seq <= rs.seq {
		r.mu.Unlock()
		return
	}
	r.mu.Unlock()
	rd, err := r.hub.opts.Store.LiveRound(ctx, ev.Round)
	if err != nil {
		r.hub.log.Warn("live: reload round", "error", err)
		return
	}
	r.applyRound(rd)
}

// applyRound applies a round read from the database, adding it when new.
func (r *room) applyRound(rd models.LiveRound) {
	u, err := store.UpdateOf(rd)
	if err != nil {
		r.hub.log.Warn("live: round tally", "error", err)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.loaded {
		r.early = append(r.early, eventOf(u))
		return
	}
	rs := r.rounds[rd.ID]
	if rs == nil {
		rs = newRoundState(rd)
		rs.seq, rs.round.State = -1, ""
		r.rounds[rd.ID] = rs
	}
	r.update(rs, u)
}

// update moves a round to a later seq. A change of state is announced to
// every client at once with its tally; a tally change is broadcast at the
// next flush.
func (r *room) update(rs *roundState, u store.RoundUpdate) {
	if u.Seq <= rs.seq || r.closed {
		return
	}
	changed := rs.round.State != u.State
	rs.round.State, rs.seq, rs.tally = u.State, u.Seq, u.Tally
	rs.public, rs.full = nil, nil
	if !changed {
		r.dirtied(u.RoundID)
		return
	}
	cur := r.rounds[r.current]
	if u.State == models.RoundOpen || cur == nil || cur.round.State != models.RoundOpen {
		r.current = u.RoundID
	}
	msg := broadcast(roundMsg{Type: TypeRound, Round: RoundViewOf(rs.round)})
	for c := range r.clients {
		c.send(msg)
		if u.State == models.RoundRevealed && rs.commentsFor(c.role) {
			c.send(rs.comments)
		}
	}
	r.broadcastTally(u.RoundID, 0, 1)
	delete(r.dirty, u.RoundID)
}

// setSession takes an open session's new settings and sends every client
// the session again.
func (r *room) setSession(sess models.LiveSession) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.loaded || r.session.State == models.LiveEnded || sess.State == models.LiveEnded || r.closed {
		return
	}
	if ptrEqual(r.session.RoomSize, sess.RoomSize) {
		return
	}
	r.session = sess
	msg := broadcast(sessionMsg{Type: TypeSession, Session: r.sessionView()})
	for c := range r.clients {
		c.send(msg)
	}
}

func ptrEqual(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// end tells every client the session has ended and closes them.
func (r *room) end(sess models.LiveSession) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.session.State == models.LiveEnded {
		return
	}
	r.session = sess
	msg := broadcast(sessionMsg{Type: TypeSession, Session: r.sessionView()})
	for c := range r.clients {
		c.send(msg)
		c.Close(CloseNormal, "session ended")
	}
}

// shut flushes pending tallies and closes every client with code.
func (r *room) shut(code int, reason string) {
	r.mu.Lock()
	r.stopTimers()
	for id := range r.dirty {
		r.broadcastTally(id, 0, 1)
	}
	clear(r.dirty)
	r.closed = true
	for c := range r.clients {
		c.Close(code, reason)
	}
	events := r.takeUnpublished()
	r.mu.Unlock()
	r.publish(events)
}

// stopTimers stops the room's flush and publish timers; r.mu is held.
func (r *room) stopTimers() {
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	if r.pubTimer != nil {
		r.pubTimer.Stop()
		r.pubTimer = nil
	}
}

// stop ends the room's timer once no client is left, telling the other
// processes what they have not heard yet.
func (r *room) stop() {
	r.mu.Lock()
	r.closed = true
	r.stopTimers()
	events := r.takeUnpublished()
	r.mu.Unlock()
	r.publish(events)
}
