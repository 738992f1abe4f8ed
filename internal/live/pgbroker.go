package live

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/chorus-hr/chorus/internal/database"
)

// maxNotifyPayload keeps NOTIFY payloads under PostgreSQL's 8000-byte
// limit; a larger event goes out without its tally, and receivers read the
// round back.
const maxNotifyPayload = 7900

// PostgresBroker carries events between processes through PostgreSQL
// LISTEN/NOTIFY: a dedicated connection listens (database.Listener), and
// NOTIFY goes through the ordinary pool after each commit, never inside a
// vote transaction (that would serialize the commits).
type PostgresBroker struct {
	db       *sql.DB
	channel  string
	log      *slog.Logger
	listener *database.Listener

	mu       sync.Mutex
	handlers map[*Handler]Handler
}

// ChannelName is the live NOTIFY channel of one database and schema.
func ChannelName(ctx context.Context, db *sql.DB) (string, error) {
	return database.ChannelName(ctx, db, "chorus_live_")
}

// NewPostgresBroker listens on the database at url (the same DATABASE_URL
// as db) and returns once the listener is in place; Close stops it. When
// the listener's connection breaks and comes back, the handlers resync, as
// events may have been missed.
func NewPostgresBroker(ctx context.Context, url string, db *sql.DB, log *slog.Logger) (*PostgresBroker, error) {
	channel, err := ChannelName(ctx, db)
	if err != nil {
		return nil, err
	}
	b := &PostgresBroker{db: db, channel: channel, log: log, handlers: map[*Handler]Handler{}}
	b.listener, err = database.NewListener(ctx, url, channel, database.ListenHandlers{
		Notify: b.deliver,
		Listening: func() {
			for _, h := range b.subscribers() {
				h.Resync()
			}
		},
	}, log)
	if err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	return b, nil
}

// Channel is the NOTIFY channel in use.
func (b *PostgresBroker) Channel() string { return b.channel }

func (b *PostgresBroker) deliver(payload string) {
	var ev Event
	if err := json.Unmarshal([]byte(payload), &ev); err != nil {
		b.log.Warn("live: unreadable notification", "error", err)
		return
	}
	for _, h := range b.subscribers() {
		h.Receive(ev)
	}
}

func (b *PostgresBroker) subscribers() []Handler {
	b.mu.Lock()
	defer b.mu.Unlock()
	hs := make([]Handler, 0, len(b.handlers))
	for _, h := range b.handlers {
		hs = append(hs, h)
	}
	return hs
}

// Publish sends ev with NOTIFY, without its tally when it would not fit.
func (b *PostgresBroker) Publish(ctx context.Context, ev Event) error {
	payload, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if len(payload) > maxNotifyPayload {
		ev.Tally, ev.State = nil, ""
		if payload, err = json.Marshal(ev); err != nil {
			return err
		}
	}
	if _, err := b.db.ExecContext(ctx, "SELECT pg_notify($1, $2)", b.channel, string(payload)); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Subscribe registers h.
func (b *PostgresBroker) Subscribe(h Handler) func() {
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

// Close stops listening.
func (b *PostgresBroker) Close() error { return b.listener.Close() }
