package database

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reconnection backoff of a Listener, and how long it waits for a
// notification before it checks that its connection still answers (a
// connection cut without a reset would otherwise look like a quiet one).
const (
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
	listenCheck    = 15 * time.Second
)

// ChannelName is the NOTIFY channel for prefix in one database and schema,
// so that schemas sharing a server (parallel tests, several deployments)
// do not hear each other. ChannelSQL computes the same name in SQL, for
// triggers.
func ChannelName(ctx context.Context, db *sql.DB, prefix string) (string, error) {
	var where string
	if err := db.QueryRowContext(ctx, "SELECT current_database() || '.' || coalesce(current_schema(), '')").Scan(&where); err != nil {
		return "", fmt.Errorf("%s channel name: %w", prefix, err)
	}
	sum := sha256.Sum256([]byte(where))
	return prefix + hex.EncodeToString(sum[:8]), nil
}

// Notification handlers of a Listener. Lost is called when the connection
// breaks (notifications may be missed from then on) and Listening once a
// new connection listens again; neither is called for the first
// connection, which NewListener makes before it returns.
type ListenHandlers struct {
	Notify    func(payload string)
	Lost      func()
	Listening func()
}

// Listener holds one dedicated PostgreSQL connection that LISTENs on a
// channel and reconnects, with backoff, when it breaks.
type Listener struct {
	url, channel string
	h            ListenHandlers
	log          *slog.Logger
	cancel       context.CancelFunc
	done         chan struct{}
}

// NewListener listens on channel of the database at url and returns once
// the first connection listens; Close stops it.
func NewListener(ctx context.Context, url, channel string, h ListenHandlers, log *slog.Logger) (*Listener, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	conn, err := listen(ctx, url, channel)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	l := &Listener{url: url, channel: channel, h: h, log: log, cancel: cancel, done: make(chan struct{})}
	go l.run(runCtx, conn)
	return l, nil
}

func listen(ctx context.Context, url, channel string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("listener %s: %w", channel, err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		_ = conn.Close(context.Background())
		return nil, fmt.Errorf("listener %s: %w", channel, err)
	}
	return conn, nil
}

// Channel is the channel listened on.
func (l *Listener) Channel() string { return l.channel }

func (l *Listener) run(ctx context.Context, conn *pgx.Conn) {
	defer close(l.done)
	wait := listenRetryMin
	for {
		if conn != nil {
			err := l.deliver(ctx, conn)
			_ = conn.Close(context.Background())
			conn = nil
			if ctx.Err() != nil {
				return
			}
			if l.h.Lost != nil {
				l.h.Lost()
			}
			l.log.Warn("listener lost its connection", "channel", l.channel, "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		c, err := listen(ctx, l.url, l.channel)
		if err != nil {
			wait = min(wait*2, listenRetryMax)
			continue
		}
		conn, wait = c, listenRetryMin
		if l.h.Listening != nil {
			l.h.Listening()
		}
	}
}

func (l *Listener) deliver(ctx context.Context, conn *pgx.Conn) error {
	for {
		waitCtx, cancel := context.WithTimeout(ctx, listenCheck)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			l.h.Notify(n.Payload)
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			// Quiet for a while: make sure the connection still answers.
			pingCtx, cancel := context.WithTimeout(ctx, listenCheck)
			err := conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return err
			}
		default:
			return err
		}
	}
}

// Close stops listening.
func (l *Listener) Close() error {
	l.cancel()
	<-l.done
	return nil
}
