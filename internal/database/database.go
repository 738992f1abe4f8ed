// Package database opens Chorus's database: embedded SQLite by default,
// PostgreSQL when DATABASE_URL is a postgres:// URL.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"

	"github.com/chorus-hr/chorus/internal/config"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL dialect of a database.
type Dialect string

// The dialects Chorus speaks. Their names are also the migration folders.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database and the dialect it speaks.
type DB struct {
	*gorm.DB
	Dialect Dialect
	// Source is the SQLite file path or the PostgreSQL URL it was opened with.
	Source string
}

// DialectOf tells which dialect a DATABASE_URL selects.
func DialectOf(databaseURL string) Dialect {
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// DefaultBusyTimeout is how long an SQLite statement waits for another
// writer's lock before giving up with SQLITE_BUSY (reported as
// unavailable). A request never waits longer than its deadline anyway: the
// server opens its database WithBusyTimeout(CHORUS_DB_TIMEOUT), since
// SQLite's wait for a lock does not end when a context does.
const DefaultBusyTimeout = 10 * time.Second

// Option changes how Open opens a database.
type Option func(*options)

type options struct{ busyTimeout time.Duration }

// WithBusyTimeout sets SQLite's busy timeout (PostgreSQL ignores it).
func WithBusyTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.busyTimeout = d
		}
	}
}

// Open connects to databaseURL and checks that the database answers.
func Open(ctx context.Context, databaseURL string, log *slog.Logger, opts ...Option) (*DB, error) {
	o := options{busyTimeout: DefaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	cfg := &gorm.Config{
		// Duplicate keys and foreign-key failures look the same on both databases.
		TranslateError: true,
		Logger:         newGormLogger(log),
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	var (
		gdb     *gorm.DB
		err     error
		dialect = DialectOf(databaseURL)
		source  = databaseURL
	)
	switch dialect {
	case Postgres:
		gdb, err = gorm.Open(postgres.New(postgres.Config{DSN: databaseURL}), cfg)
	default:
		source, err = sqlitePath(databaseURL)
		if err != nil {
			return nil, err
		}
		if dir := filepath.Dir(source); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		gdb, err = gorm.Open(sqlite.Open(sqliteDSN(source, o.busyTimeout)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, err
	}
	configurePool(sqlDB, dialect)
	db := &DB{DB: gdb, Dialect: dialect, Source: source}
	if err := db.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return db, nil
}

// Ping runs a trivial query, so a broken connection is noticed even when the
// pool still holds it.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	var one int
	if err := sqlDB.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("%s database does not answer: %w", db.Dialect, err)
	}
	return nil
}

// SQL returns the underlying database/sql handle.
func (db *DB) SQL() *sql.DB {
	sqlDB, err := db.DB.DB()
	if err != nil {
		// gorm only fails here when its ConnPool is not a *sql.DB, which
		// Open never configures.
		panic(err)
	}
	return sqlDB
}

// Close closes every connection.
func (db *DB) Close() error { return db.SQL().Close() }

// Backup writes an online, consistent snapshot of an SQLite database to path
// with VACUUM INTO. PostgreSQL is backed up with pg_dump instead.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return errors.New("backup: only the embedded SQLite database; use pg_dump for PostgreSQL (see docs/operations.md)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// SQLiteFile is the file an SQLite DATABASE_URL names, or an error for a
// URL that is neither an SQLite path nor a postgres:// URL.
func SQLiteFile(databaseURL string) (string, error) { return sqlitePath(databaseURL) }

func sqlitePath(databaseURL string) (string, error) {
	p := databaseURL
	for _, prefix := range []string{"sqlite://", "sqlite:", "file:"} {
		p = strings.TrimPrefix(p, prefix)
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if p == "" || strings.Contains(p, "://") {
		return "", fmt.Errorf("DATABASE_URL %q: want a SQLite file path or a postgres:// URL", databaseURL)
	}
	return p, nil
}

// sqliteDSN switches on what Chorus relies on: foreign keys, write-ahead
// logging so readers never wait for the writer, a busy timeout instead of
// immediate "database is locked" errors, full fsync on commit so an
// acknowledged write survives a crash, and IMMEDIATE transactions so a
// transaction that reads and then writes takes the lock up front instead
// of failing with SQLITE_BUSY when another write lands in between.
//
// No _time_format: the driver (glebarez/go-sqlite) stops reading the
// parameters after it, which silently dropped _txlock.
func sqliteDSN(path string, busy time.Duration) string {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()), "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

func configurePool(sqlDB *sql.DB, dialect Dialect) {
	switch dialect {
	case Postgres:
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
	default:
		// One writer at a time is SQLite's rule; a few connections let
		// readers proceed beside it under WAL.
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
	}
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
}

// newGormLogger reports slow queries and errors, never query parameters:
// they may hold what a participant typed. Its lines carry no time either:
// a failed statement may be a participant's submission.
func newGormLogger(log *slog.Logger) logger.Interface {
	log = slog.New(config.Timeless(log.Handler()))
	return logger.New(slogPrintf{log}, logger.Config{
		SlowThreshold:             time.Second,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true,
	})
}

type slogPrintf struct{ log *slog.Logger }

func (s slogPrintf) Printf(format string, args ...any) {
	s.log.Warn("database", "detail", fmt.Sprintf(format, args...))
}
