package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// countsBody is GET /research/counts as JSON: a null count is hidden.
type countsBody struct {
	MinCell    int      `json:"min_cell"`
	Suppressed bool     `json:"suppressed"`
	Months     []string `json:"months"`
	Codes      []struct {
		CodeIDs []string `json:"code_ids"`
		Total   *int     `json:"total"`
		Months  []*int   `json:"months"`
		Sites   []struct {
			SiteID string `json:"site_id"`
			Total  *int   `json:"total"`
			Months []*int `json:"months"`
		} `json:"sites"`
	} `json:"codes"`
	Pairs []struct {
		CodeIDs []string `json:"code_ids"`
		Total   *int     `json:"total"`
		Months  []*int   `json:"months"`
	} `json:"pairs"`
}

func ints(cells []*int) string {
	var out []string
	for _, c := range cells {
		if c == nil {
			out = append(out, "null")
		} else {
			out = append(out, fmt.Sprint(*c))
		}
	}
	return strings.Join(out, ",")
}

func TestCodeCountsByMonthAndPair(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		one, two := rt.codes[1].ID, rt.codes[2].ID
		// October: 12 texts hold the first code, 3 of them the second too;
		// November: 2 hold the first.
		for i := range 14 {
			day := fmt.Sprintf("2026-10-%02d", 1+i)
			if i >= 12 {
				day = fmt.Sprintf("2026-11-%02d", i)
			}
			r := s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{"site_id": rt.o.Site.ID, "day": day, "text": "We look out for each other."})
			wantStatus(t, r, http.StatusCreated)
			ex := decoded[TranscriptImported](t, r).Excerpt.ID
			wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": one}), http.StatusCreated)
			if i < 3 {
				// A span and a whole-text coding by two coders: one excerpt.
				wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": two, "start": 0, "end": 2}), http.StatusCreated)
				wantStatus(t, s.as(rt.b, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": two}), http.StatusCreated)
			}
		}
		path := "/api/v1/research/counts?pairs=1&code_ids=" + one + "," + two
		read := func(c caller, path string) countsBody {
			t.Helper()
			r := s.as(c, "GET", path, nil)
			wantStatus(t, r, http.StatusOK)
			var b countsBody
			if err := json.Unmarshal(r.Body.Bytes(), &b); err != nil {
				t.Fatal(err)
			}
			return b
		}
		staff := read(rt.a, path)
		first, pair := staff.Codes[0], staff.Pairs[0]
		if first.CodeIDs[0] != one {
			first, pair = staff.Codes[1], staff.Pairs[0]
		}
		if staff.Suppressed || strings.Join(staff.Months, ",") != "2026-10-01,2026-11-01" || ints(first.Months) != "12,2" ||
			first.Total == nil || *first.Total != 14 || ints(first.Sites[0].Months) != "12,2" || ints(pair.Months) != "3,0" || len(staff.Pairs) != 1 {
			t.Fatalf("staff read %+v", staff)
		}
		// A policymaker never sees 2 or 3, nor a total holding them.
		pm := session(t, db, s.store, rt.o.Users[models.RolePolicymaker], rt.o.ID)
		seen := read(pm, path)
		first, pair = seen.Codes[0], seen.Pairs[0]
		if first.CodeIDs[0] != one {
			first = seen.Codes[1]
		}
		if !seen.Suppressed || ints(first.Months) != "12,null" || first.Total != nil || ints(pair.Months) != "null,0" || pair.Total != nil {
			t.Fatalf("policymaker read codes %s total %v, pair %s total %v", ints(first.Months), first.Total, ints(pair.Months), pair.Total)
		}
		// October alone, asked for by month: the same October counts.
		oct := read(pm, path+"&from=2026-10&to=2026-10")
		if len(oct.Months) != 1 || ints(oct.Pairs[0].Months) != "null" {
			t.Fatalf("October %+v", oct)
		}
		// The finding's page shows the same protection: no total over a
		// hidden month.
		en, es := "People look out for each other.", "La gente se cuida."
		r := s.as(rt.a, "POST", "/api/v1/research/findings", map[string]any{"statement_en": en, "statement_es": es, "code_ids": []string{one}})
		wantStatus(t, r, http.StatusCreated)
		id := decoded[struct{ ID string }](t, r).ID
		page := s.as(pm, "GET", "/api/v1/research/findings/"+id, nil)
		wantStatus(t, page, http.StatusOK)
		if !strings.Contains(page.Body.String(), `"total":null`) {
			t.Errorf("the finding's page shows a total over a hidden month: %s", page.Body.String())
		}
		for _, bad := range []struct{ query, field string }{
			{"", "code_ids"},
			{"code_ids=" + models.NewID(), "code_ids"},
			{"code_ids=not-an-id", "code_ids"},
			{"code_ids=" + one + "&from=2026-10", "to"},
			{"code_ids=" + one + "&from=2026-13&to=2026-14", "from"},
			{"code_ids=" + one + "&from=2026-10&to=2026-09", "to"},
			{"code_ids=" + one + "&from=2020-01&to=2026-09", "to"},
			{"pairs=1&code_ids=" + idsOf(rt, 9), "pairs"},
		} {
			r := s.as(rt.a, "GET", "/api/v1/research/counts?"+bad.query, nil)
			if r.Code != http.StatusBadRequest {
				t.Errorf("%q: %d %s, want 400", bad.query, r.Code, r.Body.String())
				continue
			}
			if e := r.errorBody(t); e.Fields[bad.field] == "" {
				t.Errorf("%q: %+v, want field %s", bad.query, e, bad.field)
			}
		}
		// Facilitators do not read research counts.
		wantStatus(t, s.as(session(t, db, s.store, rt.o.Users[models.RoleFacilitator], rt.o.ID), "GET", path, nil), http.StatusForbidden)
	})
}

// idsOf joins the first n codes' ids.
func idsOf(rt *researchTeam, n int) string {
	var ids []string
	for _, c := range rt.codes[:n] {
		ids = append(ids, c.ID)
	}
	return strings.Join(ids, ",")
}
