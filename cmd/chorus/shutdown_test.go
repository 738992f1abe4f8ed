package main

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// voter is a participant's websocket that keeps every answer to its votes
// and the close code the server ended it with.
type voter struct {
	conn    *websocket.Conn
	mu      sync.Mutex
	answers map[string]string // vote_id → "ack" or the error's code
	closed  chan int          // the close code, once reading stops
}

func joinVoter(t *testing.T, s serveProc, code string) *voter {
	t.Helper()
	u := "ws" + strings.TrimPrefix(s.base, "http") + "/api/v1/live/" + code + "/ws"
	conn, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Origin": {s.base}})
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	_ = resp.Body.Close()
	v := &voter{conn: conn, answers: map[string]string{}, closed: make(chan int, 1)}
	go func() {
		for {
			var m map[string]any
			if err := conn.ReadJSON(&m); err != nil {
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					v.closed <- ce.Code
				} else {
					v.closed <- websocket.CloseAbnormalClosure
				}
				return
			}
			id, _ := m["vote_id"].(string)
			if id == "" {
				continue
			}
			v.mu.Lock()
			switch m["type"] {
			case "ack":
				v.answers[id] = "ack"
			case "error":
				v.answers[id], _ = m["code"].(string)
			}
			v.mu.Unlock()
		}
	}()
	t.Cleanup(func() { _ = conn.Close() })
	return v
}

func (v *voter) vote(t *testing.T, voteID, roundID, choice string) {
	t.Helper()
	if err := v.conn.WriteJSON(map[string]any{"type": "vote", "vote_id": voteID, "round_id": roundID, "choice": choice}); err != nil {
		t.Fatal(err)
	}
}

// waitingVotes reads chorus_votes_waiting from the server's /metrics
// (loopback needs no token).
func waitingVotes(t *testing.T, s serveProc) float64 {
	t.Helper()
	resp, err := http.Get(s.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "chorus_votes_waiting "); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return n
		}
	}
	return 0
}

func (v *voter) answer(voteID string) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.answers[voteID]
}

// SIGTERM keeps its deadline whatever the database does: with the link to
// PostgreSQL blackholed and votes waiting to be committed, `chorus serve`
// exits 0 within CHORUS_SHUTDOWN_TIMEOUT, closes every socket with 1001,
// answers every vote it could not commit "unavailable", and every vote it
// acknowledged is in the database once the link is back.
func TestSIGTERMKeepsItsDeadlineWithTheDatabaseBlackholed(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("needs PostgreSQL: set TEST_DATABASE_URL")
	}
	if testing.Short() {
		t.Skip("builds and starts a server process")
	}
	bin := buildChorus(t)
	direct := testutil.NewDatabaseURL(t, database.Postgres)
	token := bootstrapWithSite(t, direct, "Shutdown")

	pgURL, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	port := pgURL.Port()
	if port == "" {
		port = "5432"
	}
	proxy := testutil.NewProxy(t, net.JoinHostPort(pgURL.Hostname(), port))
	pgURL.Host = proxy.Addr()
	const shutdownTimeout = 3 * time.Second
	s := startServe(t, bin, pgURL.String(), "CHORUS_SHUTDOWN_TIMEOUT="+shutdownTimeout.String(), "CHORUS_LIVE_JOIN_LIMIT=0")
	code, roundID := openRound(t, s, token)

	const people = 60
	voters := make([]*voter, people)
	for i := range voters {
		voters[i] = joinVoter(t, s, code)
		voters[i].vote(t, fmt.Sprint("before-", i), roundID, "Tue")
	}
	for i, v := range voters {
		testutil.Eventually(t, multiWait, "the first votes' acks", func() bool { return v.answer(fmt.Sprint("before-", i)) == "ack" })
	}

	proxy.Blackhole()
	for i, v := range voters {
		for j := range 3 {
			v.vote(t, fmt.Sprintf("during-%d-%d", i, j), roundID, []string{"Thu", "Tue", "Thu"}[j])
		}
	}
	testutil.Eventually(t, multiWait, "the votes waiting in the server's queue", func() bool {
		return waitingVotes(t, s) >= people
	})
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(shutdownTimeout + 10*time.Second):
		t.Fatalf("still running %v after SIGTERM:\n%s", time.Since(start), s.out.String())
	}
	took := time.Since(start)
	if got := s.cmd.ProcessState.ExitCode(); got != 0 {
		t.Fatalf("exit status %d after %v, want 0:\n%s", got, took, s.out.String())
	}
	if took > shutdownTimeout+2*time.Second {
		t.Errorf("shutdown took %v, more than its %v timeout", took, shutdownTimeout)
	}
	for i, v := range voters {
		if c := <-v.closed; c != websocket.CloseGoingAway {
			t.Fatalf("voter %d's socket closed with %d, want 1001", i, c)
		}
	}

	proxy.Restore()
	db, err := sql.Open("pgx", direct)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := map[string]bool{}
	rows, err := db.Query(`SELECT vote_id FROM live_votes`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		stored[id] = true
	}
	_ = rows.Close()
	acked, refused := 0, 0
	for i, v := range voters {
		for j := -1; j < 3; j++ {
			id := fmt.Sprintf("during-%d-%d", i, j)
			if j < 0 {
				id = fmt.Sprint("before-", i)
			}
			switch a := v.answer(id); a {
			case "ack":
				acked++
				if !stored[id] {
					t.Errorf("vote %s was acknowledged but is not in the database", id)
				}
			case "unavailable":
				refused++
			default:
				t.Errorf("vote %s was answered %q: every vote not acknowledged must be answered unavailable", id, a)
			}
		}
	}
	t.Logf("shutdown in %v: %d votes acknowledged, %d answered unavailable", took, acked, refused)
	if refused == 0 {
		t.Error("no vote was waiting at shutdown: the test did not test the queue")
	}
}
