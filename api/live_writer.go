package api

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chorus-hr/chorus/internal/live"
)

// wsWriter is a connection's writer. Whatever waits for the connection
// (messages, a due ping) is written by one of a few shared workers
// (writePool) with one non-blocking system call, so a tally sent to 5,000
// people costs 5,000 writes and no goroutine switch per person, and an
// idle participant costs no goroutine at all. Only when a connection
// cannot take all of it at once (the phone is behind), when it is closing,
// or when it cannot be written without blocking (TLS served by chorus
// itself) does it get a goroutine of its own, which writes with the usual
// deadline and lingers for WriterLinger. A write that cannot finish within
// writeWait drops the client. One writer at a time: state says which.
type wsWriter struct {
	t      *liveTransport
	conn   *websocket.Conn
	client *live.Client
	// raw writes without blocking; nil when the connection cannot (TLS).
	raw  syscall.RawConn
	ping *time.Timer
	// pingDue is set by the ping timer and cleared by the ping.
	pingDue atomic.Bool

	mu sync.Mutex
	// state is who writes now: nobody, a worker (queued or at it) or the
	// connection's own goroutine. again is set when woken meanwhile; kick
	// wakes the own goroutine while it lingers. finished is set once the
	// connection is closed.
	state    writerState
	again    bool
	kick     chan struct{}
	finished bool
}

type writerState uint8

const (
	writerIdle writerState = iota
	writerPooled
	writerOwn
)

func (t *liveTransport) newWriter(conn *websocket.Conn, client *live.Client) *wsWriter {
	w := &wsWriter{t: t, conn: conn, client: client}
	if sc, ok := conn.NetConn().(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			w.raw = raw
		}
	}
	w.ping = time.AfterFunc(t.limits.PingPeriod, func() {
		w.pingDue.Store(true)
		w.wake()
	})
	return w
}

// wake gets what waits written: by a worker, or by the connection's own
// goroutine if it has one. It never blocks.
func (w *wsWriter) wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.finished:
	case w.state == writerOwn:
		w.again = true
		select {
		case w.kick <- struct{}{}:
		default:
		}
	case w.state == writerPooled:
		w.again = true
	case w.raw != nil && w.t.pool.offer(w):
		w.state = writerPooled
	default:
		w.startOwn(nil)
	}
}

// startOwn hands the connection to its own goroutine, which first writes
// rest (what a worker could not); w.mu is held.
func (w *wsWriter) startOwn(rest []byte) {
	w.state = writerOwn
	w.kick = make(chan struct{}, 1)
	go w.run(w.kick, rest)
}

// serve is a worker's turn: it writes what waits without blocking, again
// while more came meanwhile, or hands the connection to its own goroutine.
func (w *wsWriter) serve(s *writeScratch) {
	for {
		w.mu.Lock()
		w.again = false
		w.mu.Unlock()
		rest, own := w.writeNow(s)
		w.mu.Lock()
		if own {
			w.startOwn(rest)
			w.mu.Unlock()
			return
		}
		if !w.again {
			w.state = writerIdle
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
	}
}

// writeNow writes what waits with one non-blocking write, framed in the
// worker's scratch buffer. It reports own when the connection needs its
// own goroutine: to close it, or to write rest, what the connection could
// not take at once (a copy: the buffer is the worker's).
func (w *wsWriter) writeNow(s *writeScratch) (rest []byte, own bool) {
	select {
	case <-w.client.Done():
		return nil, true
	default:
	}
	s.msgs = w.client.Drain(s.msgs[:0])
	s.out = w.appendPending(s.out[:0], s.msgs)
	clear(s.msgs)
	defer s.trim()
	if len(s.out) == 0 {
		return nil, false
	}
	s.n, s.err = 0, nil
	err := w.raw.Write(s.write)
	switch {
	case err == nil && (s.err == nil || errors.Is(s.err, syscall.EAGAIN)):
		n := max(s.n, 0)
		return slices.Clone(s.out[n:]), n < len(s.out)
	default:
		w.client.Close(live.CloseGoingAway, "")
		return nil, true
	}
}

// writeScratch is a pool worker's own: the messages it drains and the
// frames it writes are put in the same buffers connection after
// connection, and its raw write is made once (a closure per write cost
// three allocations).
type writeScratch struct {
	msgs  []*live.Message
	out   []byte
	n     int
	err   error
	write func(fd uintptr) bool
}

func newWriteScratch() *writeScratch {
	s := &writeScratch{}
	s.write = func(fd uintptr) bool {
		for {
			s.n, s.err = syscall.Write(int(fd), s.out)
			if !errors.Is(s.err, syscall.EINTR) {
				return true // never wait here: the own goroutine does
			}
		}
	}
	return s
}

// keptScratch is the largest frame buffer a worker keeps between writes.
const keptScratch = 64 << 10

func (s *writeScratch) trim() {
	if cap(s.out) > keptScratch {
		s.out = nil
	}
}

// pending is everything waiting to be written, for the own goroutine.
func (w *wsWriter) pending() []byte { return w.appendPending(nil, w.client.Drain(nil)) }

// appendPending appends msgs as frames to out (an ack and a tally drained
// together cost one write here and one read on the phone), with a ping if
// one is due.
func (w *wsWriter) appendPending(out []byte, msgs []*live.Message) []byte {
	for _, msg := range msgs {
		if f, ok := msg.Frame(textFrame).([]byte); ok {
			out = append(out, f...)
		} else {
			out = appendTextFrame(out, msg.Data())
		}
	}
	if w.pingDue.CompareAndSwap(true, false) {
		out = append(out, 0x80|websocket.PingMessage, 0)
		w.ping.Reset(w.t.limits.PingPeriod)
	}
	return out
}

// run is the connection's own goroutine: it writes rest, then what waits,
// until nothing has come for WriterLinger, then gives the connection back
// to the workers.
func (w *wsWriter) run(kick chan struct{}, rest []byte) {
	linger := time.NewTimer(w.t.limits.WriterLinger)
	defer linger.Stop()
	if len(rest) > 0 && !w.write(rest) {
		w.client.Close(live.CloseGoingAway, "")
	}
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
		if w.again {
			w.again = false
			w.mu.Unlock()
			continue
		}
		w.state, w.kick = writerIdle, nil
		w.mu.Unlock()
		return
	}
}

// flush writes what waits, blocking up to WriteWait; it reports false once
// the connection is to be closed.
func (w *wsWriter) flush() bool {
	select {
	case <-w.client.Done():
		code, reason := w.client.CloseStatus()
		// A client dropped for falling behind gets no backlog.
		if code == live.CloseTryAgain || w.write(w.pending()) {
			_ = w.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(w.t.limits.WriteWait))
		}
		return false
	default:
	}
	w.mu.Lock()
	w.again = false
	w.mu.Unlock()
	if !w.write(w.pending()) {
		w.client.Close(live.CloseGoingAway, "")
		return false
	}
	return true
}

// write writes out within WriteWait.
func (w *wsWriter) write(out []byte) bool {
	if len(out) == 0 {
		return true
	}
	nc := w.conn.NetConn()
	if nc.SetWriteDeadline(time.Now().Add(w.t.limits.WriteWait)) != nil {
		return false
	}
	_, err := nc.Write(out)
	return err == nil
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

// writePool is the few workers that write for every connection without
// blocking: as many as the process has cores, each started when there is
// work and gone after WriterLinger without any.
type writePool struct {
	queue   chan *wsWriter
	workers atomic.Int32
	// most is how many workers may run: the process's cores, read once
	// (runtime.GOMAXPROCS takes the scheduler's lock).
	most   int32
	linger time.Duration
}

func newWritePool(linger time.Duration) *writePool {
	return &writePool{queue: make(chan *wsWriter, 1<<16), most: int32(runtime.GOMAXPROCS(0)), linger: linger}
}

// offer queues w for a worker; false when the queue is full.
func (p *writePool) offer(w *wsWriter) bool {
	select {
	case p.queue <- w:
	default:
		return false
	}
	// A worker leaving looks at the queue after it has counted itself
	// out, so w is served by it or by the one started here.
	if n := p.workers.Load(); n < p.most && p.workers.CompareAndSwap(n, n+1) {
		go p.work()
	}
	return true
}

func (p *writePool) work() {
	idle := time.NewTimer(p.linger)
	defer idle.Stop()
	s := newWriteScratch()
	for {
		select {
		case w := <-p.queue:
			w.serve(s)
			idle.Reset(p.linger)
			continue
		case <-idle.C:
		}
		p.workers.Add(-1)
		select {
		case w := <-p.queue:
			p.workers.Add(1)
			w.serve(s)
			idle.Reset(p.linger)
		default:
			return
		}
	}
}

// textFrame frames a broadcast once for every connection it goes to, as
// one unmasked text frame, as a server sends it (RFC 6455 section 5.2).
func textFrame(data []byte) any { return appendTextFrame(make([]byte, 0, len(data)+10), data) }

func appendTextFrame(dst, data []byte) []byte {
	const finText = 0x80 | websocket.TextMessage
	switch n := len(data); {
	case n < 126:
		dst = append(dst, finText, byte(n))
	case n <= 0xFFFF:
		dst = append(dst, finText, 126, byte(n>>8), byte(n))
	default:
		dst = append(dst, finText, 127, 0, 0, 0, 0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, data...)
}
