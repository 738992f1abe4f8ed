// Package live is the vote hub of live sessions: rooms of connections per
// session, running tallies per round, coalesced broadcasts, the group
// commit of votes, and a broker so that every process serving one
// database acts as one. It knows nothing about HTTP: the transport
// (api/live_ws.go) authenticates, upgrades and hands each connection over
// as a Client.
package live

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Store is the storage the hub needs; *store.Store is one.
type Store interface {
	OpenLiveSession(ctx context.Context, code string) (models.LiveSession, error)
	LiveSessionByID(ctx context.Context, id string) (models.LiveSession, error)
	MinVoters(ctx context.Context, orgID string) (int, error)
	OpenLiveSessionIDs(ctx context.Context) ([]string, error)
	LoadRounds(ctx context.Context, sessionID string) ([]models.LiveRound, []store.RoundUpdate, error)
	Rounds(ctx context.Context, sessionID string) ([]models.LiveRound, error)
	LiveRound(ctx context.Context, id string) (models.LiveRound, error)
	LiveParticipant(ctx context.Context, sessionID string, tokenHash []byte) (string, error)
	SharedDeviceKnown(ctx context.Context, sessionID string, keyHash []byte) (bool, error)
	CommitVotes(ctx context.Context, votes []store.VoteInput) ([]store.VoteOutcome, []store.RoundUpdate, error)
	CommitComment(ctx context.Context, in store.CommentInput) (store.CommentOutcome, error)
	ApprovedComments(ctx context.Context, roundID string) ([]string, error)
}

// Counter counts events; a prometheus.Counter is one.
type Counter interface{ Inc() }

type nopCounter struct{}

func (nopCounter) Inc() {}

// Gauge is a number that goes up and down, such as a Prometheus gauge.
type Gauge interface{ Add(float64) }

type nopGauge struct{}

func (nopGauge) Add(float64) {}

// Defaults of Options.
const (
	// MinTallyInterval and MaxTallyInterval bound the least time between
	// two tally broadcasts of a room (many votes in between make one
	// update); TallyCostPerClient sets where in between a room falls, by
	// its clients in this process (TallyIntervalFor).
	MinTallyInterval   = 20 * time.Millisecond
	MaxTallyInterval   = 150 * time.Millisecond
	TallyCostPerClient = 80 * time.Microsecond
	// TallySendPerClient is about what sending one tally to one client
	// costs the server, in Go and in the kernel (docs/benchmarks-live.md):
	// past 7,500 clients a room's interval grows with it, clients ×
	// TallySendPerClient, so sending its tallies keeps at most about one
	// core busy (10,000 clients: 200 ms).
	TallySendPerClient = 20 * time.Microsecond
	// DefaultBatchSize is the most votes one transaction commits.
	DefaultBatchSize = 1024
	// DefaultBatchDelay is how long a batch waits for more votes.
	DefaultBatchDelay = 2 * time.Millisecond
	// DefaultQueueLimit is how many messages (other than tallies, which
	// replace each other) may wait for one client before it is dropped.
	DefaultQueueLimit = 16
	// DefaultMaxPending is how many votes may wait for a commit before new
	// ones are refused with "unavailable".
	DefaultMaxPending = 20000
	// loadTimeout bounds reading a session when its first client comes.
	loadTimeout = 15 * time.Second
	// publishTimeout bounds telling other processes of a change.
	publishTimeout = 10 * time.Second
)

// Options configure a Hub; zero values take the defaults.
type Options struct {
	Store         Store
	Broker        Broker
	Log           *slog.Logger
	VotesAccepted Counter
	// VotesWaiting counts votes queued and not yet committed or refused.
	VotesWaiting Gauge
	// TallyInterval, when set, is every room's tally interval whatever its
	// size; zero means TallyIntervalFor the room's clients.
	TallyInterval time.Duration
	BatchSize     int
	BatchDelay    time.Duration
	QueueLimit    int
	MaxPending    int
	// Scrub removes personal identifiers from a comment before it is
	// stored; nil is privacy.Scrub, the kiosk's scrubber.
	Scrub func(text string) (clean string, removed int)
}

// ErrClosed is returned once the hub is shutting down.
var ErrClosed = errors.New("live: the hub is shutting down")

// Hub holds the rooms of one process.
type Hub struct {
	opts Options
	// id tells this hub's events from other processes'.
	id    string
	log   *slog.Logger
	batch *batcher
	unsub func()

	mu     sync.Mutex
	rooms  map[string]*room
	closed bool
}

// New starts a hub; Close stops it.
func New(opts Options) *Hub {
	if opts.Broker == nil {
		opts.Broker = NewMemoryBroker()
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.VotesAccepted == nil {
		opts.VotesAccepted = nopCounter{}
	}
	if opts.Scrub == nil {
		opts.Scrub = privacy.Scrub
	}
	if opts.VotesWaiting == nil {
		opts.VotesWaiting = nopGauge{}
	}
	opts.BatchSize = cmpOr(opts.BatchSize, DefaultBatchSize)
	opts.BatchDelay = cmpOr(opts.BatchDelay, DefaultBatchDelay)
	opts.QueueLimit = cmpOr(opts.QueueLimit, DefaultQueueLimit)
	opts.MaxPending = cmpOr(opts.MaxPending, DefaultMaxPending)
	h := &Hub{opts: opts, id: models.NewID(), log: opts.Log, rooms: map[string]*room{}}
	h.batch = newBatcher(h)
	h.unsub = opts.Broker.Subscribe(h)
	return h
}

// TallyIntervalFor is the tally interval of a room with clients
// connections in this process: clients × TallyCostPerClient, at least
// MinTallyInterval and at most MaxTallyInterval, and never less than
// clients × TallySendPerClient. Framing a tally once costs the same in any
// room; sending it costs per client, so a room of 50 gets every change
// within 20 ms, one of 1,875 to 7,500 at most about seven updates a second,
// and a larger one fewer, as sending each takes longer.
func TallyIntervalFor(clients int) time.Duration {
	n := time.Duration(clients)
	return max(min(max(n*TallyCostPerClient, MinTallyInterval), MaxTallyInterval), n*TallySendPerClient)
}

func (h *Hub) tallyInterval(clients int) time.Duration {
	if h.opts.TallyInterval > 0 {
		return h.opts.TallyInterval
	}
	return TallyIntervalFor(clients)
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Rebuild checks every open session's tallies against its votes and hand
// counts, repairing (under a new seq) any that do not match; a process
// runs it at start. Rooms rebuild again when they load.
func (h *Hub) Rebuild(ctx context.Context) error {
	ids, err := h.opts.Store.OpenLiveSessionIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		_, repaired, err := h.opts.Store.LoadRounds(ctx, id)
		if err != nil {
			return err
		}
		for _, u := range repaired {
			h.log.Warn("live: repaired a stored tally", "round", u.RoundID)
			h.publish(ctx, eventOf(u))
		}
	}
	return nil
}

// Lookup finds the open session a join code names.
func (h *Hub) Lookup(ctx context.Context, code string) (models.LiveSession, error) {
	return h.opts.Store.OpenLiveSession(ctx, code)
}

// Connect adds a connection to a session's room, loading the room first
// when it is the session's first connection here. The client's welcome is
// queued at once.
func (h *Hub) Connect(ctx context.Context, sess models.LiveSession, role Role) (*Client, error) {
	return h.Join(ctx, sess, role, nil)
}

// Join is Connect with a join limit: admit is asked before each new
// participant of the connection casts its first vote, and a false refuses
// that vote (join_limited). A resumed participant is never asked.
func (h *Hub) Join(ctx context.Context, sess models.LiveSession, role Role, admit func() bool) (*Client, error) {
	r, err := h.room(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	c := newClient(h, r, role)
	c.admit = admit
	r.attach(c)
	return c, nil
}

// room returns a session's loaded room and holds a reference to it.
func (h *Hub) room(ctx context.Context, id string) (*room, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrClosed
	}
	r, found := h.rooms[id]
	if !found {
		r = newRoom(h, id)
		h.rooms[id] = r
	}
	r.refs++
	h.mu.Unlock()
	if !found {
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
		r.err = r.load(loadCtx)
		cancel()
		close(r.ready)
	}
	select {
	case <-r.ready:
	case <-ctx.Done():
		h.release(r)
		return nil, ctx.Err()
	}
	if r.err != nil {
		h.release(r)
		return nil, r.err
	}
	return r, nil
}

// release drops a reference; the last one removes the room.
func (h *Hub) release(r *room) {
	h.mu.Lock()
	r.refs--
	last := r.refs == 0 && h.rooms[r.id] == r
	if last {
		delete(h.rooms, r.id)
	}
	h.mu.Unlock()
	if last {
		r.stop()
	}
}

func (h *Hub) lookupRoom(sessionID string) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[sessionID]
}

// Clients counts the connections of a session in this process.
func (h *Hub) Clients(sessionID string) int {
	r := h.lookupRoom(sessionID)
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.clients)
}

// Updated announces rounds a facilitator changed (opened, closed,
// revealed, hand counts) after the change is committed.
func (h *Hub) Updated(ctx context.Context, rounds ...models.LiveRound) {
	for _, rd := range rounds {
		if r := h.lookupRoom(rd.SessionID); r != nil {
			r.applyRound(rd)
		}
		u, err := store.UpdateOf(rd)
		if err != nil {
			h.log.Warn("live: round tally", "error", err)
			continue
		}
		h.publish(ctx, eventOf(u))
	}
}

// SessionChanged announces a committed change to an open session's
// settings (its room size): every client is sent the session again.
func (h *Hub) SessionChanged(ctx context.Context, sess models.LiveSession) {
	if r := h.lookupRoom(sess.ID); r != nil {
		r.setSession(sess)
	}
	h.publish(ctx, Event{Kind: EventSession, Session: sess.ID})
}

// Ended announces that a session has ended: its clients are told and
// closed.
func (h *Hub) Ended(ctx context.Context, sess models.LiveSession) {
	if r := h.lookupRoom(sess.ID); r != nil {
		r.end(sess)
	}
	h.publish(ctx, Event{Kind: EventEnded, Session: sess.ID})
}

// committed applies a tally this process committed to its room and tells
// the other processes: at the room's next flush, with its clients, or at
// once when the room cannot hold it until then.
func (h *Hub) committed(ctx context.Context, u store.RoundUpdate) {
	if r := h.lookupRoom(u.SessionID); r != nil && r.committed(u) {
		return
	}
	h.publish(ctx, eventOf(u))
}

// publish tells other processes of a committed change. It outlives the
// request that made the change: a facilitator who closes the page right
// after "reveal" must not leave other processes' rooms behind.
func (h *Hub) publish(ctx context.Context, ev Event) {
	ev.Origin = h.id
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	if err := h.opts.Broker.Publish(ctx, ev); err != nil {
		// Other processes catch up with the round's next change, or when
		// their listener reconnects and resyncs.
		h.log.Warn("live: publish", "error", err)
	}
}

// Receive applies another process's event.
func (h *Hub) Receive(ev Event) {
	if ev.Origin == h.id {
		return
	}
	r := h.lookupRoom(ev.Session)
	if r == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	r.receive(ctx, ev)
}

// Resync reads back every loaded room's rounds and session, after the
// broker may have missed events.
func (h *Hub) Resync() {
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	for _, r := range rooms {
		r.mu.Lock()
		loaded := r.loaded
		r.mu.Unlock()
		if !loaded {
			continue
		}
		rounds, err := h.opts.Store.Rounds(ctx, r.id)
		if err != nil {
			h.log.Warn("live: resync", "error", err)
			continue
		}
		for _, rd := range rounds {
			r.applyRound(rd)
		}
		if sess, err := h.opts.Store.LiveSessionByID(ctx, r.id); err == nil && sess.State == models.LiveEnded {
			r.end(sess)
		} else if err == nil {
			r.setSession(sess)
		}
	}
}

// Close stops the hub: new connections and votes are refused, queued votes
// are committed and acknowledged until ctx ends (those left are answered
// "unavailable", never acknowledged), pending tallies are sent, and every
// client is closed with code 1001 (going away) so it reconnects elsewhere.
// The transport then writes the close frames.
func (h *Hub) Close(ctx context.Context) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	h.mu.Unlock()
	h.batch.close(ctx)
	h.unsub()
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.shut(CloseGoingAway, "server restarting")
	}
}
