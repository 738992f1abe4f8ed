// Package migrations holds Chorus's versioned SQL migrations and runs them.
//
// There is one migration history for both databases: every version exists in
// sqlite/ and in postgres/ with the same number, and the SQL may differ where
// PostgreSQL has better tools (uuid, jsonb, regex checks). The files are
// embedded in the binary and run with goose's Provider API.
package migrations

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/chorus-hr/chorus/internal/database"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// FS returns the migrations of one dialect.
func FS(dialect database.Dialect) (fs.FS, error) {
	return fs.Sub(files, string(dialect))
}

// Status is one migration and whether it has been applied.
type Status struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// Up applies every pending migration and returns the versions it applied.
func Up(ctx context.Context, db *database.DB) ([]int64, error) {
	p, err := newProvider(db)
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate up: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// UpTo applies the pending migrations up to and including version, for
// tests that put old-shaped rows in before a migration reshapes them.
func UpTo(ctx context.Context, db *database.DB, version int64) error {
	p, err := newProvider(db)
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrate up to %d: %w", version, err)
	}
	return nil
}

// List reports every known migration and whether it is applied.
func List(ctx context.Context, db *database.DB) ([]Status, error) {
	p, err := newProvider(db)
	if err != nil {
		return nil, err
	}
	statuses, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	out := make([]Status, 0, len(statuses))
	for _, s := range statuses {
		out = append(out, Status{
			Version:   s.Source.Version,
			Name:      s.Source.Path,
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

func newProvider(db *database.DB) (*goose.Provider, error) {
	fsys, err := FS(db.Dialect)
	if err != nil {
		return nil, err
	}
	var (
		dialect = goose.DialectSQLite3
		opts    []goose.ProviderOption
	)
	if db.Dialect == database.Postgres {
		dialect = goose.DialectPostgres
		// Several replicas may start at once: only one migrates.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.SQL(), fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("load %s migrations: %w", db.Dialect, err)
	}
	return p, nil
}
