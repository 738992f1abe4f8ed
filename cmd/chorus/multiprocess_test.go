package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// multiWait bounds every wait on a condition in the two-process test.
const multiWait = 15 * time.Second

// Two `chorus serve` processes on one PostgreSQL database act as one: a
// vote cast on either is acknowledged to its voter and reaches the other
// process's participants in a tally with the ack's seq.
func TestTwoServeProcessesShareVotes(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("needs PostgreSQL: set TEST_DATABASE_URL")
	}
	if testing.Short() {
		t.Skip("builds and starts server processes")
	}
	dbURL := testutil.NewDatabaseURL(t, database.Postgres)
	bin := buildChorus(t)

	token := bootstrapWithSite(t, dbURL, "Two")

	a, b := startServe(t, bin, dbURL), startServe(t, bin, dbURL)
	sessionCode, roundID := openRound(t, a, token)

	pa, pb := joinLive(t, a, sessionCode), joinLive(t, b, sessionCode)
	for _, c := range []struct {
		name      string
		from, to  *liveConn
		voteID    string
		wantVoter float64
	}{
		{"A to B", pa, pb, "vote-on-a", 1},
		{"B to A", pb, pa, "vote-on-b", 2},
	} {
		c.from.send(t, map[string]any{"type": "vote", "vote_id": c.voteID, "round_id": roundID, "choice": "Tue"})
		ack := c.from.waitFor(t, "the ack of "+c.voteID, func(m map[string]any) bool {
			return (m["type"] == "ack" || m["type"] == "error") && m["vote_id"] == c.voteID
		})
		if ack["type"] != "ack" {
			t.Fatalf("%s: vote answered %v", c.name, ack)
		}
		seq := ack["seq"].(float64)
		tl := c.to.waitFor(t, fmt.Sprintf("%s: a tally at seq %v", c.name, seq), func(m map[string]any) bool {
			return m["type"] == "tally" && m["round_id"] == roundID && m["seq"].(float64) >= seq
		})
		if tl["voters"].(float64) != c.wantVoter {
			t.Fatalf("%s: the other process's tally has %v voters, want %v: %v", c.name, tl["voters"], c.wantVoter, tl)
		}
	}
}

// built is the chorus binary the process tests share, built once.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// buildChorus builds the chorus binary once for every test of the package
// that starts server processes.
func buildChorus(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command to build chorus")
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "chorus-bin-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "chorus")
		if out, err := exec.Command(goBin, "build", "-o", built.path, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// bootstrapWithSite makes an organization with an admin and one site
// through `chorus admin`, as an operator would, and returns an API token
// of the admin.
func bootstrapWithSite(t *testing.T, dbURL, org string) (token string) {
	t.Helper()
	ctx := context.Background()
	email := "a@" + strings.ToLower(org) + ".org"
	env := map[string]string{"DATABASE_URL": dbURL, "CHORUS_ADMIN_PASSWORD": "process-test-password"}
	for _, args := range [][]string{
		{"migrate", "up"},
		{"admin", "bootstrap", "--org", org, "--email", email},
		{"admin", "site", "add", "--org", org, "--name", "Hall", "--kind", "fixed", "--setting", "urban", "--tz", "America/New_York"},
	} {
		if r := runWith(ctx, env, args...); r.code != 0 {
			t.Fatalf("chorus %v: %+v", args, r)
		}
	}
	r := runWith(ctx, env, "admin", "token", "--email", email)
	if r.code != 0 {
		t.Fatalf("chorus admin token: %+v", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	return lines[len(lines)-1]
}

// serveProc is a running `chorus serve`.
type serveProc struct {
	base string // CHORUS_BASE_URL, also where it listens
	cmd  *exec.Cmd
	// exited is closed once the process has exited; out holds what it printed.
	exited chan struct{}
	out    *lockedBuffer
}

// lockedBuffer is a process's output, written by exec's copying goroutine
// and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startServe(t *testing.T, bin, dbURL string, env ...string) serveProc {
	t.Helper()
	return startProc(t, bin, dbURL, []string{"serve"}, env...)
}

// startProc runs `chorus <args>` on database dbURL at a free local
// address, with env added to its environment; it waits until /readyz
// answers, and stops it (SIGTERM, then SIGKILL) when the test ends,
// printing its output if the test failed.
func startProc(t *testing.T, bin, dbURL string, args []string, env ...string) serveProc {
	t.Helper()
	name := "chorus " + strings.Join(args, " ")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	base := "http://" + addr
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "CHORUS_ADDR="+addr, "CHORUS_BASE_URL="+base, "CHORUS_LOG_LEVEL=warn"), env...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(multiWait):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("%s at %s:\n%s", name, addr, out.String())
		}
	})
	testutil.Eventually(t, multiWait, name+" at "+addr+" to be ready", func() bool {
		select {
		case <-exited:
			t.Fatalf("%s exited:\n%s", name, out.String())
		default:
		}
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return serveProc{base: base, cmd: cmd, exited: exited, out: out}
}

// openRound creates a session with an open pick round through s's API.
func openRound(t *testing.T, s serveProc, token string) (code, roundID string) {
	t.Helper()
	call := func(method, path string, body, out any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, err := http.NewRequest(method, s.base+path, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var raw json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil || resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s %v", method, path, resp.StatusCode, raw, err)
		}
		if out != nil {
			if err := json.Unmarshal(raw, out); err != nil {
				t.Fatal(err)
			}
		}
	}
	var list struct{ Sites []struct{ ID string } }
	call("GET", "/api/v1/sites", nil, &list)
	if len(list.Sites) == 0 {
		t.Fatal("no site")
	}
	var sess struct{ ID, Code string }
	call("POST", "/api/v1/sessions", map[string]any{"site_id": list.Sites[0].ID, "title": "Two rooms", "language": "en"}, &sess)
	var round struct{ ID string }
	call("POST", "/api/v1/sessions/"+sess.ID+"/rounds", map[string]any{"kind": "pick", "prompt": "Which night?", "options": []string{"Tue", "Thu"}}, &round)
	call("POST", "/api/v1/rounds/"+round.ID+"/open", nil, nil)
	return sess.Code, round.ID
}

// liveConn is a participant's websocket and what it has received.
type liveConn struct {
	conn *websocket.Conn
	mu   sync.Mutex
	msgs []map[string]any
}

func joinLive(t *testing.T, s serveProc, code string) *liveConn {
	t.Helper()
	url := "ws" + strings.TrimPrefix(s.base, "http") + "/api/v1/live/" + code + "/ws"
	conn, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {s.base}})
	if err != nil {
		t.Fatalf("join %s: %v", url, err)
	}
	_ = resp.Body.Close()
	c := &liveConn{conn: conn}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			var m map[string]any
			if err := conn.ReadJSON(&m); err != nil {
				return
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, m)
			c.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = conn.Close()
		<-done
	})
	c.waitFor(t, "the welcome", func(m map[string]any) bool { return m["type"] == "welcome" })
	return c
}

func (c *liveConn) send(t *testing.T, v any) {
	t.Helper()
	if err := c.conn.WriteJSON(v); err != nil {
		t.Fatal(err)
	}
}

func (c *liveConn) waitFor(t *testing.T, what string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	var found map[string]any
	testutil.Eventually(t, multiWait, what, func() bool {
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
