package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/api"
	"github.com/chorus-hr/chorus/frontend"
	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/testutil"
)

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// The admin commands set up an organization end to end, and what they
// print works: the kiosk token authenticates a kiosk, the API token a user.
func TestAdminCommands(t *testing.T) {
	for _, d := range testutil.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": testutil.NewDatabaseURL(t, d)}
			ctx := context.Background()
			ok := func(args ...string) string {
				t.Helper()
				r := runWith(ctx, env, args...)
				if r.code != 0 {
					t.Fatalf("chorus %v: exit %d: %s", args, r.code, r.stderr)
				}
				return lastLine(r.stdout)
			}
			if pw := ok("admin", "bootstrap", "--org", "River Program", "--email", "Lead@River.org"); len(pw) < 12 {
				t.Fatalf("generated password %q", pw)
			}
			env["CHORUS_ADMIN_PASSWORD"] = "a long enough password"
			if id := ok("admin", "user", "add", "--org", "River Program", "--email", "analyst@river.org", "--role", "policymaker"); len(id) != 36 {
				t.Fatalf("user id %q", id)
			}
			if id := ok("admin", "site", "add", "--org", "River Program", "--name", "River van", "--kind", "mobile", "--setting", "rural", "--tz", "America/Chicago"); len(id) != 36 {
				t.Fatalf("site id %q", id)
			}
			kioskToken := ok("admin", "kiosk", "add", "--org", "River Program", "--site", "River van")
			apiToken := ok("admin", "token", "--email", "analyst@river.org", "--name", "report script")

			db, err := database.Open(ctx, env["DATABASE_URL"], testutil.Logger())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			h, err := api.New(api.Deps{Config: &config.Config{BaseURL: "http://localhost"}, DB: db, Log: testutil.Logger(), Metrics: metrics.New(), Frontend: frontend.Dist()})
			if err != nil {
				t.Fatal(err)
			}
			get := func(path, token string) *httptest.ResponseRecorder {
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			if r := get("/api/v1/kiosk/me", kioskToken); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "River van") {
				t.Errorf("kiosk token: %d %s", r.Code, r.Body.String())
			}
			if r := get("/api/v1/me", apiToken); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `"role":"policymaker"`) {
				t.Errorf("api token: %d %s", r.Code, r.Body.String())
			}

			for _, bad := range [][]string{
				{"admin", "site", "add", "--org", "River Program", "--name", "Boat", "--kind", "boat", "--setting", "rural", "--tz", "UTC"},
				{"admin", "site", "add", "--org", "River Program", "--name", "Boat"},
				{"admin", "user", "add", "--org", "River Program", "--email", "x@river.org", "--role", "boss"},
				{"admin", "bootstrap", "--org", "No Email"},
				{"admin", "frobnicate"},
			} {
				if r := runWith(ctx, env, bad...); r.code != 2 || r.stderr == "" {
					t.Errorf("chorus %v: exit %d %q, want 2 with a message", bad, r.code, r.stderr)
				}
			}
			if r := runWith(ctx, env, "admin", "kiosk", "add", "--org", "Nobody", "--site", "River van"); r.code != 1 || !strings.Contains(r.stderr, "not found") {
				t.Errorf("unknown org: %+v", r)
			}
			// The first admin still holds the printed one-time password, which
			// the API refuses until it is changed: no token that would not work.
			r := runWith(ctx, env, "admin", "token", "--email", "lead@river.org")
			if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "one-time password") || !strings.Contains(r.stderr, "http://localhost:8080/signin") {
				t.Errorf("token for a one-time password: %+v", r)
			}
		})
	}
}
