package server_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/server"
	"github.com/chorus-hr/chorus/internal/testutil"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// database/sql keeps a connection opener per pool until Close.
		goleak.IgnoreTopFunction("database/sql.(*DB).connectionOpener"),
		// Each rate limiter's expiring map has a janitor for the process's life.
		goleak.IgnoreAnyFunction("github.com/hashicorp/golang-lru/v2/expirable.NewLRU[...].func1"),
	)
}

func newConfig() *config.Config {
	return &config.Config{Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", ShutdownTimeout: 5 * time.Second, LogFormat: "text", LogLevel: "info"}
}

// start serves on a loopback port until the returned stop is called.
func start(t *testing.T, db *database.DB) (base string, stop func() error) {
	t.Helper()
	srv, err := server.New(newConfig(), testutil.Logger(), db)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), func() error { cancel(); return <-done }
}

func status(t *testing.T, url string) int {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	client.CloseIdleConnections()
	return resp.StatusCode
}

// /readyz follows a real PostgreSQL server: 503 when the network to it is
// cut, 200 again once it is back.
func TestReadyzFollowsPostgres(t *testing.T) {
	pgURL, err := url.Parse(testutil.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	port := pgURL.Port()
	if port == "" {
		port = "5432"
	}
	proxy := testutil.NewProxy(t, net.JoinHostPort(pgURL.Hostname(), port))
	pgURL.Host = proxy.Addr()
	db, err := database.Open(context.Background(), pgURL.String(), testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	base, stop := start(t, db)
	if got := status(t, base+"/readyz"); got != http.StatusOK {
		t.Fatalf("readyz %d before the cut", got)
	}
	proxy.Cut()
	testutil.Eventually(t, 10*time.Second, "readyz never turned 503", func() bool {
		return status(t, base+"/readyz") == http.StatusServiceUnavailable
	})
	if got := status(t, base+"/healthz"); got != http.StatusOK {
		t.Errorf("healthz %d while the database is down; liveness must not depend on it", got)
	}
	proxy.Restore()
	testutil.Eventually(t, 10*time.Second, "readyz never recovered", func() bool {
		return status(t, base+"/readyz") == http.StatusOK
	})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// Shutdown lets a request that is already running finish, then stops
// accepting.
func TestGracefulShutdownDrainsRequests(t *testing.T) {
	db := testutil.NewDB(t, database.SQLite)
	base, stop := start(t, db)
	if got := status(t, base+"/healthz"); got != http.StatusOK {
		t.Fatalf("healthz %d", got)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	_, err := http.Get(base + "/healthz")
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("after shutdown: %v, want connection refused", err)
	}
}
