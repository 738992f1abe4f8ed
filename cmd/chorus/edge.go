package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/store"
)

const edgeUsage = `chorus edge: van mode (docs/van-mode.md), a Chorus that runs in a mobile site's
van with its own SQLite and syncs upstream whenever it can.

  chorus edge enroll --upstream URL --code CODE   enroll this laptop with an admin's one-time code
  chorus edge serve [serve flags] [--sync-every D] [--max-backoff D]
  chorus edge passphrase                          set a new passphrase for the van's console
  chorus edge kiosk [--name LABEL] [--base-url URL] a one-time code to set up a tablet on the van
  chorus edge status                              what waits to be sent, and the last sync

The passphrase comes from CHORUS_EDGE_PASSPHRASE (at least 12 characters);
without it one is generated and printed. Facilitators sign in on the van with
` + edge.FacilitatorEmail + ` and the passphrase.`

func (e *environment) edge(args []string) error {
	if len(args) == 0 {
		return usagef("want a subcommand\n\n%s", edgeUsage)
	}
	switch args[0] {
	case "enroll":
		return e.edgeEnroll(args[1:])
	case "serve":
		return e.edgeServe(args[1:])
	case "passphrase":
		return e.edgePassphrase(args[1:])
	case "status":
		return e.edgeStatus(args[1:])
	case "kiosk":
		return e.edgeKiosk(args[1:])
	}
	return usagef("unknown subcommand %q\n\n%s", strings.Join(args, " "), edgeUsage)
}

// edgeCommand is adminCommand that also hands over the database.
func (e *environment) edgeCommand(fs *flag.FlagSet, args []string, required ...string) (*store.Store, *database.DB, func(), error) {
	db, err := e.openDatabase(fs, args)
	if err != nil {
		return nil, nil, nil, err
	}
	closeDB := func() { _ = db.Close() }
	for _, name := range required {
		if strings.TrimSpace(fs.Lookup(name).Value.String()) == "" {
			closeDB()
			return nil, nil, nil, usagef("--%s is required", name)
		}
	}
	if fs.NArg() > 0 {
		closeDB()
		return nil, nil, nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := migrate(e, db); err != nil {
		closeDB()
		return nil, nil, nil, err
	}
	return store.New(db), db, closeDB, nil
}

// passphrase returns CHORUS_EDGE_PASSPHRASE, or a generated one.
func (e *environment) passphrase() (string, bool) {
	if p := e.getenv("CHORUS_EDGE_PASSPHRASE"); p != "" {
		return p, false
	}
	return store.GeneratePassword(), true
}

func (e *environment) edgeEnroll(args []string) error {
	fs := flag.NewFlagSet("edge enroll", flag.ContinueOnError)
	upstream := fs.String("upstream", "", "the main server's address, such as https://chorus.example.org")
	code := fs.String("code", "", "the one-time code an admin got on the Kiosks page")
	st, db, done, err := e.edgeCommand(fs, args, "upstream", "code")
	if err != nil {
		return err
	}
	defer done()
	u, err := url.Parse(*upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--upstream %q: want an absolute http:// or https:// URL", *upstream)
	}
	base := strings.TrimRight(*upstream, "/")
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		fmt.Fprintf(e.stderr, "chorus edge enroll: %s is not HTTPS: the device token and what the van sends would cross the network unencrypted\n", base)
	}
	pass, generated := e.passphrase()
	ctx, cancel := context.WithTimeout(e.ctx, time.Minute)
	defer cancel()
	en, err := edge.NewClient(base, "").Enroll(ctx, *code)
	var refused *edge.RefusedError
	if errors.As(err, &refused) {
		return usagef("--code: upstream refused it (%s); ask an admin for a new code (codes work once, for 15 minutes)", refused.Message)
	}
	if err != nil {
		return fmt.Errorf("enroll with %s: %w", base, err)
	}
	if err := edge.SaveEnrollment(e.ctx, db.DB, base, en, time.Now()); err != nil {
		return err
	}
	if err := st.SetEdgePassphrase(e.ctx, en.State.Organization.ID, pass); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "Enrolled this laptop as %q for %q of %q, syncing with %s.\n", en.Device.Name, en.State.Site.Name, en.State.Organization.Name, base)
	fmt.Fprintf(e.stdout, "Facilitators sign in on the van as %s with the passphrase.\n", edge.FacilitatorEmail)
	if generated {
		fmt.Fprintf(e.stdout, "Passphrase (shown once; reset it with chorus edge passphrase):\n%s\n", pass)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s\n", en.Device.ID)
	return nil
}

func (e *environment) edgePassphrase(args []string) error {
	fs := flag.NewFlagSet("edge passphrase", flag.ContinueOnError)
	st, db, done, err := e.edgeCommand(fs, args)
	if err != nil {
		return err
	}
	defer done()
	link, ok, err := edge.Link(e.ctx, db.DB)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("this database is not an enrolled edge: run chorus edge enroll first")
	}
	pass, generated := e.passphrase()
	if err := st.SetEdgePassphrase(e.ctx, link.OrganizationID, pass); err != nil {
		return cliError(err)
	}
	if generated {
		fmt.Fprintf(e.stdout, "New passphrase for %s (shown once; every open console was signed out):\n%s\n", edge.FacilitatorEmail, pass)
		return nil
	}
	fmt.Fprintf(e.stdout, "Set the passphrase from CHORUS_EDGE_PASSPHRASE; every open console was signed out.\n%s\n", edge.FacilitatorEmail)
	return nil
}

func (e *environment) edgeStatus(args []string) error {
	fs := flag.NewFlagSet("edge status", flag.ContinueOnError)
	st, _, done, err := e.edgeCommand(fs, args)
	if err != nil {
		return err
	}
	defer done()
	c, err := st.EdgeConsole(e.ctx)
	if err != nil {
		return err
	}
	if !c.Edge {
		return errors.New("this database is not an enrolled edge: run chorus edge enroll first")
	}
	synced := "never"
	if c.SyncedAt != nil {
		synced = c.SyncedAt.Local().Format("Mon 2 Jan 15:04")
	}
	state := "offline"
	switch {
	case c.Revoked:
		state = "revoked upstream: ask an admin to enroll this laptop again (its data is kept)"
	case c.Online:
		state = "online"
	}
	fmt.Fprintf(e.stdout, "Upstream %s: %s. Last sync: %s.\n", c.Upstream, state, synced)
	fmt.Fprintf(e.stdout, "Waiting: %d submissions, %d support answers, %d sessions (%d still open). Sent: %d.\n",
		c.Waiting[edge.KindSubmission], c.Waiting[edge.KindSupport], c.Waiting[edge.KindSession], c.OpenSessions, c.Sent)
	return nil
}

// edgeServe runs the server on the van's database and syncs in the
// background; it refuses a database that was never enrolled.
func (e *environment) edgeServe(args []string) error {
	fs := flag.NewFlagSet("edge serve", flag.ContinueOnError)
	every := fs.Duration("sync-every", 15*time.Second, "how often to sync while upstream answers")
	maxBackoff := fs.Duration("max-backoff", 5*time.Minute, "the longest wait between tries while upstream does not answer")
	cfg, err := e.serverConfig(fs, args)
	if err != nil {
		return err
	}
	if *every <= 0 || *maxBackoff < *every {
		return usagef("--sync-every must be positive and --max-backoff at least as long")
	}
	log := config.NewLogger(cfg, e.stderr)
	db, err := e.openMigrated(cfg.DatabaseURL, log, database.WithBusyTimeout(cfg.DBTimeout))
	if err != nil {
		return err
	}
	defer db.Close()
	link, ok, err := edge.Link(e.ctx, db.DB)
	if err != nil {
		return err
	}
	if !ok {
		return usagef("this database is not an enrolled edge: run chorus edge enroll --upstream URL --code CODE first")
	}
	syncer := &edge.Syncer{DB: db.DB, Client: edge.NewClient(link.Upstream, link.Token), Log: log,
		Every: *every, MaxBackoff: *maxBackoff, Now: time.Now}
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	synced := make(chan struct{})
	go func() {
		defer close(synced)
		syncer.Run(ctx)
	}()
	log.Info("edge syncing", "upstream", link.Upstream, "every", *every)
	err = e.runServer(cfg, log, db)
	cancel()
	<-synced
	return err
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// edgeKiosk adds a kiosk tablet at the van's site and prints its one-time
// set-up code and link: the van has no admin pages, and its tablets talk
// to the van, never to the main server.
func (e *environment) edgeKiosk(args []string) error {
	fs := flag.NewFlagSet("edge kiosk", flag.ContinueOnError)
	label := fs.String("name", "Van tablet", "the tablet's label")
	baseURL := fs.String("base-url", e.getenv("CHORUS_BASE_URL"), "the van's address as tablets reach it (CHORUS_BASE_URL)")
	st, db, done, err := e.edgeCommand(fs, args)
	if err != nil {
		return err
	}
	defer done()
	link, ok, err := edge.Link(e.ctx, db.DB)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("this database is not an enrolled edge: run chorus edge enroll first")
	}
	k, en, err := st.By(nil).CreateKiosk(e.ctx, link.OrganizationID, link.SiteID, *label)
	if err != nil {
		return cliError(err)
	}
	base := strings.TrimRight(*baseURL, "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	fmt.Fprintf(e.stdout, "Added the tablet %q. On it, open %s/kiosk and type the code before %s, or open:\n", k.Name, base,
		en.ExpiresAt.Local().Format("15:04"))
	fmt.Fprintf(e.stdout, "%s/kiosk#enroll=%s\n%s\n", base, en.Code, en.Code)
	return nil
}
