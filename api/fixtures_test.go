package api

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const testPassword = "correct horse battery staple"

// org is a test organization with a site, a kiosk and one user per role.
type org struct {
	ID         string
	Site       models.Site
	Kiosk      models.Kiosk // enrolled; KioskToken is its device token
	KioskToken string
	Spare      models.Kiosk // not enrolled
	Users      map[models.Role]models.User
	SpareUser  models.User // a staff member that tests may change or remove
}

// newOrg builds an organization through the store. Users get a password
// (testPassword) so sign-in can be tested, but the matrix uses sessions
// made directly, to skip argon2id on every call.
func newOrg(t *testing.T, st *store.Store, name string) *org {
	t.Helper()
	ctx := context.Background()
	o, err := st.CreateOrganization(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.CreateSite(ctx, o.ID, store.SiteInput{Name: "Storefront", Kind: "fixed", Setting: "urban", TimeZone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	k, token, err := st.ProvisionKiosk(ctx, o.ID, site.ID, "Front desk")
	if err != nil {
		t.Fatal(err)
	}
	spare, _, err := st.CreateKiosk(ctx, o.ID, site.ID, "Spare tablet", "")
	if err != nil {
		t.Fatal(err)
	}
	out := &org{ID: o.ID, Site: site, Kiosk: k, KioskToken: token, Spare: spare, Users: map[models.Role]models.User{}}
	for _, role := range models.Roles {
		m, _, err := st.CreateMember(ctx, o.ID, string(role)+"@"+o.Slug+".test", role, testPassword, false)
		if err != nil {
			t.Fatal(err)
		}
		out.Users[role] = m.User
	}
	spareUser, _, err := st.CreateMember(ctx, o.ID, "spare@"+o.Slug+".test", models.RoleStaff, testPassword, false)
	if err != nil {
		t.Fatal(err)
	}
	out.SpareUser = spareUser.User
	return out
}

// caller is how a test request authenticates.
type caller struct {
	name    string
	headers []string
}

var anonymous = caller{name: "anonymous"}

// session opens a session for u directly in the database and returns a
// caller that sends its cookie, the same-origin headers a browser sends,
// and the CSRF token.
func session(t *testing.T, db *database.DB, st *store.Store, u models.User, orgID string) caller {
	t.Helper()
	secret, hash := auth.NewSecret("")
	csrf, _ := auth.NewSecret("")
	now := st.Now()
	if err := db.Create(&models.StaffSession{TokenHash: hash, UserID: u.ID, OrganizationID: orgID, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now}).Error; err != nil {
		t.Fatal(err)
	}
	return caller{name: u.Email, headers: []string{
		"Cookie", auth.SessionCookieName + "=" + secret,
		"Sec-Fetch-Site", "same-origin",
		"Origin", "http://chorus.test",
		CSRFHeader, csrf,
	}}
}

func bearer(name, token string) caller {
	return caller{name: name, headers: []string{"Authorization", "Bearer " + token}}
}

func (s *testServer) as(c caller, method, path string, body any) response {
	s.t.Helper()
	return s.do(method, path, body, c.headers...)
}

func storeFilter(action string) store.AuditFilter { return store.AuditFilter{Action: action} }
