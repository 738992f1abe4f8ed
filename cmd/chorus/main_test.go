package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"

	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

type result struct {
	code           int
	stdout, stderr string
}

func runWith(ctx context.Context, env map[string]string, args ...string) result {
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := run(ctx, args, getenv, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func TestUsageErrors(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "c.db")}
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"migrate"}, {"migrate", "sideways"}, {"backup"},
		{"serve", "--no-such-flag"}, {"serve", "extra"},
	} {
		r := runWith(context.Background(), env, args...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("chorus %v: exit %d, stderr %q; want 2 with a message", args, r.code, r.stderr)
		}
	}
	bad := map[string]string{"CHORUS_BASE_URL": "not a url", "DATABASE_URL": env["DATABASE_URL"]}
	if r := runWith(context.Background(), bad, "serve"); r.code != 2 || !strings.Contains(r.stderr, "CHORUS_BASE_URL") {
		t.Errorf("bad base URL: %+v", r)
	}
}

func TestMigrateAndDemoOnEachDatabase(t *testing.T) {
	for _, d := range testutil.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": testutil.NewDatabaseURL(t, d)}
			ctx := context.Background()

			r := runWith(ctx, env, "migrate", "status")
			if r.code != 0 || !strings.Contains(r.stdout, "pending") || strings.Contains(r.stdout, "applied ") {
				t.Fatalf("status before up: %+v", r)
			}
			if r = runWith(ctx, env, "migrate", "up"); r.code != 0 {
				t.Fatalf("migrate up: %+v", r)
			}
			r = runWith(ctx, env, "migrate", "status")
			if r.code != 0 || strings.Contains(r.stdout, "pending") || !strings.Contains(r.stdout, "applied") {
				t.Fatalf("status after up: %+v", r)
			}

			r = runWith(ctx, env, "demo", "--no-serve")
			if r.code != 0 || !strings.Contains(r.stdout, "Seeded the demo organization") ||
				!strings.Contains(r.stdout, "admin@demo.chorus.test") || !strings.Contains(r.stdout, "/kiosk") || !strings.Contains(r.stdout, "/facilitator") {
				t.Fatalf("first demo: %+v", r)
			}
			counts := rowCounts(t, env["DATABASE_URL"])
			if counts["submissions"] == 0 || counts["sites"] != 2 || counts["proposals"] == 0 || counts["kiosks"] == 0 {
				t.Fatalf("demo rows %v", counts)
			}
			r = runWith(ctx, env, "demo", "--no-serve")
			if r.code != 0 || !strings.Contains(r.stdout, "already there") {
				t.Fatalf("second demo: %+v", r)
			}
			if again := rowCounts(t, env["DATABASE_URL"]); fmt.Sprint(again) != fmt.Sprint(counts) {
				t.Fatalf("second demo changed rows: %v, then %v", counts, again)
			}
		})
	}
}

func rowCounts(t *testing.T, databaseURL string) map[string]int64 {
	t.Helper()
	db, err := database.Open(context.Background(), databaseURL, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int64{}
	for _, table := range []string{"organizations", "sites", "users", "memberships", "kiosks", "categories", "submissions", "feedback_texts", "proposals", "proposal_updates"} {
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": filepath.Join(dir, "chorus.db")}
	ctx := context.Background()
	if r := runWith(ctx, env, "demo", "--no-serve"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	snap := filepath.Join(dir, "snapshot.db")
	r := runWith(ctx, env, "backup", snap)
	if r.code != 0 || strings.TrimSpace(r.stdout) != snap {
		t.Fatalf("backup: %+v", r)
	}
	if got, want := rowCounts(t, snap), rowCounts(t, env["DATABASE_URL"]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("snapshot rows %v, original %v", got, want)
	}
	if r := runWith(ctx, env, "backup", snap); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("backup over an existing file: %+v", r)
	}
}

// serve answers, and a stop signal (context cancel, as SIGTERM does in
// main) makes it drain and exit 0.
func TestServeStopsCleanly(t *testing.T) {
	port := freePort(t)
	env := map[string]string{
		"DATABASE_URL":      filepath.Join(t.TempDir(), "chorus.db"),
		"CHORUS_ADDR":       "127.0.0.1:" + port,
		"CHORUS_LOG_FORMAT": "text",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runWith(ctx, env, "serve") }()
	base := "http://127.0.0.1:" + port
	testutil.Eventually(t, 20*time.Second, "server never became ready", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if r := runWith(context.Background(), nil, "healthcheck", base+"/readyz"); r.code != 0 {
		t.Errorf("healthcheck: %+v", r)
	}
	cancel()
	r := <-done
	if r.code != 0 || !strings.Contains(r.stderr, "stopped") {
		t.Fatalf("serve exit %d, stderr %s", r.code, r.stderr)
	}
	if r := runWith(context.Background(), nil, "healthcheck", base+"/readyz"); r.code != 1 {
		t.Errorf("healthcheck after stop: %+v", r)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
