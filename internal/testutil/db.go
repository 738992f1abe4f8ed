// Package testutil gives tests real databases: a fresh, migrated SQLite file
// or PostgreSQL schema per test, and helpers to run a test on each.
package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for schema set-up

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/migrations"
)

// Logger discards everything; tests that care about logs build their own.
func Logger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Dialects lists the databases this run tests against: SQLite always, and
// PostgreSQL when TEST_DATABASE_URL is set. Under CI=true a missing
// TEST_DATABASE_URL fails the test instead of quietly testing less.
func Dialects(t testing.TB) []database.Dialect {
	t.Helper()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI")
		}
		return []database.Dialect{database.SQLite}
	}
	return []database.Dialect{database.SQLite, database.Postgres}
}

// EachDB runs fn once per dialect, each with a fresh migrated database.
func EachDB(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			fn(t, NewDB(t, d))
		})
	}
}

// NewDB returns a fresh, migrated database that is removed when t ends.
func NewDB(t testing.TB, dialect database.Dialect) *database.DB {
	t.Helper()
	db := OpenEmpty(t, dialect)
	if _, err := migrations.Up(context.Background(), db); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// OpenEmpty returns a fresh database with no tables, removed when t ends.
func OpenEmpty(t testing.TB, dialect database.Dialect) *database.DB {
	t.Helper()
	source := NewDatabaseURL(t, dialect)
	db, err := database.Open(context.Background(), source, Logger())
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// NewDatabaseURL makes a fresh, empty database and returns its
// DATABASE_URL: an SQLite file in the test's temporary folder, or a new
// PostgreSQL schema (selected through search_path) dropped at cleanup.
func NewDatabaseURL(t testing.TB, dialect database.Dialect) string {
	t.Helper()
	if dialect == database.SQLite {
		return filepath.Join(t.TempDir(), "chorus.db")
	}
	base := PostgresURL(t)
	schema := "test_" + randomHex(t, 8)
	admin := adminConn(t, base)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		// Cleanups run last-registered first: the test's own connections,
		// opened after this, are closed before the schema is dropped.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresURL returns TEST_DATABASE_URL, skipping the test when it is unset
// outside CI and failing it under CI=true.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but TEST_DATABASE_URL is not set")
		}
		t.Skip("TEST_DATABASE_URL is not set; skipping a PostgreSQL test")
	}
	return u
}

func adminConn(t testing.TB, base string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open TEST_DATABASE_URL: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("TEST_DATABASE_URL does not answer (a PostgreSQL test cannot skip when it was asked for): %v", err)
	}
	return db
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
