package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// The databases a run can use.
const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"
)

// What the fixture holds besides the kiosks.
const (
	benchOrg   = "Bench Program"
	benchSite  = "Main Street"
	benchAdmin = "bench-admin@example.org"
)

// fixture is a provisioned template database — one organization, one site,
// many kiosks — that each run copies, so every run starts empty without
// paying for provisioning again.
type fixture interface {
	tokens() []string
	// clone makes a fresh copy named name and returns its DATABASE_URL and
	// how to remove it.
	clone(ctx context.Context, name string) (databaseURL string, drop func() error, err error)
	close() error
}

// provision builds the template for dialect with `chorus admin`, the way an
// operator would script it.
func provision(ctx context.Context, o options, dialect, bin, dir, id string, log io.Writer) (fixture, error) {
	start := time.Now()
	var (
		fx     fixture
		target string
		err    error
	)
	switch dialect {
	case dialectSQLite:
		f := &sqliteFixture{dir: dir, template: filepath.Join(dir, "template.db")}
		fx, target = f, f.template
	default:
		f, ferr := newPostgresFixture(ctx, o.pgURL, "chorus_bench_"+id)
		if ferr != nil {
			return nil, ferr
		}
		fx, target = f, f.urlFor(f.template)
	}
	jobs := o.jobs
	if dialect == dialectSQLite {
		// One process at a time: the SQLite driver in use ignores
		// _txlock=immediate when _time_format is also set, so chorus's
		// read-then-write transactions from parallel processes fail with
		// SQLITE_BUSY instead of waiting.
		jobs = 1
	}
	toks, err := provisionInto(ctx, bin, target, o.kiosks, jobs)
	if err != nil {
		_ = fx.close()
		return nil, fmt.Errorf("provision %s: %w", dialect, err)
	}
	switch f := fx.(type) {
	case *sqliteFixture:
		f.toks = toks
	case *postgresFixture:
		f.toks = toks
	}
	fmt.Fprintf(log, "provisioned %s: 1 organization, 1 site, %d kiosks in %s\n", dialect, len(toks), time.Since(start).Round(time.Second))
	return fx, nil
}

// provisionInto creates the organization, the site and the kiosks, and
// returns the kiosks' device tokens.
func provisionInto(ctx context.Context, bin, databaseURL string, kiosks, jobs int) ([]string, error) {
	if _, err := chorusAdmin(ctx, bin, databaseURL, "bootstrap", "--org", benchOrg, "--email", benchAdmin); err != nil {
		return nil, err
	}
	if _, err := chorusAdmin(ctx, bin, databaseURL, "site", "add", "--org", benchOrg, "--name", benchSite,
		"--kind", "fixed", "--setting", "urban", "--tz", "America/New_York"); err != nil {
		return nil, err
	}
	toks := make([]string, kiosks)
	errs := make([]error, kiosks)
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for i := range next {
				toks[i], errs[i] = addKiosk(ctx, bin, databaseURL, i)
			}
		})
	}
	for i := range kiosks {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(toks[i], "chorus_kiosk_") {
			return nil, fmt.Errorf("chorus admin kiosk add printed %q as its last line, not a kiosk token", toks[i])
		}
	}
	return toks, nil
}

// addKiosk runs `chorus admin kiosk add`, retrying a few times if it
// fails: a failed add changes nothing.
func addKiosk(ctx context.Context, bin, databaseURL string, i int) (string, error) {
	var err error
	for attempt := range 5 {
		var tok string
		tok, err = chorusAdmin(ctx, bin, databaseURL, "kiosk", "add", "--org", benchOrg,
			"--site", benchSite, "--name", fmt.Sprintf("bench kiosk %04d", i))
		if err == nil {
			return tok, nil
		}
		sleep(ctx, time.Duration(attempt+1)*50*time.Millisecond)
	}
	return "", err
}

type sqliteFixture struct {
	dir, template string
	toks          []string
}

func (f *sqliteFixture) tokens() []string { return f.toks }

func (f *sqliteFixture) clone(_ context.Context, name string) (string, func() error, error) {
	path := filepath.Join(f.dir, name+".db")
	// chorus admin exits cleanly, so SQLite has checkpointed the WAL into
	// the main file and removed it: the file alone is the database.
	if err := copyFile(f.template, path); err != nil {
		return "", nil, err
	}
	drop := func() error {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		return nil
	}
	return path, drop, nil
}

func (f *sqliteFixture) close() error { return nil }

func copyFile(from, to string) error {
	if _, err := os.Stat(from + "-wal"); err == nil {
		return fmt.Errorf("%s-wal exists: the template was not closed cleanly", from)
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// postgresFixture keeps its template as a PostgreSQL database; clones are
// CREATE DATABASE … TEMPLATE, which copies files and is quick.
type postgresFixture struct {
	admin    *sql.DB
	server   *url.URL
	template string
	toks     []string
}

func newPostgresFixture(ctx context.Context, serverURL, template string) (*postgresFixture, error) {
	admin, u, err := openPostgresAdmin(ctx, serverURL)
	if err != nil {
		return nil, err
	}
	f := &postgresFixture{admin: admin, server: u, template: template}
	if err := createDatabase(ctx, admin, template, ""); err != nil {
		_ = admin.Close()
		return nil, err
	}
	return f, nil
}

// openPostgresAdmin connects to the server named by serverURL, which must
// be on this machine: the benchmark sends traffic nowhere else.
func openPostgresAdmin(ctx context.Context, serverURL string) (*sql.DB, *url.URL, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return nil, nil, fmt.Errorf("-pg: %w", err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, nil, fmt.Errorf("-pg: %q is not a loopback address; the benchmark only runs against this machine", u.Hostname())
	}
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, nil, err
	}
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		return nil, nil, fmt.Errorf("PostgreSQL at %s: %w", u.Host, err)
	}
	return admin, u, nil
}

func (f *postgresFixture) tokens() []string { return f.toks }

func (f *postgresFixture) urlFor(database string) string { return databaseURL(f.server, database) }

func (f *postgresFixture) clone(ctx context.Context, name string) (string, func() error, error) {
	db := f.template + "_" + name
	if err := createDatabase(ctx, f.admin, db, f.template); err != nil {
		return "", nil, err
	}
	return f.urlFor(db), func() error { return dropDatabase(f.admin, db) }, nil
}

func (f *postgresFixture) close() error {
	err := dropDatabase(f.admin, f.template)
	if cerr := f.admin.Close(); err == nil {
		err = cerr
	}
	return err
}

// databaseURL is server's URL with its database replaced.
func databaseURL(server *url.URL, database string) string {
	u := *server
	u.Path = "/" + database
	return u.String()
}

// createDatabase creates name, copied from template when one is given.
// Names are made by this program (letters, digits, underscores), never
// taken from input, so quoting them is enough.
func createDatabase(ctx context.Context, admin *sql.DB, name, template string) error {
	stmt := fmt.Sprintf("CREATE DATABASE %q", name)
	if template != "" {
		stmt += fmt.Sprintf(" TEMPLATE %q", template)
	}
	if _, err := admin.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// dropDatabase drops name even after an interrupt, so it gets a context
// of its own.
func dropDatabase(admin *sql.DB, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %q WITH (FORCE)", name)); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}
