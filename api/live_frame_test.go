package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The writer frames its messages itself and writes all that waits in one
// system call. Frames of every length class (RFC 6455 section 5.2: a
// 7-bit, 16-bit and 64-bit length) written back to back in one write must
// reach a client as whole, separate messages, and a pong (gorilla's own
// write) may come between two such writes.
func TestFramesWrittenTogetherArriveWhole(t *testing.T) {
	sizes := []int{0, 1, 125, 126, 127, 65535, 65536, 70000}
	want := make([][]byte, len(sizes))
	for i, n := range sizes {
		want[i] = bytes.Repeat([]byte{byte('a' + i)}, n)
	}
	upgrader := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer func() { _ = conn.Close() }()
		// The client pings; the server's reader answers it (gorilla's own
		// write), before the second of the writer's writes.
		ponged := make(chan struct{})
		conn.SetPingHandler(func(data string) error {
			defer close(ponged)
			return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		go func() {
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
			}
		}()
		var out []byte
		for _, data := range want[:4] {
			out = appendTextFrame(out, data)
		}
		if _, err := conn.NetConn().Write(out); err != nil {
			t.Error(err)
			return
		}
		<-ponged
		out = out[:0]
		for _, data := range want[4:] {
			out = appendTextFrame(out, data)
		}
		if _, err := conn.NetConn().Write(out); err != nil {
			t.Error(err)
		}
		<-r.Context().Done()
	}))
	defer srv.Close()

	conn, resp, err := websocket.DefaultDialer.Dial(strings.Replace(srv.URL, "http", "ws", 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	defer func() { _ = conn.Close() }()
	pongs := 0
	conn.SetPongHandler(func(string) error { pongs++; return nil })
	if err := conn.WriteMessage(websocket.PingMessage, []byte("p")); err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		kind, got, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("message %d (%d bytes): %v", i, len(w), err)
		}
		if kind != websocket.TextMessage || !bytes.Equal(got, w) {
			t.Fatalf("message %d: kind %d, %d bytes %q…, want text of %d bytes %q…", i, kind, len(got), prefix(got), len(w), prefix(w))
		}
	}
	if pongs != 1 {
		t.Errorf("%d pongs, want 1", pongs)
	}
}

func prefix(b []byte) string { return fmt.Sprintf("%.8s", b) }
