package database

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Outage logs a database outage once, not once per request: the first
// failure that means "unavailable" logs a warning and starts a probe that
// pings the database every second; when it answers again, one line says
// so and how long it was away. Requests that fail in between log nothing.
type Outage struct {
	Log  *slog.Logger
	Ping func(ctx context.Context) error
	// Every is the probe's interval; zero means one second.
	Every time.Duration

	mu      sync.Mutex
	since   time.Time     // zero while the database answers
	stopped chan struct{} // closed by Stop; made on first use
}

// Stop ends the probe, if one runs, when the process shuts down.
func (o *Outage) Stop() {
	o.mu.Lock()
	defer o.mu.Unlock()
	select {
	case <-o.done():
	default:
		close(o.done())
	}
}

// done returns the channel Stop closes; o.mu is held.
func (o *Outage) done() chan struct{} {
	if o.stopped == nil {
		o.stopped = make(chan struct{})
	}
	return o.stopped
}

// Seen records a failure that Unavailable accepted.
func (o *Outage) Seen(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.since.IsZero() {
		return
	}
	o.since = time.Now()
	// The error names the database and the cause only: never a request's content.
	o.Log.Warn("database unavailable: answering 503 until it is back", "error", err)
	go o.probe(o.done())
}

// Down reports whether an outage is under way.
func (o *Outage) Down() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return !o.since.IsZero()
}

func (o *Outage) probe(stopped <-chan struct{}) {
	every := o.Every
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stopped:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), every)
		err := o.Ping(ctx)
		cancel()
		if err != nil && strings.Contains(err.Error(), "database is closed") {
			return // the process is stopping
		}
		if err == nil {
			o.mu.Lock()
			away := time.Since(o.since).Round(time.Second)
			o.since = time.Time{}
			o.mu.Unlock()
			o.Log.Info("database answering again", "away", away.String())
			return
		}
	}
}
