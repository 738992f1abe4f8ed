package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/demo"
	"github.com/chorus-hr/chorus/internal/server"
	"github.com/chorus-hr/chorus/migrations"
)

// parseFlags parses args into a new flag set, turning -h into a clean exit
// and any other flag error into a usage error.
func (e *environment) parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stderr)
			fs.PrintDefaults()
			return usagef("see the flags above")
		}
		return usagef("%v", err)
	}
	return nil
}

// serverConfig parses the server settings from args; fs may carry extra
// flags of the calling command.
func (e *environment) serverConfig(fs *flag.FlagSet, args []string) (*config.Config, error) {
	cfg := config.Bind(fs, e.getenv)
	if err := e.parseFlags(fs, args); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	for _, name := range cfg.Unknown(e.environ()) {
		fmt.Fprintf(e.stderr, "chorus: %s is not a setting this version knows; it is ignored (see the README's configuration table)\n", name)
	}
	return cfg, nil
}

// openMigrated opens the database and applies pending migrations.
func (e *environment) openMigrated(databaseURL string, log *slog.Logger, opts ...database.Option) (*database.DB, error) {
	if err := checkDatabaseURL(databaseURL); err != nil {
		return nil, err
	}
	db, err := database.Open(e.ctx, databaseURL, log, opts...)
	if err != nil {
		return nil, err
	}
	applied, err := migrations.Up(e.ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "versions", applied)
	}
	return db, nil
}

func (e *environment) serve(args []string) error {
	cfg, err := e.serverConfig(flag.NewFlagSet("serve", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	log := config.NewLogger(cfg, e.stderr)
	db, err := e.openMigrated(cfg.DatabaseURL, log, database.WithBusyTimeout(cfg.DBTimeout))
	if err != nil {
		return err
	}
	defer db.Close()
	return e.runServer(cfg, log, db)
}

// runServer serves until the process is told to stop.
func (e *environment) runServer(cfg *config.Config, log *slog.Logger, db *database.DB) error {
	srv, err := server.New(cfg, log, db)
	if err != nil {
		return err
	}
	return srv.ListenAndServe(e.ctx)
}

func (e *environment) demo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	noServe := fs.Bool("no-serve", false, "seed the demo data and exit without serving")
	cfg, err := e.serverConfig(fs, args)
	if err != nil {
		return err
	}
	log := config.NewLogger(cfg, e.stderr)
	db, err := e.openMigrated(cfg.DatabaseURL, log, database.WithBusyTimeout(cfg.DBTimeout))
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := demo.Seed(e.ctx, db, time.Now())
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	w := e.stdout
	if res.Created {
		fmt.Fprintf(w, "Seeded the demo organization %q with %d sites.\n", res.Organization.Name, len(res.Sites))
	} else {
		fmt.Fprintf(w, "The demo organization %q is already there; nothing new was added.\n", res.Organization.Name)
	}
	fmt.Fprintf(w, "\nChorus demo (%s database):\n", db.Dialect)
	fmt.Fprintf(w, "  Home            %s/\n", base)
	fmt.Fprintf(w, "  Kiosk           %s/kiosk\n", base)
	fmt.Fprintf(w, "  Join a meeting  %s/live\n", base)
	fmt.Fprintf(w, "  Run a meeting   %s/facilitator (sign in as the facilitator)\n", base)
	fmt.Fprintf(w, "  Staff sign-in   %s/signin\n", base)
	fmt.Fprintf(w, "  Dashboard       %s/dashboard\n", base)
	fmt.Fprintf(w, "  Public board    %s/board/%s\n", base, res.Organization.Slug)
	fmt.Fprintf(w, "\nDemo sign-ins (password for all: %s):\n", demo.Password)
	for _, a := range demo.Accounts {
		fmt.Fprintf(w, "  %-12s %s\n", a.Role, a.Email)
	}
	kiosk, code, err := demoKioskCode(e.ctx, db, res.Organization.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nTry the kiosk: open this link, and the browser becomes the demo's %q\n", kiosk.Name)
	fmt.Fprintf(w, "(or type the code %s on %s/kiosk; it works once, until %s):\n", code.Code, base, code.ExpiresAt.Local().Format("15:04"))
	fmt.Fprintf(w, "  %s/kiosk#enroll=%s\n", base, code.Code)
	posters, err := demoPosters(e.ctx, db, res.Organization.ID, res.Sites)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nTry own-phone feedback: open a site's poster link on a phone (staff print")
	fmt.Fprintln(w, "the poster with its QR code from Sites → Poster):")
	for i, p := range posters {
		fmt.Fprintf(w, "  %-28s %s/p/%s\n", res.Sites[i].Name, base, p.Code)
	}
	if *noServe {
		return nil
	}
	fmt.Fprintln(w, "\nPress Ctrl+C to stop.")
	return e.runServer(cfg, log, db)
}

// healthcheck asks a running server's /readyz, for container health checks
// in images without a shell or curl. Without a URL it asks this machine at
// CHORUS_ADDR's port, over HTTPS when CHORUS_TLS_CERT is set.
func (e *environment) healthcheck(args []string) error {
	if len(args) > 1 {
		return usagef("want at most one URL")
	}
	target := defaultHealthURL(e.getenv)
	if len(args) == 1 {
		target = args[0]
	}
	ctx, cancel := context.WithTimeout(e.ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return usagef("%v", err)
	}
	client := &http.Client{Transport: &http.Transport{
		// Only for the loopback default: the certificate names the public
		// host, not 127.0.0.1.
		TLSClientConfig: &tls.Config{InsecureSkipVerify: len(args) == 0}, //nolint:gosec // loopback probe
	}}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", target, resp.Status)
	}
	fmt.Fprintln(e.stdout, "ready")
	return nil
}

func defaultHealthURL(getenv func(string) string) string {
	port := "8080"
	if addr := getenv("CHORUS_ADDR"); addr != "" {
		if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
			port = p
		}
	}
	scheme := "http"
	if getenv("CHORUS_TLS_CERT") != "" {
		scheme = "https"
	}
	return scheme + "://127.0.0.1:" + port + "/readyz"
}
