package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// deafCache is a KioskCache that hears no notifications: what it forgets,
// it forgets by this process's own calls alone.
func deafCache(listening bool) *KioskCache {
	return &KioskCache{listening: listening, entries: map[[32]byte]kioskCached{}, now: time.Now}
}

func cachedKiosk(t *testing.T, c *KioskCache) (*Store, models.Organization, string, string) {
	t.Helper()
	ctx := context.Background()
	st := New(testutil.NewDB(t, testutil.Dialects(t)[0]))
	st.UseKioskCache(c)
	org, err := st.CreateOrganization(ctx, "Deaf Program")
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.CreateSite(ctx, org.ID, SiteInput{Name: "Van", Kind: models.SiteMobile, Setting: models.SiteRural, TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	k, secret, err := st.ProvisionKiosk(ctx, org.ID, site.ID, "Tablet")
	if err != nil {
		t.Fatal(err)
	}
	return st, org, k.ID, secret
}

// This process's own revocation and re-enrolment count at once, before any
// notification could arrive.
func TestKioskCacheOwnChangesNeedNoNotification(t *testing.T) {
	ctx := context.Background()
	c := deafCache(true)
	st, org, id, secret := cachedKiosk(t, c)
	if _, err := st.KioskByToken(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if len(c.entries) != 1 {
		t.Fatalf("%d entries kept, want 1", len(c.entries))
	}
	// A new set-up code, used: the earlier token stops.
	en, err := st.NewEnrollment(ctx, org.ID, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Enroll(ctx, en.Code); err != nil {
		t.Fatal(err)
	}
	if _, err := st.KioskByToken(ctx, secret); !errors.Is(err, ErrCredentials) {
		t.Fatalf("earlier token after re-enrolment: %v", err)
	}
	_, secret, err = st.ProvisionKiosk(ctx, org.ID, mustSiteOf(t, st, org.ID, id), "Second tablet")
	if err != nil {
		t.Fatal(err)
	}
	ka, err := st.KioskByToken(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RevokeKiosk(ctx, org.ID, ka.Kiosk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.KioskByToken(ctx, secret); !errors.Is(err, ErrCredentials) {
		t.Fatalf("own revocation: %v", err)
	}
}

func mustSiteOf(t *testing.T, st *Store, orgID, kioskID string) string {
	t.Helper()
	k, err := st.Kiosk(context.Background(), orgID, kioskID)
	if err != nil {
		t.Fatal(err)
	}
	return k.SiteID
}

// Without its listener a cache keeps nothing, and an authentication read
// before a change is not kept after it.
func TestKioskCacheKeepsNothingItCouldMissAChangeTo(t *testing.T) {
	ctx := context.Background()
	c := deafCache(false)
	st, _, _, secret := cachedKiosk(t, c)
	for range 3 {
		if _, err := st.KioskByToken(ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.entries) != 0 {
		t.Fatalf("%d entries kept without a listener", len(c.entries))
	}
	c.forget(true)
	ka, gen, ok := c.get([]byte("0123456789abcdef0123456789abcdef"))
	if ok {
		t.Fatal("an empty cache found an entry")
	}
	c.changed() // a change heard while the row was being read
	c.put(gen, []byte("0123456789abcdef0123456789abcdef"), ka)
	if len(c.entries) != 0 {
		t.Fatal("a row read before a change was kept after it")
	}
}
