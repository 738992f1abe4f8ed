// Command baseline is the bare websocket server bench/live compares
// Chorus with: gorilla/websocket's chat example reduced to one room. It
// takes the same vote messages as a Chorus participant socket, answers
// each with an ack, and broadcasts every vote to the whole room at once:
// no database, no coalescing, no rounds. Each connection has one reader
// and one writer goroutine and a 256-message queue, and a client whose
// queue is full is dropped, as in the chat example.
//
//	BASELINE_ADDR=127.0.0.1:8099 go run ./bench/live/baseline
package main

import (
	"bytes"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait      = 10 * time.Second
	pongWait       = 60 * time.Second
	pingPeriod     = pongWait * 9 / 10
	maxMessageSize = 4 << 10
	queueSize      = 256
)

var welcome = []byte(`{"type":"welcome"}`)

type client struct {
	conn *websocket.Conn
	send chan []byte
}

// room is every connection; a vote goes to all of them.
type room struct {
	mu      sync.Mutex
	clients map[*client]struct{}
	seq     atomic.Int64
}

func (r *room) join(c *client) {
	r.mu.Lock()
	r.clients[c] = struct{}{}
	r.mu.Unlock()
}

func (r *room) leave(c *client) {
	r.mu.Lock()
	if _, ok := r.clients[c]; ok {
		delete(r.clients, c)
		close(c.send)
	}
	r.mu.Unlock()
}

// vote acks a vote to its sender and broadcasts it to everyone.
func (r *room) vote(from *client, voteID []byte) {
	seq := r.seq.Add(1)
	ack := fmt.Appendf(nil, `{"type":"ack","vote_id":"%s","seq":%d}`, voteID, seq)
	tally := fmt.Appendf(nil, `{"type":"tally","seq":%d,"vote_id":"%s"}`, seq, voteID)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deliver(from, ack)
	for c := range r.clients {
		r.deliver(c, tally)
	}
}

// deliver queues a message without blocking; a full queue drops the
// client (r.mu is held).
func (r *room) deliver(c *client, msg []byte) {
	if _, ok := r.clients[c]; !ok {
		return
	}
	select {
	case c.send <- msg:
	default:
		delete(r.clients, c)
		close(c.send)
	}
}

func (r *room) serve(w http.ResponseWriter, req *http.Request) {
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, req, nil)
	if err != nil {
		return
	}
	c := &client{conn: conn, send: make(chan []byte, queueSize)}
	c.send <- welcome
	r.join(c)
	go c.write()
	go c.read(r)
}

func (c *client) read(r *room) {
	defer func() {
		r.leave(c)
		_ = c.conn.Close()
	}()
	c.conn.SetReadLimit(maxMessageSize)
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) })
	key := []byte(`"vote_id":"`)
	for {
		_, msg, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		i := bytes.Index(msg, key)
		if i < 0 {
			continue
		}
		id := msg[i+len(key):]
		if j := bytes.IndexByte(id, '"'); j >= 0 {
			r.vote(c, id[:j])
		}
	}
}

func (c *client) write() {
	ping := time.NewTicker(pingPeriod)
	defer func() {
		ping.Stop()
		_ = c.conn.Close()
	}()
	for {
		select {
		case msg, ok := <-c.send:
			_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				_ = c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "too slow"))
				return
			}
			if c.conn.WriteMessage(websocket.TextMessage, msg) != nil {
				return
			}
		case <-ping.C:
			if c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)) != nil {
				return
			}
		}
	}
}

func main() {
	addr := os.Getenv("BASELINE_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8099"
	}
	r := &room{clients: map[*client]struct{}{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", r.serve)
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		r.mu.Lock()
		n := len(r.clients)
		r.mu.Unlock()
		_, _ = w.Write([]byte(strconv.Itoa(n)))
	})
	log.Fatal(http.ListenAndServe(addr, mux))
}
