package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

type seqAt struct{ seq, t int64 }

type client struct {
	conn    *websocket.Conn
	server  int // index of the process it is connected to
	wmu     sync.Mutex
	mu      sync.Mutex
	seqs    []seqAt
	welcome chan struct{}
	closed  atomic.Bool
	tallies atomic.Int64
}

// gen is the load generator's connections and the phase of votes being
// sent; readers file each ack under the phase that sent it.
type gen struct {
	tg      *target
	clients []*client
	phase   atomic.Pointer[phase]
	mu      sync.Mutex
	errs    map[string]int
}

// phase is one stretch of open-loop votes at one rate.
type phase struct {
	id     int
	rate   float64
	total  int
	t0     time.Time
	sched  []int64
	ackAt  []int64
	ackSeq []int64
}

// connect opens n participant websockets, spread over the target's
// processes in turn, at ramp per second with at most 64 dials in flight,
// and waits for each welcome.
func connect(tg *target, n int, ramp float64) (*gen, int64, time.Duration) {
	g := &gen{tg: tg, clients: make([]*client, n), errs: map[string]int{}}
	dialer := &websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second, Proxy: nil}
	start := time.Now()
	var dialErrs atomic.Int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	interval := time.Duration(float64(time.Second) / ramp)
	for i := range n {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			s := i % len(tg.wsURLs)
			var c *websocket.Conn
			var err error
			for range 3 {
				c, _, err = dialer.Dial(tg.wsURLs[s], http.Header{"Origin": {tg.origins[s]}})
				if err == nil {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			if err != nil {
				if dialErrs.Add(1) <= 3 {
					fmt.Fprintln(os.Stderr, "dial:", err)
				}
				return
			}
			cl := &client{conn: c, server: s, welcome: make(chan struct{})}
			go g.read(cl)
			select {
			case <-cl.welcome:
				g.clients[i] = cl
			case <-time.After(30 * time.Second):
				fmt.Fprintln(os.Stderr, "no welcome within 30s")
				c.Close()
			}
		}(i)
	}
	wg.Wait()
	return g, dialErrs.Load(), time.Since(start)
}

func (g *gen) connected() int {
	n := 0
	for _, c := range g.clients {
		if c != nil {
			n++
		}
	}
	return n
}

func (g *gen) close() {
	for _, c := range g.clients {
		if c != nil {
			c.conn.Close()
		}
	}
}

// send runs one phase: vote k is due at t0 + k/rate whether or not earlier
// votes were answered (open loop), and goes to the k-th voter in turn:
// every participant of the first process. It returns once the last vote
// is written, with how far the scheduler fell behind at worst.
func (g *gen) send(id int, rate float64, d time.Duration) (*phase, time.Duration, int64) {
	var voters []*client
	for _, c := range g.clients {
		if c != nil && c.server == 0 {
			voters = append(voters, c)
		}
	}
	total := int(rate * d.Seconds())
	p := &phase{id: id, rate: rate, total: total, sched: make([]int64, total), ackAt: make([]int64, total), ackSeq: make([]int64, total)}
	rng := rand.New(rand.NewSource(int64(id) + 1))
	choices := make([]string, total)
	for k := range choices {
		choices[k] = g.tg.options[rng.Intn(len(g.tg.options))]
	}
	p.t0 = time.Now().Add(100 * time.Millisecond)
	g.phase.Store(p)
	var sendErrs atomic.Int64
	var lateMax time.Duration
	for k := 0; k < total; {
		now := time.Now()
		due := min(int(float64(now.Sub(p.t0))/float64(time.Second)*rate), total-1)
		for ; k <= due; k++ {
			at := p.t0.Add(time.Duration(float64(k) / rate * float64(time.Second)))
			lateMax = max(lateMax, now.Sub(at))
			p.sched[k] = at.UnixNano()
			cl := voters[k%len(voters)]
			msg := fmt.Appendf(nil, `{"type":"vote","vote_id":"%s","round_id":"%s","choice":"%s"}`, voteID(id, k), g.tg.roundID, choices[k])
			go func() {
				cl.wmu.Lock()
				_ = cl.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
				err := cl.conn.WriteMessage(websocket.TextMessage, msg)
				cl.wmu.Unlock()
				if err != nil {
					sendErrs.Add(1)
				}
			}()
		}
		if k < total {
			if d := time.Until(p.t0.Add(time.Duration(float64(k) / rate * float64(time.Second)))); d > 0 {
				time.Sleep(d)
			}
		}
	}
	return p, lateMax, sendErrs.Load()
}

// read records a client's welcome, tallies (the time each higher seq
// arrived), acks and errors. It parses the few fields it needs by hand:
// with thousands of sockets on the same cores as the server, the load
// generator's own decoding would count against the server's latency.
func (g *gen) read(c *client) {
	first := true
	// One buffer per connection, reused for every message: with thousands
	// of readers, a fresh one each (ReadMessage) made the generator's
	// garbage collector take CPU the server then lacked.
	var buf bytes.Buffer
	for {
		_, r, err := c.conn.NextReader()
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		data := buf.Bytes()
		now := time.Now().UnixNano()
		if err != nil {
			c.closed.Store(true)
			if first {
				close(c.welcome)
			}
			return
		}
		switch field(data, `"type":"`) {
		case "welcome":
			if first {
				first = false
				close(c.welcome)
			}
		case "tally":
			seq := number(data)
			c.tallies.Add(1)
			c.mu.Lock()
			if n := len(c.seqs); n == 0 || seq > c.seqs[n-1].seq {
				c.seqs = append(c.seqs, seqAt{seq, now})
			}
			c.mu.Unlock()
		case "ack":
			p := g.phase.Load()
			if ph, k, ok := voteIndex(field(data, `"vote_id":"`)); ok && p != nil && ph == p.id && k < p.total {
				if atomic.CompareAndSwapInt64(&p.ackAt[k], 0, now) {
					atomic.StoreInt64(&p.ackSeq[k], number(data))
				}
			}
		case "error":
			var m struct{ Code string }
			_ = json.Unmarshal(data, &m)
			g.mu.Lock()
			g.errs[m.Code]++
			g.mu.Unlock()
		}
	}
}

// field is the string value after key in a JSON message ("" if absent).
func field(data []byte, key string) string {
	i := bytes.Index(data, []byte(key))
	if i < 0 {
		return ""
	}
	rest := data[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// number is the value of "seq" in a message.
func number(data []byte) int64 {
	i := bytes.Index(data, []byte(`"seq":`))
	if i < 0 {
		return 0
	}
	var n int64
	for _, b := range data[i+6:] {
		if b < '0' || b > '9' {
			break
		}
		n = n*10 + int64(b-'0')
	}
	return n
}

// voteID is a UUID-shaped vote_id naming the phase and the vote.
func voteID(phase, k int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", phase, k) }

func voteIndex(s string) (phase, k int, ok bool) {
	if len(s) != 36 {
		return 0, 0, false
	}
	p, err1 := strconv.ParseInt(s[:8], 16, 64)
	v, err2 := strconv.ParseInt(s[24:], 16, 64)
	return int(p), int(v), err1 == nil && err2 == nil
}

func (g *gen) errorCounts() (map[string]int, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	out, n := map[string]int{}, 0
	for k, v := range g.errs {
		out[k] = v
		n += v
	}
	clear(g.errs)
	return out, n
}
