package live

import (
	"context"
	"sync"

	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
)

// Event kinds.
const (
	// EventRound is a round's new state and tally at Seq; without Tally it
	// only says that the round changed, and receivers read it back.
	EventRound = "round"
	// EventEnded says a session has ended.
	EventEnded = "ended"
	// EventSession says an open session's settings changed; receivers
	// read it back.
	EventSession = "session"
)

// Event is what one hub tells the others after a commit. It carries full
// state, never a difference, so a receiver only has to keep the highest
// seq it has seen.
type Event struct {
	Origin  string       `json:"o"`
	Kind    string       `json:"k"`
	Session string       `json:"s"`
	Round   string       `json:"r,omitempty"`
	Seq     int64        `json:"q,omitempty"`
	State   string       `json:"st,omitempty"`
	Tally   *tally.Tally `json:"t,omitempty"`
}

func eventOf(u store.RoundUpdate) Event {
	t := u.Tally
	return Event{Kind: EventRound, Session: u.SessionID, Round: u.RoundID, Seq: u.Seq, State: u.State, Tally: &t}
}

// Handler receives events from a broker.
type Handler interface {
	// Receive applies an event.
	Receive(Event)
	// Resync is called when events may have been missed (the broker lost
	// its connection): the handler reads back what it holds.
	Resync()
}

// Broker carries events between the hubs of every process serving one
// database: in memory for a single process, PostgreSQL LISTEN/NOTIFY for
// several.
type Broker interface {
	// Publish sends an event to every subscriber, the publisher's own
	// included; it is called after the change is committed.
	Publish(ctx context.Context, ev Event) error
	// Subscribe registers h until the returned function is called.
	Subscribe(h Handler) (unsubscribe func())
}

// MemoryBroker delivers events within one process, synchronously.
type MemoryBroker struct {
	mu       sync.Mutex
	handlers map[*Handler]Handler
}

// NewMemoryBroker returns a broker for a single process.
func NewMemoryBroker() *MemoryBroker { return &MemoryBroker{handlers: map[*Handler]Handler{}} }

// Publish hands ev to every subscriber.
func (b *MemoryBroker) Publish(_ context.Context, ev Event) error {
	b.mu.Lock()
	hs := make([]Handler, 0, len(b.handlers))
	for _, h := range b.handlers {
		hs = append(hs, h)
	}
	b.mu.Unlock()
	for _, h := range hs {
		h.Receive(ev)
	}
	return nil
}

// Subscribe registers h.
func (b *MemoryBroker) Subscribe(h Handler) func() {
	key := new(Handler)
	b.mu.Lock()
	b.handlers[key] = h
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		delete(b.handlers, key)
		b.mu.Unlock()
	}
}
