package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/migrations"
)

// openDatabase parses the database flag and opens the database without
// migrating it. Commands log only errors, to standard error: what went
// wrong is theirs to say in words (a duplicate is "already exists", not the
// database driver's SQL and source line).
func (e *environment) openDatabase(fs *flag.FlagSet, args []string) (*database.DB, error) {
	databaseURL := config.BindDatabase(fs, e.getenv)
	if err := e.parseFlags(fs, args); err != nil {
		return nil, err
	}
	if err := checkDatabaseURL(*databaseURL); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	return database.Open(e.ctx, *databaseURL, log)
}

// checkDatabaseURL refuses, as a usage error, a URL of a kind Chorus does
// not speak (mysql://…).
func checkDatabaseURL(databaseURL string) error {
	if database.DialectOf(databaseURL) == database.SQLite {
		if _, err := database.SQLiteFile(databaseURL); err != nil {
			return usagef("%v", err)
		}
	}
	return nil
}

// missingSQLite returns the SQLite file a URL names when it is not there
// yet, which opening would create: "migrate status" only reads.
func missingSQLite(databaseURL string) (string, bool, error) {
	if database.DialectOf(databaseURL) != database.SQLite {
		return "", false, nil
	}
	path, err := database.SQLiteFile(databaseURL)
	if err != nil {
		return "", false, usagef("%v", err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return path, true, nil
	} else if err != nil {
		return "", false, err
	}
	return path, false, nil
}

// pendingFromFiles lists the embedded SQLite migrations, all pending: the
// status of a database that does not exist yet.
func pendingFromFiles() ([]migrations.Status, error) {
	files, err := migrations.FS(database.SQLite)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return nil, err
	}
	out := make([]migrations.Status, 0, len(names))
	for _, name := range names {
		version, err := strconv.ParseInt(strings.SplitN(name, "_", 2)[0], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("migration file %s: %w", name, err)
		}
		out = append(out, migrations.Status{Version: version, Name: name})
	}
	return out, nil
}

func (e *environment) migrate(args []string) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		return usagef("want \"migrate up\" or \"migrate status\"")
	}
	flags := flag.NewFlagSet("migrate "+args[0], flag.ContinueOnError)
	var list []migrations.Status
	if args[0] == "status" {
		// Look for the file before opening it, which would create it.
		probe := flag.NewFlagSet("migrate status", flag.ContinueOnError)
		probe.SetOutput(io.Discard)
		databaseURL := config.BindDatabase(probe, e.getenv)
		if probe.Parse(args[1:]) == nil && probe.NArg() == 0 {
			path, missing, err := missingSQLite(*databaseURL)
			if err != nil {
				return err
			}
			if missing {
				fmt.Fprintf(e.stderr, "chorus migrate: no database at %s yet (\"chorus migrate up\" or \"chorus serve\" creates it); every migration is pending\n", path)
				if list, err = pendingFromFiles(); err != nil {
					return err
				}
				return printStatus(e.stdout, list)
			}
		}
	}
	db, err := e.openDatabase(flags, args[1:])
	if err != nil {
		return err
	}
	defer db.Close()
	if flags.NArg() > 0 {
		return usagef("unexpected argument %q", flags.Arg(0))
	}
	if args[0] == "up" {
		applied, err := migrations.Up(e.ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "applied %d migration(s) to the %s database\n", len(applied), db.Dialect)
		return nil
	}
	list, err = migrations.List(e.ctx, db)
	if err != nil {
		return err
	}
	return printStatus(e.stdout, list)
}

// printStatus writes the migrations as a table.
func printStatus(w io.Writer, list []migrations.Status) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "VERSION\tSTATE\tAPPLIED AT\tFILE\n")
	for _, m := range list {
		state, at := "pending", "-"
		if m.Applied {
			state, at = "applied", m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(tw, "%05d\t%s\t%s\t%s\n", m.Version, state, at, m.Name)
	}
	return tw.Flush()
}

func (e *environment) backup(args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	db, err := e.openDatabase(fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 1 {
		return usagef("want exactly one PATH for the snapshot")
	}
	if err := db.Backup(e.ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s\n", fs.Arg(0))
	return nil
}
