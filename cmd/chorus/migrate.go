package main

import (
	"flag"
	"fmt"
	"log/slog"
	"text/tabwriter"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/migrations"
)

// openDatabase parses the database flag and opens the database without
// migrating it. Admin commands log only warnings, to standard error.
func (e *environment) openDatabase(fs *flag.FlagSet, args []string) (*database.DB, error) {
	databaseURL := config.BindDatabase(fs, e.getenv)
	if err := e.parseFlags(fs, args); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return database.Open(e.ctx, *databaseURL, log)
}

func (e *environment) migrate(args []string) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		return usagef("want \"migrate up\" or \"migrate status\"")
	}
	fs := flag.NewFlagSet("migrate "+args[0], flag.ContinueOnError)
	db, err := e.openDatabase(fs, args[1:])
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if args[0] == "up" {
		applied, err := migrations.Up(e.ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "applied %d migration(s) to the %s database\n", len(applied), db.Dialect)
		return nil
	}
	list, err := migrations.List(e.ctx, db)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
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
