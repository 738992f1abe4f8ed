package api

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// readCoderTable parses the coder permission's table in docs/permissions.md:
// "METHOD PATH" → {admin coder, staff coder}.
func readCoderTable(t *testing.T) map[string][2]bool {
	t.Helper()
	f, err := os.Open("../docs/permissions.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][2]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) != 4 {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if !strings.HasPrefix(cells[1], "/api/v1/research/") {
			continue
		}
		out[cells[0]+" "+cells[1]] = [2]bool{cells[2] == "yes", cells[3] == "yes"}
	}
	if len(out) == 0 {
		t.Fatal("permissions.md has no coder table")
	}
	return out
}

// TestCoderPermission calls every research route as an admin and a staff
// member who hold the coder permission and checks the answers against the
// coder table; routes the table leaves out must answer as in the matrix.
func TestCoderPermission(t *testing.T) {
	table, matrix := readCoderTable(t), readMatrix(t)
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Coder Program")
		for _, role := range []models.Role{models.RoleAdmin, models.RoleStaff} {
			if err := s.store.By(nil).SetCoder(context.Background(), o.ID, o.Users[role].ID, true); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range s.engine.Routes() {
			key := r.Method + " " + routePath(r.Path)
			if !strings.HasPrefix(routePath(r.Path), "/api/v1/research/") {
				continue
			}
			want, listed := table[key]
			if !listed {
				want = [2]bool{matrix[key]["admin"], matrix[key]["staff"]}
			}
			for i, role := range []models.Role{models.RoleAdmin, models.RoleStaff} {
				var body any
				if r.Method != http.MethodGet && r.Method != http.MethodDelete {
					body = map[string]any{}
				}
				got := s.as(session(t, db, s.store, o.Users[role], o.ID), r.Method, fillPath(routePath(r.Path), o), body)
				denied := got.Code == http.StatusUnauthorized || got.Code == http.StatusForbidden
				switch {
				case got.Code >= 500:
					t.Errorf("%s as %s coder: %d %s", key, role, got.Code, got.Body.String())
				case want[i] == denied:
					t.Errorf("%s as %s coder: %d, want allowed=%v; %s", key, role, got.Code, want[i], got.Body.String())
				}
			}
		}
	})
}
