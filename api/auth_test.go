package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func signIn(s *testServer, email, password string) response {
	s.t.Helper()
	return s.do("POST", "/api/v1/auth/signin", map[string]string{"email": email, "password": password})
}

// sessionFrom turns a sign-in response into a browser-like caller.
func sessionFrom(t *testing.T, r response) caller {
	t.Helper()
	var me MeResponse
	if err := json.Unmarshal(r.Body.Bytes(), &me); err != nil || me.CSRFToken == "" {
		t.Fatalf("sign-in body %s", r.Body.String())
	}
	var cookie *http.Cookie
	for _, c := range r.Result().Cookies() {
		if c.Name == auth.SessionCookieName {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v", cookie)
	}
	return caller{name: me.User.Email, headers: []string{
		"Cookie", cookie.Name + "=" + cookie.Value, "Sec-Fetch-Site", "same-origin", CSRFHeader, me.CSRFToken,
	}}
}

func TestSignInAndOut(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Sign In Program")
		r := signIn(s, "ADMIN@sign-in-program.test ", testPassword)
		wantStatus(t, r, http.StatusOK)
		c := sessionFrom(t, r)
		wantStatus(t, s.as(c, "GET", "/api/v1/me", nil), http.StatusOK)
		wantStatus(t, s.as(c, "POST", "/api/v1/auth/signout", map[string]any{}), http.StatusNoContent)
		wantStatus(t, s.as(c, "GET", "/api/v1/me", nil), http.StatusUnauthorized)

		events, err := s.store.AuditEvents(t.Context(), o.ID, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); !strings.Contains(got, store.AuditSignIn) || !strings.Contains(got, store.AuditSignOut) {
			t.Errorf("audit actions %s", got)
		}
	})
}

// Unknown accounts and wrong passwords get the same answer.
func TestSignInDoesNotRevealAccounts(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	newOrg(t, s.store, "Quiet Program")
	wrong := signIn(s, "admin@quiet-program.test", "not the password at all")
	unknown := signIn(s, "nobody@quiet-program.test", "not the password at all")
	if wrong.Code != http.StatusUnauthorized || unknown.Code != wrong.Code || wrong.Body.String() != unknown.Body.String() {
		t.Fatalf("wrong password %d %s; unknown account %d %s", wrong.Code, wrong.Body.String(), unknown.Code, unknown.Body.String())
	}
}

// Wrong passwords are first slowed (each failure past the free ones locks
// the account for longer) and then refused outright while locked, even
// with the right password.
func TestWrongPasswordsAreSlowedThenRefused(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		newOrg(t, s.store, "Locked Program")
		email := "staff@locked-program.test"
		for i := 0; i < 3; i++ {
			wantStatus(t, signIn(s, email, "wrong password "+string(rune('a'+i))), http.StatusUnauthorized)
		}
		// The fourth failure locks the account for 1 s, the fifth for 2 s...
		wantStatus(t, signIn(s, email, "wrong password d"), http.StatusUnauthorized)
		r := signIn(s, email, testPassword)
		wantStatus(t, r, http.StatusTooManyRequests)
		if r.Header().Get("Retry-After") != "1" || r.errorBody(t).Code != CodeRateLimited {
			t.Fatalf("locked answer %v %s", r.Header(), r.Body.String())
		}
		s.clock.Advance(time.Second)
		wantStatus(t, signIn(s, email, "wrong password e"), http.StatusUnauthorized)
		r = signIn(s, email, testPassword)
		wantStatus(t, r, http.StatusTooManyRequests)
		if got := r.Header().Get("Retry-After"); got != "2" {
			t.Fatalf("second lock Retry-After %q, want 2", got)
		}
		s.clock.Advance(2 * time.Second)
		wantStatus(t, signIn(s, email, testPassword), http.StatusOK)
		// Success clears the account's failures.
		wantStatus(t, signIn(s, email, "wrong again"), http.StatusUnauthorized)
		wantStatus(t, signIn(s, email, testPassword), http.StatusOK)
	})
}

// One client guessing across many accounts is locked out too.
func TestSignInBacksOffPerClient(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	for i := 0; i < 10; i++ {
		wantStatus(t, signIn(s, "user"+string(rune('a'+i))+"@example.org", "guess guess guess"), http.StatusUnauthorized)
	}
	wantStatus(t, signIn(s, "another@example.org", "guess guess guess"), http.StatusUnauthorized)
	wantStatus(t, signIn(s, "yet-another@example.org", "guess guess guess"), http.StatusTooManyRequests)
}

func TestRevokedTokenStopsAtOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Token Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		r := s.as(staff, "POST", "/api/v1/tokens", map[string]string{"name": "analysis script"})
		wantStatus(t, r, http.StatusCreated)
		var created TokenCreated
		if err := json.Unmarshal(r.Body.Bytes(), &created); err != nil || !strings.HasPrefix(created.Token, auth.APITokenPrefix) {
			t.Fatalf("created %s", r.Body.String())
		}
		script := bearer("script", created.Token)
		r = s.as(script, "GET", "/api/v1/me", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"role":"staff"`) {
			t.Errorf("token does not carry the user's role: %s", r.Body.String())
		}
		// Tokens need no CSRF header: they are not ambient credentials.
		wantStatus(t, s.as(script, "POST", "/api/v1/tokens", map[string]string{"name": "second"}), http.StatusCreated)

		wantStatus(t, s.as(staff, "DELETE", "/api/v1/tokens/"+created.ID, nil), http.StatusNoContent)
		r = s.as(script, "GET", "/api/v1/me", nil)
		wantStatus(t, r, http.StatusUnauthorized)
		r.errorBody(t)

		// The hash is stored, never the token.
		var stored models.APIToken
		if err := db.Where("id = ?", created.ID).First(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(stored.TokenHash), created.Token) || len(stored.TokenHash) != 32 {
			t.Errorf("token stored as %x", stored.TokenHash)
		}
	})
}

// On PostgreSQL the server keeps kiosk authentications (as chorus serve
// does); a revocation still stops the very next request.
func TestRevokedKioskStopsAtOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db, withKioskCache(t, db))
		o := newOrg(t, s.store, "Kiosk Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		k := bearer("kiosk", o.KioskToken)
		wantStatus(t, s.as(k, "GET", "/api/v1/kiosk/me", nil), http.StatusOK)
		wantStatus(t, s.as(k, "GET", "/api/v1/kiosk/me", nil), http.StatusOK)
		wantStatus(t, s.as(admin, "POST", "/api/v1/kiosks/"+o.Kiosk.ID+"/revoke", map[string]any{}), http.StatusOK)
		wantStatus(t, s.as(k, "GET", "/api/v1/kiosk/me", nil), http.StatusUnauthorized)
	})
}

// withKioskCache gives the server a kiosk cache on PostgreSQL, as
// server.New does.
func withKioskCache(t testing.TB, db *database.DB) func(*Deps) {
	return func(d *Deps) {
		if db.Dialect != database.Postgres {
			return
		}
		c, err := store.NewKioskCache(context.Background(), db.Source, db.SQL(), testutil.Logger())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		d.KioskCache = c
	}
}

func TestKioskEnrollment(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Enroll Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		r := s.as(admin, "POST", "/api/v1/kiosks", map[string]string{"site_id": o.Site.ID, "name": "Van tablet"})
		wantStatus(t, r, http.StatusCreated)
		var created KioskCreated
		if err := json.Unmarshal(r.Body.Bytes(), &created); err != nil || len(created.Enrollment.Code) != store.EnrollmentCodeLength {
			t.Fatalf("created %s", r.Body.String())
		}
		if got := created.Enrollment.ExpiresAt.Sub(s.clock.Now()); got != 15*time.Minute {
			t.Errorf("code valid for %s, want 15m", got)
		}
		// Typed in lower case with a dash, as people do.
		typed := strings.ToLower(created.Enrollment.Code[:4] + "-" + created.Enrollment.Code[4:])
		r = s.do("POST", "/api/v1/kiosk/enroll", map[string]string{"code": typed})
		wantStatus(t, r, http.StatusCreated)
		var enrolled EnrollResponse
		if err := json.Unmarshal(r.Body.Bytes(), &enrolled); err != nil || !strings.HasPrefix(enrolled.Token, auth.KioskTokenPrefix) ||
			enrolled.Site.ID != o.Site.ID || enrolled.Kiosk.ID != created.Kiosk.ID {
			t.Fatalf("enrolled %s", r.Body.String())
		}
		wantStatus(t, s.as(bearer("tablet", enrolled.Token), "GET", "/api/v1/kiosk/me", nil), http.StatusOK)

		// A code works once.
		r = s.do("POST", "/api/v1/kiosk/enroll", map[string]string{"code": created.Enrollment.Code})
		wantStatus(t, r, http.StatusBadRequest)
		if r.errorBody(t).Fields["code"] == "" {
			t.Errorf("reused code: %s", r.Body.String())
		}

		// A new code, once used, replaces the old device token.
		r = s.as(admin, "POST", "/api/v1/kiosks/"+created.Kiosk.ID+"/enrollment", map[string]any{})
		wantStatus(t, r, http.StatusCreated)
		var again store.Enrollment
		_ = json.Unmarshal(r.Body.Bytes(), &again)

		// ... but not after 15 minutes.
		s.clock.Advance(15*time.Minute + time.Second)
		wantStatus(t, s.do("POST", "/api/v1/kiosk/enroll", map[string]string{"code": again.Code}), http.StatusBadRequest)
	})
}

func TestCSRF(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "CSRF Program")
		good := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		site := map[string]string{"name": "Van", "kind": "mobile", "setting": "rural", "time_zone": "America/Chicago"}

		without := caller{headers: withoutHeader(good.headers, CSRFHeader)}
		r := s.as(without, "POST", "/api/v1/sites", site)
		wantStatus(t, r, http.StatusForbidden)
		if r.errorBody(t).Code != "csrf" {
			t.Errorf("missing token: %s", r.Body.String())
		}
		wrong := caller{headers: append(withoutHeader(good.headers, CSRFHeader), CSRFHeader, "forged")}
		wantStatus(t, s.as(wrong, "POST", "/api/v1/sites", site), http.StatusForbidden)

		crossSite := caller{headers: append(withoutHeader(withoutHeader(good.headers, "Sec-Fetch-Site"), "Origin"),
			"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")}
		wantStatus(t, s.as(crossSite, "POST", "/api/v1/sites", site), http.StatusForbidden)
		// Older browsers without Fetch Metadata: the Origin decides.
		foreign := caller{headers: append(withoutHeader(withoutHeader(good.headers, "Sec-Fetch-Site"), "Origin"), "Origin", "https://evil.example")}
		wantStatus(t, s.as(foreign, "POST", "/api/v1/sites", site), http.StatusForbidden)

		var n int64
		db.Model(&models.Site{}).Where("organization_id = ?", o.ID).Count(&n)
		if n != 1 {
			t.Fatalf("%d sites after refused requests, want 1", n)
		}
		wantStatus(t, s.as(good, "POST", "/api/v1/sites", site), http.StatusCreated)
		// Reads need no token.
		wantStatus(t, s.as(without, "GET", "/api/v1/sites", nil), http.StatusOK)
	})
}

func withoutHeader(headers []string, name string) []string {
	var out []string
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] != name {
			out = append(out, headers[i], headers[i+1])
		}
	}
	return out
}

func TestPasswordChangeEndsEverySession(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		newOrg(t, s.store, "Password Program")
		email := "staff@password-program.test"
		first := sessionFrom(t, signIn(s, email, testPassword))
		second := sessionFrom(t, signIn(s, email, testPassword))
		r := s.as(first, "POST", "/api/v1/me/password", map[string]string{"current_password": "not it at all", "new_password": "a brand new passphrase"})
		wantStatus(t, r, http.StatusBadRequest)
		wantStatus(t, s.as(first, "POST", "/api/v1/me/password",
			map[string]string{"current_password": testPassword, "new_password": "a brand new passphrase"}), http.StatusNoContent)
		wantStatus(t, s.as(first, "GET", "/api/v1/me", nil), http.StatusUnauthorized)
		wantStatus(t, s.as(second, "GET", "/api/v1/me", nil), http.StatusUnauthorized)
		wantStatus(t, signIn(s, email, testPassword), http.StatusUnauthorized)
		wantStatus(t, signIn(s, email, "a brand new passphrase"), http.StatusOK)
	})
}

func TestSessionTimeouts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		newOrg(t, s.store, "Timeout Program")
		c := sessionFrom(t, signIn(s, "staff@timeout-program.test", testPassword))
		// Used every 20 minutes, the session lives until the absolute limit.
		for elapsed := time.Duration(0); elapsed < store.SessionAbsoluteTimeout-20*time.Minute; elapsed += 20 * time.Minute {
			s.clock.Advance(20 * time.Minute)
			wantStatus(t, s.as(c, "GET", "/api/v1/me", nil), http.StatusOK)
		}
		s.clock.Advance(20 * time.Minute)
		wantStatus(t, s.as(c, "GET", "/api/v1/me", nil), http.StatusUnauthorized)

		idle := sessionFrom(t, signIn(s, "staff@timeout-program.test", testPassword))
		s.clock.Advance(store.SessionIdleTimeout + time.Second)
		wantStatus(t, s.as(idle, "GET", "/api/v1/me", nil), http.StatusUnauthorized)
	})
}

// A role change applies at once: the member's sessions end.
func TestRoleChangeEndsSessions(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Role Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		r := s.as(admin, "PATCH", "/api/v1/users/"+o.Users[models.RoleStaff].ID, map[string]string{"role": "policymaker"})
		wantStatus(t, r, http.StatusOK)
		wantStatus(t, s.as(staff, "GET", "/api/v1/me", nil), http.StatusUnauthorized)
		// The last admin cannot step down.
		r = s.as(admin, "PATCH", "/api/v1/users/"+o.Users[models.RoleAdmin].ID, map[string]string{"role": "staff"})
		wantStatus(t, r, http.StatusBadRequest)

		events, _ := s.store.AuditEvents(t.Context(), o.ID, store.AuditFilter{Action: store.AuditRoleChanged})
		if len(events) != 1 || events[0].Detail["from"] != "staff" || events[0].Detail["to"] != "policymaker" || events[0].ActorEmail != o.Users[models.RoleAdmin].Email {
			t.Fatalf("audit %+v", events)
		}
		r = s.as(admin, "GET", "/api/v1/audit?action="+store.AuditRoleChanged, nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"to":"policymaker"`) {
			t.Errorf("audit API %s", r.Body.String())
		}
	})
}

func TestAddUserGivesOneTimePassword(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Hiring Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		r := s.as(admin, "POST", "/api/v1/users", map[string]string{"email": "New.Peer@Example.org", "role": "facilitator"})
		wantStatus(t, r, http.StatusCreated)
		var added UserAdded
		if err := json.Unmarshal(r.Body.Bytes(), &added); err != nil || added.OneTimePassword == "" || added.User.Email != "new.peer@example.org" {
			t.Fatalf("added %s", r.Body.String())
		}
		me := signIn(s, "new.peer@example.org", added.OneTimePassword)
		wantStatus(t, me, http.StatusOK)
		if !strings.Contains(me.Body.String(), `"must_change_password":true`) || !strings.Contains(me.Body.String(), `"role":"facilitator"`) {
			t.Errorf("first sign-in %s", me.Body.String())
		}
		wantStatus(t, s.as(admin, "POST", "/api/v1/users", map[string]string{"email": "new.peer@example.org", "role": "staff"}), http.StatusConflict)
		wantStatus(t, s.as(admin, "POST", "/api/v1/users", map[string]string{"email": "not-an-address", "role": "staff"}), http.StatusBadRequest)
	})
}
