package api

import (
	"bufio"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// callers in the order of the matrix's columns.
var matrixColumns = []string{"anonymous", "kiosk", "admin", "staff", "facilitator", "policymaker"}

// readMatrix parses docs/permissions.md: "METHOD PATH" → column → allowed.
func readMatrix(t *testing.T) map[string]map[string]bool {
	t.Helper()
	f, err := os.Open("../docs/permissions.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) != 2+len(matrixColumns) {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch cells[0] {
		case "GET", "POST", "PATCH", "PUT", "DELETE":
		default:
			continue
		}
		row := map[string]bool{}
		for i, col := range matrixColumns {
			switch cells[2+i] {
			case "yes":
				row[col] = true
			case "no":
				row[col] = false
			default:
				t.Fatalf("permissions.md: %s %s: %s is %q, want yes or no", cells[0], cells[1], col, cells[2+i])
			}
		}
		key := cells[0] + " " + cells[1]
		if _, dup := out[key]; dup {
			t.Fatalf("permissions.md lists %s twice", key)
		}
		out[key] = row
	}
	if len(out) == 0 {
		t.Fatal("permissions.md has no matrix rows")
	}
	return out
}

// TestPermissionMatrix calls every route of the router as every role, as a
// kiosk and as an anonymous caller, and checks the answer against
// docs/permissions.md. A route without a row fails the test.
func TestPermissionMatrix(t *testing.T) {
	matrix := readMatrix(t)
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		routes := s.engine.Routes()
		seen := map[string]bool{}
		for _, r := range routes {
			key := r.Method + " " + routePath(r.Path)
			seen[key] = true
			if _, ok := matrix[key]; !ok {
				t.Errorf("route %s has no row in docs/permissions.md", key)
			}
		}
		for key := range matrix {
			if !seen[key] {
				t.Errorf("docs/permissions.md lists %s, which the router does not have", key)
			}
		}

		o := newOrg(t, s.store, "Matrix Program")
		for _, col := range matrixColumns {
			for _, r := range routes {
				key := r.Method + " " + routePath(r.Path)
				want, ok := matrix[key]
				if !ok {
					continue
				}
				// A fresh session per call: sign-out and role changes must
				// not spoil the calls after them.
				c := callerFor(t, s, o, col)
				path := fillPath(routePath(r.Path), o)
				var body any
				if r.Method != http.MethodGet && r.Method != http.MethodDelete {
					body = map[string]any{}
				}
				got := s.as(c, r.Method, path, body)
				denied := got.Code == http.StatusUnauthorized || got.Code == http.StatusForbidden
				switch {
				case got.Code >= 500:
					t.Errorf("%s as %s: %d %s", key, col, got.Code, got.Body.String())
				case want[col] && denied:
					t.Errorf("%s as %s: %d, want allowed; %s", key, col, got.Code, got.Body.String())
				case !want[col] && !denied:
					t.Errorf("%s as %s: %d, want 401 or 403; %s", key, col, got.Code, got.Body.String())
				}
				if denied {
					got.errorBody(t)
				}
			}
		}
	})
}

// routePath drops the backslash Gin needs before a literal colon
// ("submissions\:batch"), giving the path a client sends.
func routePath(p string) string { return strings.ReplaceAll(p, `\`, "") }

func callerFor(t *testing.T, s *testServer, o *org, col string) caller {
	switch col {
	case "anonymous":
		return anonymous
	case "kiosk":
		return bearer("kiosk", o.KioskToken)
	}
	role := models.Role(col)
	return session(t, s.db, s.store, o.Users[role], o.ID)
}

// fillPath puts real identifiers into a route pattern. /users/:id names a
// spare member, so a role change or removal there locks out no caller.
func fillPath(pattern string, o *org) string {
	id := "00000000-0000-4000-8000-000000000000"
	switch {
	case strings.HasPrefix(pattern, "/api/v1/sites/"):
		id = o.Site.ID
	case strings.HasPrefix(pattern, "/api/v1/kiosks/"):
		id = o.Spare.ID
	case strings.HasPrefix(pattern, "/api/v1/users/"):
		id = o.SpareUser.ID
	}
	return strings.ReplaceAll(pattern, ":id", id)
}

// No endpoint returns another organization's data: a foreign identifier
// answers 404, the same as one that does not exist.
func TestCrossOrganizationIs404(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		a := newOrg(t, s.store, "Program A")
		b := newOrg(t, s.store, "Program B")
		adminB := session(t, db, s.store, b.Users[models.RoleAdmin], b.ID)
		for _, req := range []struct{ method, path string }{
			{"GET", "/api/v1/sites/" + a.Site.ID},
			{"PATCH", "/api/v1/sites/" + a.Site.ID},
			{"POST", "/api/v1/kiosks/" + a.Spare.ID + "/enrollment"},
			{"POST", "/api/v1/kiosks/" + a.Kiosk.ID + "/revoke"},
			{"PATCH", "/api/v1/users/" + a.Users[models.RoleStaff].ID},
			{"DELETE", "/api/v1/users/" + a.Users[models.RoleStaff].ID},
		} {
			var body any
			switch {
			case req.method == "PATCH" && strings.Contains(req.path, "/users/"):
				body = map[string]any{"role": "admin"}
			case req.method == "PATCH":
				body = map[string]any{"name": "Taken", "kind": "fixed", "setting": "urban", "time_zone": "UTC"}
			case req.method == "POST":
				body = map[string]any{}
			}
			r := s.as(adminB, req.method, req.path, body)
			if r.Code != http.StatusNotFound {
				t.Errorf("%s %s as another organization's admin: %d %s, want 404", req.method, req.path, r.Code, r.Body.String())
			}
		}
		// Lists show only the caller's own rows.
		r := s.as(adminB, "GET", "/api/v1/sites", nil)
		if strings.Contains(r.Body.String(), a.Site.ID) {
			t.Errorf("site list leaks another organization's site: %s", r.Body.String())
		}
		r = s.as(adminB, "GET", "/api/v1/users", nil)
		if strings.Contains(r.Body.String(), a.Users[models.RoleStaff].Email) {
			t.Errorf("user list leaks another organization's user")
		}
		// And A's kiosk still works: B's attempt to revoke it did nothing.
		wantStatus(t, s.as(bearer("kiosk A", a.KioskToken), "GET", "/api/v1/kiosk/me", nil), http.StatusOK)
	})
}
