package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/demo"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/migrations"
	"github.com/chorus-hr/chorus/models"
)

const adminUsage = `chorus admin: scripted set-up. Each prints what it created as its last line.

  chorus admin bootstrap --org NAME --email EMAIL
  chorus admin site add --org NAME --name NAME --kind fixed|mobile --setting urban|rural --tz ZONE
  chorus admin kiosk add --org NAME --site NAME [--name LABEL]
  chorus admin user add --org NAME --email EMAIL --role admin|staff|facilitator|policymaker
  chorus admin token --email EMAIL [--org NAME] [--name LABEL]

Passwords come from CHORUS_ADMIN_PASSWORD (at least 12 characters); without it a
one-time password is generated and printed, to be changed at first sign-in.`

func (e *environment) admin(args []string) error {
	if len(args) == 0 {
		return usagef("want a subcommand\n\n%s", adminUsage)
	}
	switch strings.Join(args[:min(2, len(args))], " ") {
	case "site add":
		return e.adminSiteAdd(args[2:])
	case "kiosk add":
		return e.adminKioskAdd(args[2:])
	case "user add":
		return e.adminUserAdd(args[2:])
	}
	switch args[0] {
	case "bootstrap":
		return e.adminBootstrap(args[1:])
	case "token":
		return e.adminToken(args[1:])
	}
	return usagef("unknown subcommand %q\n\n%s", strings.Join(args, " "), adminUsage)
}

// adminCommand parses flags, checks that the required ones are set, and
// opens the migrated database.
func (e *environment) adminCommand(fs *flag.FlagSet, args []string, required ...string) (*store.Store, func(), error) {
	db, err := e.openDatabase(fs, args)
	if err != nil {
		return nil, nil, err
	}
	closeDB := func() { _ = db.Close() }
	for _, name := range required {
		if strings.TrimSpace(fs.Lookup(name).Value.String()) == "" {
			closeDB()
			return nil, nil, usagef("--%s is required", name)
		}
	}
	if fs.NArg() > 0 {
		closeDB()
		return nil, nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := migrate(e, db); err != nil {
		closeDB()
		return nil, nil, err
	}
	return store.New(db), closeDB, nil
}

func migrate(e *environment, db *database.DB) error {
	_, err := migrations.Up(e.ctx, db)
	return err
}

// password returns CHORUS_ADMIN_PASSWORD, or a generated one-time password.
func (e *environment) password() (password string, generated bool) {
	if p := e.getenv("CHORUS_ADMIN_PASSWORD"); p != "" {
		return p, false
	}
	return store.GeneratePassword(), true
}

func (e *environment) adminBootstrap(args []string) error {
	fs := flag.NewFlagSet("admin bootstrap", flag.ContinueOnError)
	orgName := fs.String("org", "", "organization name")
	email := fs.String("email", "", "the first admin's e-mail address")
	st, done, err := e.adminCommand(fs, args, "org", "email")
	if err != nil {
		return err
	}
	defer done()
	password, generated := e.password()
	var m store.Member
	err = st.InTx(e.ctx, func(ctx context.Context) error {
		// The demo's accounts have a published password; a real program
		// never shares a database with them.
		if _, err := st.OrganizationByName(ctx, demo.Slug); err == nil {
			return errors.New("this database holds the demo organization, whose sign-ins are public; use a database of its own")
		}
		org, err := st.CreateOrganization(ctx, *orgName)
		if err != nil {
			return err
		}
		m, _, err = st.CreateMember(ctx, org.ID, *email, models.RoleAdmin, password, generated)
		if err != nil {
			return err
		}
		return st.Audit(ctx, org.ID, nil, store.AuditUserAdded, "user", m.ID, models.Bands{"email": m.Email, "role": "admin", "by": "chorus admin bootstrap"})
	})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "Created organization %q and its admin %s.\n", *orgName, m.Email)
	if generated {
		fmt.Fprintf(e.stdout, "One-time password (change it at first sign-in):\n%s\n", password)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s\n", m.ID)
	return nil
}

func (e *environment) adminSiteAdd(args []string) error {
	fs := flag.NewFlagSet("admin site add", flag.ContinueOnError)
	orgName := fs.String("org", "", "organization name")
	name := fs.String("name", "", "site name")
	kind := fs.String("kind", "", "fixed or mobile")
	setting := fs.String("setting", "", "urban or rural")
	tz := fs.String("tz", "", "time zone, such as America/Chicago")
	st, done, err := e.adminCommand(fs, args, "org", "name", "kind", "setting", "tz")
	if err != nil {
		return err
	}
	defer done()
	org, err := st.OrganizationByName(e.ctx, *orgName)
	if err != nil {
		return cliError(err)
	}
	var site models.Site
	err = st.InTx(e.ctx, func(ctx context.Context) error {
		var err error
		if site, err = st.CreateSite(ctx, org.ID, store.SiteInput{Name: *name, Kind: *kind, Setting: *setting, TimeZone: *tz}); err != nil {
			return err
		}
		return st.Audit(ctx, org.ID, nil, store.AuditSiteCreated, "site", site.ID, models.Bands{"name": site.Name, "by": "chorus admin site add"})
	})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "Created site %q (%s, %s).\n%s\n", site.Name, site.Kind, site.Setting, site.ID)
	return nil
}

func (e *environment) adminKioskAdd(args []string) error {
	fs := flag.NewFlagSet("admin kiosk add", flag.ContinueOnError)
	orgName := fs.String("org", "", "organization name")
	siteName := fs.String("site", "", "site name")
	label := fs.String("name", "", "kiosk label (default: the site's name and \"tablet\")")
	st, done, err := e.adminCommand(fs, args, "org", "site")
	if err != nil {
		return err
	}
	defer done()
	org, err := st.OrganizationByName(e.ctx, *orgName)
	if err != nil {
		return cliError(err)
	}
	site, err := st.SiteByName(e.ctx, org.ID, *siteName)
	if err != nil {
		return cliError(err)
	}
	if *label == "" {
		*label = site.Name + " tablet"
	}
	var (
		k     models.Kiosk
		token string
	)
	err = st.InTx(e.ctx, func(ctx context.Context) error {
		var err error
		if k, token, err = st.ProvisionKiosk(ctx, org.ID, site.ID, *label); err != nil {
			return err
		}
		return st.Audit(ctx, org.ID, nil, store.AuditKioskEnrolled, "kiosk", k.ID, models.Bands{"name": k.Name, "by": "chorus admin kiosk add"})
	})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "Created kiosk %q at %q. Its device token (shown once):\n%s\n", k.Name, site.Name, token)
	return nil
}

func (e *environment) adminUserAdd(args []string) error {
	fs := flag.NewFlagSet("admin user add", flag.ContinueOnError)
	orgName := fs.String("org", "", "organization name")
	email := fs.String("email", "", "e-mail address")
	role := fs.String("role", "", "admin, staff, facilitator or policymaker")
	st, done, err := e.adminCommand(fs, args, "org", "email", "role")
	if err != nil {
		return err
	}
	defer done()
	if !models.Role(*role).Valid() {
		return usagef("--role must be admin, staff, facilitator or policymaker")
	}
	org, err := st.OrganizationByName(e.ctx, *orgName)
	if err != nil {
		return cliError(err)
	}
	password, generated := e.password()
	var (
		m       store.Member
		created bool
	)
	err = st.InTx(e.ctx, func(ctx context.Context) error {
		var err error
		if m, created, err = st.CreateMember(ctx, org.ID, *email, models.Role(*role), password, generated); err != nil {
			return err
		}
		return st.Audit(ctx, org.ID, nil, store.AuditUserAdded, "user", m.ID, models.Bands{"email": m.Email, "role": *role, "by": "chorus admin user add"})
	})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "Added %s as %s of %q.\n", m.Email, m.Role, org.Name)
	if created && generated {
		fmt.Fprintf(e.stdout, "One-time password (change it at first sign-in):\n%s\n", password)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s\n", m.ID)
	return nil
}

func (e *environment) adminToken(args []string) error {
	fs := flag.NewFlagSet("admin token", flag.ContinueOnError)
	email := fs.String("email", "", "the user the token acts as")
	orgName := fs.String("org", "", "organization (needed when the user belongs to several)")
	name := fs.String("name", "", "a label for the token")
	st, done, err := e.adminCommand(fs, args, "email")
	if err != nil {
		return err
	}
	defer done()
	u, err := st.UserByEmail(e.ctx, *email)
	if err != nil {
		return cliError(err)
	}
	// The API refuses every request from an account that still holds a
	// one-time password, its tokens' included: a token now would not work.
	if u.PasswordChangedAt == nil {
		return fmt.Errorf("%s still has a one-time password, and its tokens would be refused: sign in with it at %s, choose a new password, then run this again", u.Email, e.signInURL())
	}
	ms, err := st.Memberships(e.ctx, u.ID)
	if err != nil {
		return err
	}
	orgID := ""
	switch {
	case *orgName != "":
		org, err := st.OrganizationByName(e.ctx, *orgName)
		if err != nil {
			return cliError(err)
		}
		orgID = org.ID
	case len(ms) == 1:
		orgID = ms[0].OrganizationID
	case len(ms) == 0:
		return fmt.Errorf("%s belongs to no organization", u.Email)
	default:
		return usagef("%s belongs to %d organizations: say which with --org", u.Email, len(ms))
	}
	var secret string
	err = st.InTx(e.ctx, func(ctx context.Context) error {
		var (
			tok models.APIToken
			err error
		)
		if tok, secret, err = st.CreateAPIToken(ctx, orgID, u.ID, *name); err != nil {
			return err
		}
		return st.Audit(ctx, orgID, &u, store.AuditTokenCreated, "token", tok.ID, models.Bands{"name": tok.Name, "by": "chorus admin token"})
	})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "API token for %s (shown once; send it as \"Authorization: Bearer …\"):\n%s\n", u.Email, secret)
	return nil
}

// cliError words store errors for a person at a terminal.
// signInURL is where a person signs in, from CHORUS_BASE_URL (the default
// of serve's --base-url without it).
func (e *environment) signInURL() string {
	base := e.getenv("CHORUS_BASE_URL")
	if base == "" {
		base = "http://localhost:8080"
	}
	return strings.TrimRight(base, "/") + "/signin"
}

// settingOf names, for a field the store checks, the flag or variable it
// came from where the two names differ.
var settingOf = map[string]string{
	"time_zone": "--tz",
	"password":  "CHORUS_ADMIN_PASSWORD",
}

func cliError(err error) error {
	var inv *store.InvalidError
	switch {
	case errors.As(err, &inv):
		if name, ok := settingOf[inv.Field]; ok {
			return usagef("%s: %s", name, inv.Reason)
		}
		return usagef("--%s %s", strings.ReplaceAll(inv.Field, "_", "-"), inv.Reason)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w (check the spelling)", err)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("%w", err)
	}
	return err
}
