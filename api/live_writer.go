package api

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chorus-hr/chorus/internal/live"
)

// wsWriter is a connection's one writer. It runs as a goroutine only while
// there is something to write (messages, a ping, the close frame) and for
// WriterLinger after, then exits, so an idle participant costs no writer
// stack: the hub wakes it, and so does a timer when a ping is due. A
// write that cannot finish within writeWait drops the client.
type wsWriter struct {
	t      *liveTransport
	conn   *websocket.Conn
	client *live.Client
	ping   *time.Timer
	// pingDue is set by the ping timer and cleared by the ping.
	pingDue atomic.Bool

	mu sync.Mutex
	// kick wakes the running writer (nil while none runs); finished is
	// set once the connection is closed.
	kick     chan struct{}
	finished bool
}

func (t *liveTransport) newWriter(conn *websocket.Conn, client *live.Client) *wsWriter {
	w := &wsWriter{t: t, conn: conn, client: client}
	w.ping = time.AfterFunc(t.limits.PingPeriod, func() {
		w.pingDue.Store(true)
		w.wake()
	})
	return w
}

// wake starts the writer, or wakes the running one; it never blocks.
func (w *wsWriter) wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.finished:
	case w.kick != nil:
		select {
		case w.kick <- struct{}{}:
		default:
		}
	default:
		w.kick = make(chan struct{}, 1)
		go w.run(w.kick)
	}
}

// run writes until nothing has come for WriterLinger.
func (w *wsWriter) run(kick chan struct{}) {
	linger := time.NewTimer(w.t.limits.WriterLinger)
	defer linger.Stop()
	for {
		if !w.flush() {
			w.finish()
			return
		}
		linger.Reset(w.t.limits.WriterLinger)
		select {
		case <-kick:
			continue
		case <-linger.C:
		}
		w.mu.Lock()
		select {
		case <-kick:
			// Woken just as it was leaving: carry on.
			w.mu.Unlock()
			continue
		default:
		}
		w.kick = nil
		w.mu.Unlock()
		return
	}
}

// flush writes what waits and a due ping; it reports false once the
// connection is to be closed.
func (w *wsWriter) flush() bool {
	l := w.t.limits
	select {
	case <-w.client.Done():
		code, reason := w.client.CloseStatus()
		// A client dropped for falling behind gets no backlog.
		if code == live.CloseTryAgain || w.send() {
			_ = w.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(l.WriteWait))
		}
		return false
	default:
	}
	if !w.send() {
		w.client.Close(live.CloseGoingAway, "")
		return false
	}
	if w.pingDue.CompareAndSwap(true, false) {
		if w.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(l.WriteWait)) != nil {
			w.client.Close(live.CloseGoingAway, "")
			return false
		}
		w.ping.Reset(l.PingPeriod)
	}
	return true
}

// send writes every message waiting for the client.
func (w *wsWriter) send() bool {
	for _, msg := range w.client.Drain(nil) {
		if w.conn.SetWriteDeadline(time.Now().Add(w.t.limits.WriteWait)) != nil || writeMessage(w.conn, msg) != nil {
			return false
		}
	}
	return true
}

// finish closes the connection; the reader then fails and leaves.
func (w *wsWriter) finish() {
	w.mu.Lock()
	w.finished = true
	w.mu.Unlock()
	w.ping.Stop()
	_ = w.conn.Close()
	w.t.live.metrics.WebsocketsOpen.Dec()
	w.t.live.conns.Done()
}
