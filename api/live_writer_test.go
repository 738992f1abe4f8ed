package api

import (
	"bytes"
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

// Within WriterLinger of its last write a connection keeps its writer
// parked, so a round's tallies do not start a goroutine each.
func TestLiveBusyConnectionKeepsItsWriter(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{WriterLinger: time.Hour}, fastTallies)
		_, code := s.startSession()
		c := s.dial("/api/v1/live/"+code+"/ws", nil)
		c.welcome()
		testutil.Eventually(t, liveWait, "the writer to wait for more", func() bool { return writers() == 1 })
	})
}
