package api

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// The research responses a script is most likely to read answer what
// docs/openapi.yaml describes, field for field (closed schemas): the
// workspace's texts, a transcript upload, code counts as a policymaker and
// as staff, a codebook's versions and a diff, a finding, a sample, the
// caller's access.
func TestOpenAPIDescribesResearchResponses(t *testing.T) {
	doc := openAPI(t)
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		c := jsonschema.NewCompiler()
		if err := c.AddResource("openapi.json", closed(doc)); err != nil {
			t.Fatal(err)
		}
		rt := newResearchTeam(t, db)
		s := rt.s
		check := func(method, path, route string, status int, r response) {
			t.Helper()
			wantStatus(t, r, status)
			matchSchema(t, schemaFor(t, c, method, route, strconv.Itoa(status), "application/json"), r, method+" "+path)
		}
		r := s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{"site_id": rt.o.Site.ID, "day": "2026-11-20", "text": "We carry naloxone. Call (503) 555-0142."})
		check("post", "/api/v1/research/transcripts", "/api/v1/research/transcripts", http.StatusCreated, r)
		ex := decoded[TranscriptImported](t, r).Excerpt.ID
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": rt.codes[1].ID}), http.StatusCreated)
		check("get", "/api/v1/research/excerpts", "/api/v1/research/excerpts", http.StatusOK, s.as(rt.a, "GET", "/api/v1/research/excerpts", nil))
		check("get", "/api/v1/research/access", "/api/v1/research/access", http.StatusOK, s.as(rt.a, "GET", "/api/v1/research/access", nil))
		check("get", "/api/v1/research/codebooks", "/api/v1/research/codebooks", http.StatusOK, s.as(rt.a, "GET", "/api/v1/research/codebooks", nil))

		counts := "/api/v1/research/counts?pairs=1&code_ids=" + rt.codes[1].ID + "," + rt.codes[2].ID
		check("get", counts, "/api/v1/research/counts", http.StatusOK, s.as(rt.a, "GET", counts, nil))
		pm := session(t, db, s.store, rt.o.Users[models.RolePolicymaker], rt.o.ID)
		check("get", counts, "/api/v1/research/counts", http.StatusOK, s.as(pm, "GET", counts, nil))

		s.clock.Advance(time.Second)
		c1 := rt.codes[1]
		wantStatus(t, s.as(rt.admin, "PATCH", "/api/v1/research/codes/"+c1.ID, map[string]any{
			"parent_id": c1.ParentID, "name": map[string]string{"en": "Renamed"}, "colour": c1.Colour}), http.StatusOK)
		book := "/api/v1/research/codebooks/" + rt.codebookID
		check("get", book+"/versions", "/api/v1/research/codebooks/{id}/versions", http.StatusOK, s.as(rt.a, "GET", book+"/versions", nil))
		check("get", book+"/diff", "/api/v1/research/codebooks/{id}/diff", http.StatusOK, s.as(rt.a, "GET", book+"/diff?from=0", nil))

		r = s.as(rt.admin, "POST", "/api/v1/research/samples", map[string]any{"share_percent": 100, "seed": 1, "coder_ids": []string{rt.aID, rt.bID}})
		check("post", "/api/v1/research/samples", "/api/v1/research/samples", http.StatusCreated, r)
		check("get", "/api/v1/research/samples", "/api/v1/research/samples", http.StatusOK, s.as(rt.admin, "GET", "/api/v1/research/samples", nil))

		r = s.as(rt.a, "POST", "/api/v1/research/findings", map[string]any{"statement_en": "People look out for each other.", "statement_es": "La gente se cuida.", "code_ids": []string{rt.codes[1].ID}})
		check("post", "/api/v1/research/findings", "/api/v1/research/findings", http.StatusCreated, r)
		check("get", "/api/v1/research/findings", "/api/v1/research/findings", http.StatusOK, s.as(pm, "GET", "/api/v1/research/findings", nil))
	})
}
