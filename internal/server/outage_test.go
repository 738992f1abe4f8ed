package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/server"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/migrations"
)

// dbTimeout is the test servers' CHORUS_DB_TIMEOUT: short, so a hung
// database is answered quickly.
const dbTimeout = time.Second

// syncBuffer is a log destination several goroutines write to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) count(s string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), s)
}

// outageServer is a running server whose log the test reads, with kiosks
// to submit as (one per load client: a kiosk may send one a second).
type outageServer struct {
	base   string
	tokens []string
	logs   *syncBuffer
	stop   func() error
}

func startOutageServer(t *testing.T, db *database.DB) *outageServer {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	o, err := st.CreateOrganization(ctx, "Outage Program")
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.CreateSite(ctx, o.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for i := range 6 {
		_, token, err := st.ProvisionKiosk(ctx, o.ID, site.ID, fmt.Sprint("Tablet ", i))
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	logs := &syncBuffer{}
	cfg := newConfig()
	cfg.DBTimeout = dbTimeout
	srv, err := server.New(cfg, slog.New(slog.NewTextHandler(logs, nil)), db)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(runCtx, ln) }()
	return &outageServer{base: "http://" + ln.Addr().String(), tokens: tokens, logs: logs, stop: func() error { cancel(); return <-done }}
}

// answer is what the server said to one submission.
type answer struct {
	status     int
	code       string
	retryAfter string
	took       time.Duration
}

var client = &http.Client{Timeout: 30 * time.Second}

// submit sends one submission from the first kiosk.
func (s *outageServer) submit(t *testing.T, key string) answer { return s.submitAs(t, 0, key) }

func (s *outageServer) submitAs(t *testing.T, kiosk int, key string) answer {
	t.Helper()
	body := `{"language":"en","needs":["food"],"text":"more sterile supplies at the van"}`
	req, err := http.NewRequest("POST", s.base+"/api/v1/kiosk/submissions", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.tokens[kiosk])
	req.Header.Set("Idempotency-Key", key)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return answer{took: time.Since(start)}
	}
	defer resp.Body.Close()
	var out struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return answer{status: resp.StatusCode, code: out.Error.Code, retryAfter: resp.Header.Get("Retry-After"), took: time.Since(start)}
}

// wantUnavailable checks an answer during an outage: 503 "unavailable"
// with a Retry-After, within the deadline (and a margin for a busy machine).
func wantUnavailable(t *testing.T, a answer, what string) {
	t.Helper()
	if a.status != http.StatusServiceUnavailable || a.code != "unavailable" || a.retryAfter == "" {
		t.Fatalf("%s: answered %d %q Retry-After %q, want 503 unavailable with Retry-After", what, a.status, a.code, a.retryAfter)
	}
	if a.took > dbTimeout+4*time.Second {
		t.Fatalf("%s: answered after %v, want within the %v deadline", what, a.took, dbTimeout)
	}
}

// load submits with fresh keys from a few kiosks until stop is closed,
// each at most as often as a kiosk may, and keeps every key with its
// answer, as kiosks would.
type load struct {
	mu    sync.Mutex
	acked []string
	other map[string]int // keys answered with anything else, and their kiosk: the kiosk keeps them
	wg    sync.WaitGroup
	stop  chan struct{}
}

func startLoad(t *testing.T, s *outageServer, clients int) *load {
	l := &load{stop: make(chan struct{}), other: map[string]int{}}
	for c := 1; c <= clients; c++ {
		l.wg.Go(func() {
			pace := time.NewTicker(time.Second)
			defer pace.Stop()
			for i := 0; ; i++ {
				key := fmt.Sprintf("load-%d-%d", c, i)
				a := s.submitAs(t, c, key)
				l.mu.Lock()
				if a.status == http.StatusCreated || a.status == http.StatusOK {
					l.acked = append(l.acked, key)
				} else {
					l.other[key] = c
				}
				l.mu.Unlock()
				select {
				case <-l.stop:
					return
				case <-pace.C:
				}
			}
		})
	}
	return l
}

func (l *load) finish() { close(l.stop); l.wg.Wait() }

// settle sends again every key that was not acknowledged, as a kiosk's
// outbox does once the server answers, and checks that every key is then
// stored exactly once.
func settle(t *testing.T, s *outageServer, db *sql.DB, l *load) {
	t.Helper()
	keys := append([]string{}, l.acked...)
	for key, kiosk := range l.other {
		var last answer
		testutil.Eventually(t, 30*time.Second, "a kept submission was never accepted after the outage", func() bool {
			last = s.submitAs(t, kiosk, key)
			// 429: the kiosk's own allowance; its outbox waits and tries again.
			return last.status == http.StatusCreated || last.status == http.StatusOK
		})
		keys = append(keys, key)
	}
	rows, err := db.Query(`SELECT idempotency_key, count(*) FROM submissions GROUP BY idempotency_key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored := map[string]int{}
	for rows.Next() {
		var key []byte
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			t.Fatal(err)
		}
		stored[string(key)] = n
	}
	for _, key := range keys {
		// Keys are stored as their SHA-256 only.
		if sum := sha256.Sum256([]byte(key)); stored[string(sum[:])] != 1 {
			t.Fatalf("key %s stored %d times, want exactly once (%d acknowledged during the outage test)", key, stored[string(sum[:])], len(l.acked))
		}
	}
	for key, n := range stored {
		if n != 1 {
			t.Fatalf("key hash %x stored %d times", key, n)
		}
	}
}

func ready(t *testing.T, base string) int { return status(t, base+"/readyz") }

// PostgreSQL behind a proxy the test cuts (refused), blackholes (hung) and
// terminates (the server ending sessions, SQLSTATE 57P01), each while
// kiosks submit: every request during the outage is a quick 503
// "unavailable" with Retry-After, the log has one line per outage and no
// request errors, /readyz follows, and afterwards every key is stored
// exactly once.
func TestPostgresOutagesAnswer503(t *testing.T) {
	pgURL, err := url.Parse(testutil.NewDatabaseURL(t, database.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	direct := pgURL.String()
	port := pgURL.Port()
	if port == "" {
		port = "5432"
	}
	proxy := testutil.NewProxy(t, net.JoinHostPort(pgURL.Hostname(), port))
	pgURL.Host = proxy.Addr()
	q := pgURL.Query()
	app := "chorus-outage-" + fmt.Sprint(time.Now().UnixNano())
	q.Set("application_name", app)
	pgURL.RawQuery = q.Encode()
	ctx := context.Background()
	db, err := database.Open(ctx, pgURL.String(), testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", direct)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	s := startOutageServer(t, db)

	outages := map[string]struct{ begin, end func() }{
		"refused":    {proxy.Cut, proxy.Restore},
		"blackholed": {proxy.Blackhole, proxy.Restore},
		"stopped": {func() {
			proxy.Cut()
			if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, app); err != nil {
				t.Fatal(err)
			}
		}, proxy.Restore},
	}
	for _, name := range []string{"refused", "blackholed", "stopped"} {
		t.Run(name, func(t *testing.T) {
			o := outages[name]
			lines, backs := s.logs.count("database unavailable"), s.logs.count("database answering again")
			l := startLoad(t, s, 4)
			testutil.Eventually(t, 10*time.Second, "no submission acknowledged before the outage", func() bool {
				l.mu.Lock()
				defer l.mu.Unlock()
				return len(l.acked) >= 4
			})
			o.begin()
			wantUnavailable(t, s.submit(t, name+"-during-1"), name)
			wantUnavailable(t, s.submit(t, name+"-during-2"), name)
			if got := ready(t, s.base); got != http.StatusServiceUnavailable {
				t.Fatalf("readyz %d during the outage", got)
			}
			o.end()
			testutil.Eventually(t, 15*time.Second, "readyz never recovered", func() bool { return ready(t, s.base) == http.StatusOK })
			testutil.Eventually(t, 15*time.Second, "the end of the outage was never logged", func() bool {
				return s.logs.count("database answering again") == backs+1
			})
			l.finish()
			l.other[name+"-during-1"], l.other[name+"-during-2"] = 0, 0
			settle(t, s, admin, l)
			if got := s.logs.count("database unavailable") - lines; got != 1 {
				t.Errorf("%d outage lines logged, want 1", got)
			}
			if n := s.logs.count("request failed"); n != 0 {
				t.Errorf("%d request errors logged during an outage; want none (the outage is logged once)", n)
			}
		})
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
}

// SQLite held by another writer past the deadline (a backup, a stuck
// process) is an outage too: 503 within the deadline, not a wait as long as
// the busy timeout.
func TestSQLiteLockedAnswers503(t *testing.T) {
	migrated := testutil.NewDB(t, database.SQLite)
	// As chorus serve opens it: SQLite waits for a lock no longer than a
	// request may wait.
	db, err := database.Open(context.Background(), migrated.Source, testutil.Logger(), database.WithBusyTimeout(dbTimeout))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := startOutageServer(t, db)
	locker, err := sql.Open("sqlite", "file:"+db.Source+"?_pragma=busy_timeout(100)")
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close()
	l := startLoad(t, s, 2)
	testutil.Eventually(t, 10*time.Second, "no submission acknowledged before the lock", func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.acked) >= 2
	})
	conn, err := locker.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	wantUnavailable(t, s.submit(t, "locked-1"), "locked")
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	l.finish()
	l.other["locked-1"] = 0
	settle(t, s, db.SQL(), l)
	if got := s.logs.count("database unavailable"); got != 1 {
		t.Errorf("%d outage lines logged, want 1", got)
	}
	testutil.Eventually(t, 15*time.Second, "the end of the outage was never logged", func() bool {
		return s.logs.count("database answering again") == 1
	})
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
}
