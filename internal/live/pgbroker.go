package live

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// maxNotifyPayload keeps NOTIFY payloads under PostgreSQL's 8000-byte
// limit; a larger event goes out without its tally, and receivers read the
// round back.
const maxNotifyPayload = 7900

// Reconnection backoff of the listener.
const (
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
)

// PostgresBroker carries events between processes through PostgreSQL
// LISTEN/NOTIFY: a dedicated connection listens, and NOTIFY goes through
// the ordinary pool after each commit, never inside a vote transaction
// (that would serialize the commits).
type PostgresBroker struct {
	url     string
	db      *sql.DB
	channel string
	log     *slog.Logger

	mu       sync.Mutex
	handlers map[*Handler]Handler

	cancel context.CancelFunc
	done   chan struct{}
}

// ChannelName is the NOTIFY channel of one database and schema, so that
// schemas sharing a server (parallel tests, several deployments) do not
// hear each other.
func ChannelName(ctx context.Context, db *sql.DB) (string, error) {
	var where string
	if err := db.QueryRowContext(ctx, "SELECT current_database() || '.' || coalesce(current_schema(), '')").Scan(&where); err != nil {
		return "", fmt.Errorf("live channel name: %w", err)
	}
	sum := sha256.Sum256([]byte(where))
	return "chorus_live_" + hex.EncodeToString(sum[:8]), nil
}

// NewPostgresBroker listens on the database at url (the same DATABASE_URL
// as db) and returns once the listener is in place; Close stops it.
func NewPostgresBroker(ctx context.Context, url string, db *sql.DB, log *slog.Logger) (*PostgresBroker, error) {
	channel, err := ChannelName(ctx, db)
	if err != nil {
		return nil, err
	}
	conn, err := listen(ctx, url, channel)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	b := &PostgresBroker{url: url, db: db, channel: channel, log: log, handlers: map[*Handler]Handler{}, cancel: cancel, done: make(chan struct{})}
	go b.run(runCtx, conn)
	return b, nil
}

func listen(ctx context.Context, url, channel string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("live listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		_ = conn.Close(context.Background())
		return nil, fmt.Errorf("live listener: %w", err)
	}
	return conn, nil
}

// Channel is the NOTIFY channel in use.
func (b *PostgresBroker) Channel() string { return b.channel }

// run delivers notifications until Close; when the connection breaks it
// reconnects and has the handlers resync, as events may have been missed.
func (b *PostgresBroker) run(ctx context.Context, conn *pgx.Conn) {
	defer close(b.done)
	wait := listenRetryMin
	for {
		if conn != nil {
			err := b.deliver(ctx, conn)
			_ = conn.Close(context.Background())
			conn = nil
			if ctx.Err() != nil {
				return
			}
			b.log.Warn("live: listener lost its connection", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		c, err := listen(ctx, b.url, b.channel)
		if err != nil {
			wait = min(wait*2, listenRetryMax)
			continue
		}
		conn, wait = c, listenRetryMin
		for _, h := range b.subscribers() {
			h.Resync()
		}
	}
}

func (b *PostgresBroker) deliver(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ev Event
		if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil {
			b.log.Warn("live: unreadable notification", "error", err)
			continue
		}
		for _, h := range b.subscribers() {
			h.Receive(ev)
		}
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
func (b *PostgresBroker) Close() error {
	b.cancel()
	<-b.done
	return nil
}
