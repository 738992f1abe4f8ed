package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// An idle connection keeps no writer goroutine, yet it is still pinged on
// time and still receives what the hub sends it; a busy one keeps its
// writer between messages.
func TestLiveIdleConnectionHasNoWriter(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		limits := WSLimits{PingPeriod: 20 * time.Millisecond, PongWait: liveWait, WriterLinger: time.Millisecond}
		s := newLiveServer(t, db, limits, fastTallies)
		id, code := s.startSession()
		roundID := s.addRound(id, map[string]any{"kind": "pick", "prompt": "Which?", "options": []string{"a", "b"}})

		conn, resp, err := websocket.DefaultDialer.Dial(strings.Replace(s.http.URL, "http", "ws", 1)+"/api/v1/live/"+code+"/ws",
			http.Header{"Origin": {liveBaseURL}})
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		var pings atomic.Int32
		conn.SetPingHandler(func(data string) error {
			pings.Add(1)
			return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		tallies := make(chan struct{}, 16)
		readerDone := make(chan struct{})
		go func() {
			defer close(readerDone)
			for {
				_, msg, err := conn.ReadMessage()
				if err != nil {
					return
				}
				if bytes.Contains(msg, []byte(`"type":"tally"`)) {
					tallies <- struct{}{}
				}
			}
		}()
		defer func() {
			_ = conn.Close()
			<-readerDone
		}()
		<-tallies // the welcome's tally

		testutil.Eventually(t, liveWait, "pings while idle", func() bool { return pings.Load() >= 3 })
		testutil.Eventually(t, liveWait, "no writer goroutine while idle", func() bool { return writers() == 0 })
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/hand-count", map[string]any{"counts": map[string]int{"a": 2}}), http.StatusOK)
		select {
		case <-tallies:
		case <-time.After(liveWait):
			t.Fatal("an idle connection missed a tally")
		}
	})
}

// writers counts the goroutines running a connection's writer.
func writers() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return bytes.Count(buf, []byte("api.(*wsWriter).run("))
}

// A tally to a room starts no goroutine per connection: the shared
// workers write it. With an hour's linger, a connection's own writer
// would still be there had any been started.
func TestLiveTallyStartsNoGoroutinePerConnection(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{WriterLinger: time.Hour}, fastTallies)
		id, code := s.startSession()
		roundID := s.addRound(id, map[string]any{"kind": "pick", "prompt": "Which?", "options": []string{"a", "b"}})
		clients := make([]*wsClient, 20)
		for i := range clients {
			clients[i] = s.dial("/api/v1/live/"+code+"/ws", nil)
			clients[i].welcome()
		}
		r := s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/hand-count", map[string]any{"counts": map[string]int{"a": 2}})
		wantStatus(t, r, http.StatusOK)
		var out struct{ Seq int64 }
		decodeLive(t, r, &out)
		for _, c := range clients {
			c.waitFor("the hand count's tally", func(m map[string]any) bool {
				return m["type"] == "tally" && int64(m["seq"].(float64)) >= out.Seq
			})
		}
		if n := writers(); n != 0 {
			t.Fatalf("%d connections' own writers started", n)
		}
	})
}

// A phone that falls behind gets its connection's own writer, which
// writes the rest of what the workers could not and then waits; when the
// phone reads again, every message arrives whole and in order, and the
// connection goes back to the workers.
func TestLiveLaggingConnectionCatchesUpWhole(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{WriterLinger: 50 * time.Millisecond}, fastTallies)
		id, code := s.startSession()
		options, roundID := s.addHeavyRound(id)
		lagging := s.dialStalledScreen(code)
		defer func() { _ = lagging.Close() }()
		sessionID := id
		testutil.Eventually(t, liveWait, "the screen joined", func() bool { return s.live.Hub.Clients(sessionID) == 1 })
		var last int64
		for i := 1; writers() == 0; i++ {
			if i > 2000 {
				t.Fatal("the lagging screen never got its own writer")
			}
			r := s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/hand-count", map[string]any{"counts": map[string]int{options[i%20]: i}})
			wantStatus(t, r, http.StatusOK)
			var out struct{ Seq int64 }
			decodeLive(t, r, &out)
			last = out.Seq
			time.Sleep(5 * time.Millisecond) // a tally each (fastTallies), not one coalesced
		}
		var seq int64
		for seq < last {
			_ = lagging.SetReadDeadline(time.Now().Add(liveWait))
			_, data, err := lagging.ReadMessage()
			if err != nil {
				t.Fatalf("after seq %d of %d: %v", seq, last, err)
			}
			var m struct {
				Type string
				Seq  int64
			}
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatalf("after seq %d: a message that is not whole JSON: %v", seq, err)
			}
			if m.Type == "tally" {
				if m.Seq < seq {
					t.Fatalf("seq %d after %d", m.Seq, seq)
				}
				seq = m.Seq
			}
		}
		testutil.Eventually(t, liveWait, "the connection back with the workers", func() bool { return writers() == 0 })
	})
}
