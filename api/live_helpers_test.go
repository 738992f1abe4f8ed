package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/websocket"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

const (
	liveBaseURL = "http://chorus.test"
	// liveWait bounds every wait on a condition in the live tests.
	liveWait = 10 * time.Second
)

// liveServer serves the live routes (and the authentication they sit
// behind) on a real listener, as routes.go wires them.
type liveServer struct {
	*testServer
	live *Live
	http *httptest.Server
	org  *org
	boss caller // the facilitator
}

// checkLeaks fails the test if it leaves goroutines behind; call it first,
// so its check runs after every other cleanup.
func checkLeaks(t *testing.T) {
	t.Helper()
	current := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		if err := goleak.Find(current,
			goleak.IgnoreTopFunction("database/sql.(*DB).connectionOpener"),
			goleak.IgnoreAnyFunction("github.com/hashicorp/golang-lru/v2/expirable.NewLRU[...].func1"),
			// A pooled PostgreSQL connection's background reader: the pool
			// outlives the test, like database/sql's opener above. Seen
			// once in a run of the SMS round (many connections at once).
			goleak.IgnoreAnyFunction("github.com/jackc/pgx/v5/pgconn/internal/bgreader.(*BGReader).bgRead"),
		); err != nil {
			t.Error(err)
		}
	})
}

func newLiveServer(t *testing.T, db *database.DB, limits WSLimits, options ...func(*live.Options)) *liveServer {
	t.Helper()
	m := metrics.New()
	lv, err := NewLive(context.Background(), db, testutil.Logger(), m, options...)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	engine := liveEngine(t, st, lv, m, limits)
	srv := httptest.NewServer(engine)
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), liveWait)
		defer cancel()
		if err := lv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	ts := &testServer{t: t, engine: engine, metrics: m, clock: newClock(), store: st, db: db}
	o := newOrg(t, st, "Live Program")
	return &liveServer{testServer: ts, live: lv, http: srv, org: o,
		boss: session(t, db, st, o.Users[models.RoleFacilitator], o.ID)}
}

// liveEngine is the part of the router the live routes need.
func liveEngine(t testing.TB, st *store.Store, lv *Live, m *metrics.Metrics, limits WSLimits) *gin.Engine {
	authn, err := NewAuth(st, liveBaseURL, false)
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	r.Use(errorRenderer(testutil.Logger(), &database.Outage{Log: testutil.Logger(), Ping: func(context.Context) error { return nil }}))
	v1 := r.Group("/api/v1", noStore, authn.authenticate, authn.csrf)
	RouteLive(v1, LiveDeps{Live: lv, Store: st, BaseURL: liveBaseURL, Metrics: m, Limits: limits}, require(runsSessions...))
	return r
}

// startSession creates a session through the API and returns its id and code.
func (s *liveServer) startSession() (id, code string) {
	s.t.Helper()
	r := s.as(s.boss, "POST", "/api/v1/sessions", map[string]any{"site_id": s.org.Site.ID, "title": "Community meeting", "language": "en"})
	wantStatus(s.t, r, http.StatusCreated)
	var out struct{ ID, Code string }
	if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil {
		s.t.Fatal(err)
	}
	return out.ID, out.Code
}

// addRound adds a round and opens it.
func (s *liveServer) addRound(sessionID string, body map[string]any) string {
	s.t.Helper()
	r := s.as(s.boss, "POST", "/api/v1/sessions/"+sessionID+"/rounds", body)
	wantStatus(s.t, r, http.StatusCreated)
	var out struct{ ID string }
	_ = json.Unmarshal(r.Body.Bytes(), &out)
	wantStatus(s.t, s.as(s.boss, "POST", "/api/v1/rounds/"+out.ID+"/open", nil), http.StatusOK)
	return out.ID
}

// wsClient is a test websocket that reads every message in the background.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
	mu   sync.Mutex
	msgs []map[string]any
	// closed receives the close error once reading stops.
	closed chan error
}

func (s *liveServer) dial(path string, header http.Header) *wsClient {
	s.t.Helper()
	c, resp, err := s.tryDial(path, header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		s.t.Fatalf("dial %s: %v (HTTP %d)", path, err, status)
	}
	return c
}

func (s *liveServer) tryDial(path string, header http.Header) (*wsClient, *http.Response, error) {
	return dialWS(s.t, strings.Replace(s.http.URL, "http", "ws", 1)+path, header)
}

func dialWS(t testing.TB, url string, header http.Header) (*wsClient, *http.Response, error) {
	if header == nil {
		header = http.Header{"Origin": {liveBaseURL}}
	}
	conn, resp, err := websocket.DefaultDialer.Dial(url, header)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{t: t, conn: conn, closed: make(chan error, 1)}
	go c.read()
	t.Cleanup(func() {
		_ = c.conn.Close()
		<-c.closed
	})
	return c, resp, nil
}

func (c *wsClient) read() {
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			c.closed <- err
			return
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			c.t.Errorf("server sent invalid JSON %q", data)
		}
		c.mu.Lock()
		c.msgs = append(c.msgs, m)
		c.mu.Unlock()
	}
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(v); err != nil {
		c.t.Fatal(err)
	}
}

func (c *wsClient) vote(voteID, roundID string, choice any) {
	c.t.Helper()
	c.send(map[string]any{"type": "vote", "vote_id": voteID, "round_id": roundID, "choice": choice})
}

func (c *wsClient) waitFor(what string, match func(map[string]any) bool) map[string]any {
	c.t.Helper()
	var found map[string]any
	testutil.Eventually(c.t, liveWait, what, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, m := range c.msgs {
			if match(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

func (c *wsClient) count(match func(map[string]any) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, m := range c.msgs {
		if match(m) {
			n++
		}
	}
	return n
}

// answer waits for the ack or error of a vote.
func (c *wsClient) answer(voteID string) map[string]any {
	c.t.Helper()
	return c.waitFor("answer to "+voteID, func(m map[string]any) bool {
		return (m["type"] == "ack" || m["type"] == "error") && m["vote_id"] == voteID
	})
}

func (c *wsClient) ack(voteID string) int64 {
	c.t.Helper()
	m := c.answer(voteID)
	if m["type"] != "ack" {
		c.t.Fatalf("vote %s refused: %v", voteID, m)
	}
	return int64(m["seq"].(float64))
}

func (c *wsClient) tallyAt(roundID string, seq int64) map[string]any {
	c.t.Helper()
	return c.waitFor("tally", func(m map[string]any) bool {
		return m["type"] == "tally" && m["round_id"] == roundID && int64(m["seq"].(float64)) >= seq
	})
}

func (c *wsClient) welcome() map[string]any {
	c.t.Helper()
	return c.waitFor("welcome", func(m map[string]any) bool { return m["type"] == "welcome" })
}

// closeCode waits for the connection to end and returns its close code.
func (c *wsClient) closeCode() int {
	c.t.Helper()
	select {
	case err := <-c.closed:
		c.closed <- err
		var ce *websocket.CloseError
		if ok := asCloseError(err, &ce); ok {
			return ce.Code
		}
		return -1
	case <-time.After(liveWait):
		c.t.Fatal("the connection was not closed")
		return 0
	}
}

func asCloseError(err error, target **websocket.CloseError) bool {
	ce, ok := err.(*websocket.CloseError)
	if ok {
		*target = ce
	}
	return ok
}

func countsOf(m map[string]any) map[string]int {
	c, ok := m["counts"].(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]int{}
	for k, v := range c {
		out[k] = int(v.(float64))
	}
	return out
}

func isMsg(typ string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["type"] == typ }
}

func promGauge(s *liveServer) float64 { return promtest.ToFloat64(s.metrics.WebsocketsOpen) }

// fastTallies makes the hub broadcast tallies every few milliseconds.
func fastTallies(o *live.Options) { o.TallyInterval = 2 * time.Millisecond }

// headerOf is the caller's credentials as websocket handshake headers.
func headerOf(c caller) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(c.headers); i += 2 {
		h.Set(c.headers[i], c.headers[i+1])
	}
	return h
}
