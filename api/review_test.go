package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A code issued before a kiosk was turned off must not bring it back.
func TestRevokingKioskCancelsPendingCodes(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Stolen Tablet Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		r := s.as(admin, "POST", "/api/v1/kiosks/"+o.Kiosk.ID+"/enrollment", map[string]any{})
		wantStatus(t, r, http.StatusCreated)
		var code struct{ Code string }
		_ = json.Unmarshal(r.Body.Bytes(), &code)
		// A newer code cancels it...
		r = s.as(admin, "POST", "/api/v1/kiosks/"+o.Kiosk.ID+"/enrollment", map[string]any{})
		wantStatus(t, r, http.StatusCreated)
		var newer struct{ Code string }
		_ = json.Unmarshal(r.Body.Bytes(), &newer)
		wantStatus(t, s.do("POST", "/api/v1/kiosk/enroll", map[string]string{"code": code.Code}), http.StatusBadRequest)
		// ... and turning the kiosk off cancels that one too.
		wantStatus(t, s.as(admin, "POST", "/api/v1/kiosks/"+o.Kiosk.ID+"/revoke", map[string]any{}), http.StatusOK)
		wantStatus(t, s.do("POST", "/api/v1/kiosk/enroll", map[string]string{"code": newer.Code}), http.StatusBadRequest)
	})
}

func TestPasswordChangeRevokesAPITokens(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Rotate Program")
		_, token, err := s.store.CreateAPIToken(t.Context(), o.ID, o.Users[models.RoleStaff].ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.as(bearer("script", token), "GET", "/api/v1/me", nil), http.StatusOK)
		c := sessionFrom(t, signIn(s, "staff@rotate-program.test", testPassword))
		wantStatus(t, s.as(c, "POST", "/api/v1/me/password", map[string]string{"current_password": testPassword, "new_password": "another long passphrase"}), http.StatusNoContent)
		wantStatus(t, s.as(bearer("script", token), "GET", "/api/v1/me", nil), http.StatusUnauthorized)
	})
}

// Someone signed in with a one-time password must choose their own before
// doing anything else, whatever their client does.
func TestOneTimePasswordMustBeChanged(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	o := newOrg(t, s.store, "New Hire Program")
	m, _, err := s.store.CreateMember(t.Context(), o.ID, "new@hire.test", models.RoleAdmin, "one time password 123", true)
	if err != nil {
		t.Fatal(err)
	}
	c := sessionFrom(t, signIn(s, m.Email, "one time password 123"))
	r := s.as(c, "GET", "/api/v1/sites", nil)
	wantStatus(t, r, http.StatusForbidden)
	if r.errorBody(t).Code != "password_change_required" {
		t.Fatalf("body %s", r.Body.String())
	}
	wantStatus(t, s.as(c, "GET", "/api/v1/me", nil), http.StatusOK)
	wantStatus(t, s.as(c, "POST", "/api/v1/me/password", map[string]string{"current_password": "one time password 123", "new_password": "my own long passphrase"}), http.StatusNoContent)
	c = sessionFrom(t, signIn(s, m.Email, "my own long passphrase"))
	wantStatus(t, s.as(c, "GET", "/api/v1/sites", nil), http.StatusOK)
}

func TestMetricsRefusedThroughAProxy(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	r := s.doWith("GET", "/metrics", func(r *http.Request) {
		r.RemoteAddr = "127.0.0.1:5000"
		r.Header.Set("X-Forwarded-For", "203.0.113.9")
	})
	wantStatus(t, r, http.StatusForbidden)
}

func TestAPIAnswersAreNotCached(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	for _, path := range []string{"/api/v1/me", "/api/v1/nothing"} {
		if cc := s.do("GET", path, nil).Header().Get("Cache-Control"); path == "/api/v1/me" && cc != "no-store" {
			t.Errorf("%s Cache-Control %q", path, cc)
		}
	}
}

// Participants' requests leave no log line (a line's time would say when
// someone spoke); staff requests are logged without client details.
func TestParticipantRequestsAreNotLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	s := newTestServer(t, testutil.NewDB(t, database.SQLite), func(d *Deps) { d.Log = log })
	o := newOrg(t, s.store, "Quiet Logs Program")
	wantStatus(t, submit(s, o.KioskToken, "log-1", map[string]any{"language": "en", "needs": []string{"food"}}), http.StatusCreated)
	wantStatus(t, submit(s, o.KioskToken, "log-2", map[string]any{"language": "zz"}), http.StatusBadRequest)
	if strings.Contains(buf.String(), "kiosk") {
		t.Fatalf("participant requests were logged:\n%s", buf.String())
	}
	staff := session(t, s.db, s.store, o.Users[models.RoleStaff], o.ID)
	s.do("GET", "/api/v1/sites", nil, append(staff.headers, "User-Agent", "Mozilla/5.0 Secret", "X-Forwarded-For", "198.51.100.7")...)
	out := buf.String()
	if !strings.Contains(out, `"route":"/api/v1/sites"`) {
		t.Fatalf("staff request not logged:\n%s", out)
	}
	for _, leak := range []string{"Mozilla", "198.51.100.7", "192.0.2.1"} {
		if strings.Contains(out, leak) {
			t.Errorf("log holds %q:\n%s", leak, out)
		}
	}
}

// The stored request hash covers the scrubbed text, so two texts that
// differ only in what was removed count as the same request.
func TestIdempotencyHashIsOfScrubbedText(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	o := newOrg(t, s.store, "Hash Program")
	first := submit(s, o.KioskToken, "same", map[string]any{"language": "en", "text": "call 555-123-4567"})
	wantStatus(t, first, http.StatusCreated)
	second := submit(s, o.KioskToken, "same", map[string]any{"language": "en", "text": "call 555-987-6543"})
	wantStatus(t, second, http.StatusOK)
}
