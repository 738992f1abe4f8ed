package api

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A page of another site cannot open a live websocket (cross-site
// websocket hijacking); the refusal comes before the upgrade.
func TestLiveForeignOriginRefused(t *testing.T) {
	db := testutil.NewDB(t, database.SQLite)
	checkLeaks(t)
	s := newLiveServer(t, db, WSLimits{})
	_, code := s.startSession()
	for _, path := range []string{"/ws", "/screen"} {
		for _, origin := range []string{"http://evil.test", "https://chorus.test", "http://chorus.test.evil.test", "null"} {
			_, resp, err := s.tryDial("/api/v1/live/"+code+path, http.Header{"Origin": {origin}})
			if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s from %s: %v, want 403", path, origin, err)
			}
		}
		// The configured origin (default port or not), and clients that
		// are not browsers, are let in.
		for _, h := range []http.Header{{"Origin": {"http://chorus.test"}}, {"Origin": {"HTTP://Chorus.test:80"}}, {}} {
			c := s.dial("/api/v1/live/"+code+path, h)
			c.welcome()
		}
	}
	// Plain HTTP and unknown codes get the uniform error body.
	r := s.do("GET", "/api/v1/live/"+code+"/ws", nil)
	wantStatus(t, r, http.StatusBadRequest)
	r.errorBody(t)
	wantStatus(t, s.do("GET", "/api/v1/live/ZZZZZZ/ws", nil), http.StatusNotFound)
}

// A malformed, binary or oversized message gets an error, changes
// nothing, and the connection goes on; a huge one closes it.
func TestLiveBadMessages(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{})
		id, code := s.startSession()
		roundID := s.addRound(id, map[string]any{"kind": "pick", "prompt": "Which?", "options": []string{"a", "b"}})
		c := s.dial("/api/v1/live/"+code+"/ws", nil)
		c.welcome()
		big := `{"type":"vote","vote_id":"big","round_id":"` + roundID + `","choice":"a","pad":"` + strings.Repeat("x", 20000) + `"}`
		for i, tc := range []struct {
			kind int
			data string
			code string
		}{
			{websocket.TextMessage, `{"type":"vote",`, "invalid_json"},
			{websocket.TextMessage, `[1,2,3]`, "invalid_json"},
			{websocket.BinaryMessage, `{"type":"vote","vote_id":"bin","round_id":"` + roundID + `","choice":"a"}`, "invalid_json"},
			{websocket.TextMessage, big, "too_large"},
			{websocket.TextMessage, `{"type":"vote","vote_id":"bad","round_id":"` + roundID + `","choice":"c"}`, "invalid_choice"},
		} {
			if err := c.conn.WriteMessage(tc.kind, []byte(tc.data)); err != nil {
				t.Fatal(err)
			}
			n := i + 1
			testutil.Eventually(t, liveWait, "error for message "+fmt.Sprint(i), func() bool { return c.count(isMsg("error")) >= n })
			errs := c.all("error")
			if errs[i]["code"] != tc.code {
				t.Errorf("message %d: %v, want %s", i, errs[i], tc.code)
			}
		}
		var n int64
		db.Model(&models.LiveVote{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d votes stored from bad messages", n)
		}
		c.vote("good", roundID, "b")
		c.ack("good")

		if err := c.conn.WriteMessage(websocket.TextMessage, []byte(strings.Repeat(" ", hardReadLimit+1))); err != nil {
			t.Fatal(err)
		}
		if code := c.closeCode(); code != websocket.CloseMessageTooBig {
			t.Fatalf("close code %d after a huge message, want %d", code, websocket.CloseMessageTooBig)
		}
	})
}

func (c *wsClient) all(typ string) []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]any
	for _, m := range c.msgs {
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

// Past its rate a connection gets rate_limited errors; one that keeps
// going is closed.
func TestLiveRateLimit(t *testing.T) {
	db := testutil.NewDB(t, database.SQLite)
	checkLeaks(t)
	s := newLiveServer(t, db, WSLimits{Rate: 0.001, Burst: 3, MaxStrikes: 5})
	_, code := s.startSession()
	c := s.dial("/api/v1/live/"+code+"/ws", nil)
	c.welcome()
	for range 3 {
		c.send(map[string]any{"type": "ping"})
	}
	testutil.Eventually(t, liveWait, "three answers", func() bool { return c.count(isMsg("error")) >= 3 })
	c.send(map[string]any{"type": "ping"})
	c.waitFor("rate limited", func(m map[string]any) bool { return m["code"] == "rate_limited" })
	for range 10 {
		if c.conn.WriteJSON(map[string]any{"type": "ping"}) != nil {
			break
		}
	}
	if code := c.closeCode(); code != websocket.ClosePolicyViolation {
		t.Fatalf("close code %d, want %d", code, websocket.ClosePolicyViolation)
	}
}

// A client that stops reading never slows the others: they keep getting
// every update in time while it is dropped once its writes time out.
func TestLiveStalledClientDropped(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{WriteWait: 300 * time.Millisecond}, fastTallies)
		id, code := s.startSession()
		options, roundID := s.addHeavyRound(id)

		stalled := s.dialStalledScreen(code)
		defer stalled.Close()
		screen := s.dial("/api/v1/live/"+code+"/screen", nil)
		screen.welcome()
		sessionID := id
		testutil.Eventually(t, liveWait, "both screens joined", func() bool { return s.live.Hub.Clients(sessionID) == 2 })

		for i := 1; s.live.Hub.Clients(sessionID) > 1; i++ {
			if i > 5000 {
				t.Fatal("the stalled client was never dropped")
			}
			r := s.as(s.boss, "POST", "/api/v1/rounds/"+roundID+"/hand-count", map[string]any{"counts": map[string]int{options[i%20]: i}})
			wantStatus(t, r, http.StatusOK)
			var out struct{ Seq int64 }
			decodeLive(t, r, &out)
			// Each update reaches the reading screen well within the time
			// the stalled one is given.
			deadline := time.Now().Add(2 * time.Second)
			screen.waitFor("tally "+fmt.Sprint(out.Seq), func(m map[string]any) bool {
				return m["type"] == "tally" && int64(m["seq"].(float64)) >= out.Seq
			})
			if time.Now().After(deadline) {
				t.Fatalf("update %d took more than 2s to reach a reading client", out.Seq)
			}
		}
		select {
		case <-screen.closed:
			t.Fatal("the reading screen was dropped")
		default:
		}
		testutil.Eventually(t, liveWait, "gauge back to one", func() bool {
			return promGauge(s) == 1
		})
	})
}

// addHeavyRound adds a round whose 20 long option names make each tally
// the facilitator's screen gets about 9 KB, so a client that does not read
// fills its socket buffers quickly.
func (s *liveServer) addHeavyRound(sessionID string) (options []string, roundID string) {
	options = make([]string, 20)
	for i := range options {
		options[i] = fmt.Sprintf("%02d-%s", i, strings.Repeat("o", 190))
	}
	return options, s.addRound(sessionID, map[string]any{"kind": "pick", "prompt": "Which?", "options": options})
}

// dialStalledScreen opens the facilitator's projector screen of the
// session with join code code, on a websocket that never reads.
func (s *liveServer) dialStalledScreen(code string) *websocket.Conn {
	return dialStalled(s.t, strings.Replace(s.http.URL, "http", "ws", 1)+"/api/v1/live/"+code+"/screen", s.boss)
}

// dialStalled opens a websocket that never reads, with a tiny receive
// buffer so the server's writes back up quickly.
func dialStalled(t *testing.T, url string, as caller) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		nd := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
			if err != nil {
				return err
			}
			return serr
		}}
		return nd.DialContext(ctx, network, addr)
	}}
	conn, resp, err := d.Dial(url, headerOf(as))
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return conn
}
