package api

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// The codebook page reads what changed between two versions: a code
// renamed with a new definition and colour, a code added, and a theme
// removed (its subcodes move up: their parent changed), each its own
// version; read forwards, backwards and by default the latest change.
func TestCodebookDiffBetweenVersions(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		base := "/api/v1/research/codebooks/" + rt.codebookID
		var theme store.CodeView
		var children []string
		for _, c := range rt.codes {
			if c.ParentID == nil && theme.ID == "" && slices.ContainsFunc(rt.codes, func(x store.CodeView) bool { return x.ParentID != nil && *x.ParentID == c.ID }) {
				theme = c
			}
		}
		var edited store.CodeView
		for _, c := range rt.codes {
			switch {
			case c.ParentID != nil && *c.ParentID == theme.ID:
				children = append(children, c.ID)
			case c.ParentID != nil && edited.ID == "":
				edited = c
			}
		}
		if theme.ID == "" || len(children) == 0 || edited.ID == "" {
			t.Fatalf("the default codebook has no theme with subcodes and another subcode: %+v", rt.codes)
		}
		// Version 2: a code renamed, defined anew and recoloured.
		s.clock.Advance(time.Second)
		wantStatus(t, s.as(rt.admin, "PATCH", "/api/v1/research/codes/"+edited.ID, map[string]any{
			"parent_id": edited.ParentID, "name": map[string]string{"en": "Peer care", "es": "Cuidado entre pares"},
			"definition": map[string]string{"en": "Looking after peers."}, "colour": "#123456"}), http.StatusOK)
		// Version 3: a code added.
		s.clock.Advance(time.Second)
		r := s.as(rt.admin, "POST", base+"/codes", map[string]any{"name": map[string]string{"en": "Housing"}, "colour": "#654321"})
		wantStatus(t, r, http.StatusCreated)
		added := decoded[store.CodeView](t, r).ID
		// Version 4: a theme removed; its subcodes move up.
		s.clock.Advance(time.Second)
		wantStatus(t, s.as(rt.admin, "DELETE", "/api/v1/research/codes/"+theme.ID, nil), http.StatusNoContent)

		versions := decoded[struct{ Versions []store.CodebookVersion }](t, s.as(rt.a, "GET", base+"/versions", nil)).Versions
		if len(versions) != 4 || len(versions[0].Changes) != len(rt.codes) || versions[1].Changes[0].Kind != store.CodeEdited ||
			versions[2].Changes[0].Kind != store.CodeAdded || versions[3].Changes[len(versions[3].Changes)-1].Kind != store.CodeRemoved {
			t.Fatalf("versions %+v", versions)
		}

		diff := decoded[store.CodebookDiff](t, s.as(rt.a, "GET", base+"/diff?from=1&to=4", nil))
		if diff.Latest != 4 || len(diff.Added) != 1 || diff.Added[0].CodeID != added || len(diff.Removed) != 1 || diff.Removed[0].CodeID != theme.ID {
			t.Fatalf("diff 1→4 added %+v removed %+v", diff.Added, diff.Removed)
		}
		fields := map[string][]string{}
		for _, c := range diff.Changed {
			fields[c.After.CodeID] = c.Fields
		}
		if got := fields[edited.ID]; !slices.Equal(got, []string{"name", "definition", "colour"}) {
			t.Errorf("the edited code's changes %v, want name, definition, colour", got)
		}
		for _, id := range children {
			if got := fields[id]; !slices.Equal(got, []string{"parent"}) {
				t.Errorf("subcode %s changes %v, want its parent", id, got)
			}
		}
		if len(diff.Changed) != 1+len(children) {
			t.Errorf("%d codes changed, want %d", len(diff.Changed), 1+len(children))
		}
		for _, c := range diff.Changed {
			if c.After.CodeID == edited.ID && (c.Before.Name["en"] != edited.Name["en"] || c.After.Name["en"] != "Peer care") {
				t.Errorf("renamed from %q to %q", c.Before.Name["en"], c.After.Name["en"])
			}
		}
		// Backwards: the removed theme comes back, the new code goes.
		back := decoded[store.CodebookDiff](t, s.as(rt.a, "GET", base+"/diff?from=4&to=2", nil))
		if len(back.Added) != 1 || back.Added[0].CodeID != theme.ID || len(back.Removed) != 1 || back.Removed[0].CodeID != added {
			t.Errorf("diff 4→2 %+v", back)
		}
		// By default: the latest change only.
		latest := decoded[store.CodebookDiff](t, s.as(rt.a, "GET", base+"/diff", nil))
		if latest.From != 3 || latest.To != 4 || len(latest.Removed) != 1 || len(latest.Added) != 0 {
			t.Errorf("latest diff %+v", latest)
		}
		for _, bad := range []struct{ query, field string }{{"from=x", "from"}, {"to=-1", "to"}, {"from=0&to=5", "to"}} {
			r := s.as(rt.a, "GET", base+"/diff?"+bad.query, nil)
			if r.Code != http.StatusBadRequest || r.errorBody(t).Fields[bad.field] == "" {
				t.Errorf("%s: %d %s, want 400 naming %s", bad.query, r.Code, r.Body.String(), bad.field)
			}
		}
		other := newOrg(t, s.store, "Other Program")
		stranger := session(t, db, s.store, other.Users[models.RoleAdmin], other.ID)
		wantStatus(t, s.as(stranger, "GET", base+"/diff", nil), http.StatusNotFound)
		wantStatus(t, s.as(stranger, "GET", base+"/versions", nil), http.StatusNotFound)
	})
}
