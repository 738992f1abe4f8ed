package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// kioskCacheFixture is two "processes" on one PostgreSQL database: each a
// store with its own cache and listener, as two chorus serve would have.
type kioskCacheFixture struct {
	db         *database.DB
	stmts      *testutil.Statements
	one, two   *store.Store
	cacheOne   *store.KioskCache
	org        models.Organization
	site       models.Site
	kioskID    string
	secret     string
	otherToken string
}

func newKioskCacheFixture(t *testing.T) *kioskCacheFixture {
	t.Helper()
	ctx := context.Background()
	db := testutil.NewDB(t, database.Postgres)
	f := &kioskCacheFixture{db: db, stmts: testutil.NewStatements()}
	counted := &database.DB{DB: db.Session(&gorm.Session{Logger: f.stmts}), Dialect: db.Dialect, Source: db.Source}
	f.one, f.two = store.New(counted), store.New(db)
	var err error
	f.cacheOne, err = store.NewKioskCache(ctx, db.Source, db.SQL(), testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.cacheOne.Close() })
	cacheTwo, err := store.NewKioskCache(ctx, db.Source, db.SQL(), testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cacheTwo.Close() })
	f.one.UseKioskCache(f.cacheOne)
	f.two.UseKioskCache(cacheTwo)

	if f.org, err = f.two.CreateOrganization(ctx, "Cache Program"); err != nil {
		t.Fatal(err)
	}
	if f.site, err = f.two.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Storefront", Kind: models.SiteFixed, Setting: models.SiteUrban, TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	k, secret, err := f.two.ProvisionKiosk(ctx, f.org.ID, f.site.ID, "Front desk")
	if err != nil {
		t.Fatal(err)
	}
	f.kioskID, f.secret = k.ID, secret
	if _, f.otherToken, err = f.two.ProvisionKiosk(ctx, f.org.ID, f.site.ID, "Back room"); err != nil {
		t.Fatal(err)
	}
	return f
}

// queries says how many statements process one ran for an authentication.
func (f *kioskCacheFixture) queries(t *testing.T, st *store.Store, secret string) (int, error) {
	t.Helper()
	f.stmts.Reset()
	_, err := st.KioskByToken(context.Background(), secret)
	return len(f.stmts.All()), err
}

// within waits until cond holds, for at most two seconds.
func within(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A kept authentication saves the query, and a revocation made by another
// process reaches this one at its commit: the next request is refused.
func TestKioskCacheForgetsAtAnotherProcessesRevocation(t *testing.T) {
	f := newKioskCacheFixture(t)
	ctx := context.Background()
	if n, err := f.queries(t, f.one, f.secret); err != nil || n != 1 {
		t.Fatalf("first authentication: %d queries, %v", n, err)
	}
	// The set-up's own changes may still be on their way (their
	// notifications empty the cache once more when they arrive).
	f.eventuallyKept(t, f.secret)
	if n, _ := f.queries(t, f.one, "kiosk_unknown"); n != 1 {
		t.Fatalf("unknown token: %d queries", n)
	}
	if n, _ := f.queries(t, f.one, "kiosk_unknown"); n != 1 {
		t.Fatalf("unknown token again: %d queries; an unknown token must never be kept", n)
	}
	if _, err := f.two.RevokeKiosk(ctx, f.org.ID, f.kioskID); err != nil {
		t.Fatal(err)
	}
	within(t, "a kiosk revoked by the other process is still accepted", func() bool {
		_, err := f.one.KioskByToken(ctx, f.secret)
		return errors.Is(err, store.ErrCredentials)
	})
	// The other kiosk is read again once, then kept again.
	if n, err := f.queries(t, f.one, f.otherToken); err != nil || n != 1 {
		t.Fatalf("other kiosk after the change: %d queries, %v", n, err)
	}
	f.eventuallyKept(t, f.otherToken)
}

// eventuallyKept waits until an authentication of secret needs no query.
func (f *kioskCacheFixture) eventuallyKept(t *testing.T, secret string) {
	t.Helper()
	within(t, "never kept", func() bool {
		n, err := f.queries(t, f.one, secret)
		if err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
}

// This process's own revocation counts at once, without waiting for its
// notification.
func TestKioskCacheForgetsAtOnceOnItsOwnRevocation(t *testing.T) {
	f := newKioskCacheFixture(t)
	ctx := context.Background()
	for range 2 {
		if _, err := f.one.KioskByToken(ctx, f.secret); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.one.RevokeKiosk(ctx, f.org.ID, f.kioskID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.one.KioskByToken(ctx, f.secret); !errors.Is(err, store.ErrCredentials) {
		t.Fatalf("own revocation: %v", err)
	}
}

// What a submission reads with the kiosk (urgent words, the site) follows
// a change made by another process.
func TestKioskCacheFollowsOrganizationAndSiteChanges(t *testing.T) {
	f := newKioskCacheFixture(t)
	ctx := context.Background()
	if _, err := f.one.KioskByToken(ctx, f.secret); err != nil {
		t.Fatal(err)
	}
	words := []string{"overdose now"}
	if _, err := f.two.UpdateOrganization(ctx, f.org.ID, store.OrganizationSettings{UrgentWords: &words}); err != nil {
		t.Fatal(err)
	}
	within(t, "new urgent words not seen", func() bool {
		ka, err := f.one.KioskByToken(ctx, f.secret)
		return err == nil && slices.Contains(ka.UrgentWords, "overdose now")
	})
	if _, err := f.two.UpdateSite(ctx, f.org.ID, f.site.ID, store.SiteInput{Name: "Storefront East", Kind: models.SiteFixed, Setting: models.SiteUrban, TimeZone: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
	within(t, "the site's new time zone not seen", func() bool {
		ka, err := f.one.KioskByToken(ctx, f.secret)
		return err == nil && ka.Site.TimeZone == "America/Chicago"
	})
}

// While the listener has no connection nothing is kept (a notification
// could be missed), so a revocation in that time counts at once; kept
// authentications come back once it listens again.
func TestKioskCacheKeepsNothingWithoutItsListener(t *testing.T) {
	f := newKioskCacheFixture(t)
	ctx := context.Background()
	if _, err := f.one.KioskByToken(ctx, f.secret); err != nil {
		t.Fatal(err)
	}
	channel, err := store.KioskAuthChannel(ctx, f.db.SQL())
	if err != nil {
		t.Fatal(err)
	}
	// Cut both processes' listeners (they reconnect within a few hundred
	// milliseconds).
	kill := func() int {
		var n int
		rows, err := f.db.SQL().QueryContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, `LISTEN "`+channel+`"`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			n++
		}
		return n
	}
	if n := kill(); n != 2 {
		t.Fatalf("terminated %d listeners, want 2", n)
	}
	// Once the listener has noticed, nothing is kept.
	within(t, "still kept after the listener lost its connection", func() bool {
		n, err := f.queries(t, f.one, f.secret)
		return err == nil && n == 1
	})
	if n, err := f.queries(t, f.one, f.secret); n != 1 || err != nil {
		// It may have reconnected already; then it keeps again.
		t.Logf("listener back already: %d queries, %v", n, err)
	}
	// Back: kept again.
	f.eventuallyKept(t, f.secret)
	if _, err := f.two.RevokeKiosk(ctx, f.org.ID, f.kioskID); err != nil {
		t.Fatal(err)
	}
	within(t, "revocation not heard after the listener came back", func() bool {
		_, err := f.one.KioskByToken(ctx, f.secret)
		return errors.Is(err, store.ErrCredentials)
	})
}
