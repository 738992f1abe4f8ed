package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func decoded[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", r.Body.String(), err)
	}
	return v
}

// researchTeam is an organization with two staff coders and their admin.
type researchTeam struct {
	s            *testServer
	o            *org
	admin, a, b  caller
	aID, bID     string
	codes        []store.CodeView
	codebookID   string
	transcriptID string
}

func newResearchTeam(t *testing.T, db *database.DB) *researchTeam {
	t.Helper()
	s := newTestServer(t, db)
	o := newOrg(t, s.store, "Research Program")
	rt := &researchTeam{s: s, o: o, aID: o.Users[models.RoleStaff].ID, bID: o.SpareUser.ID}
	rt.admin = session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
	rt.a = session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
	rt.b = session(t, db, s.store, o.SpareUser, o.ID)
	for _, id := range []string{rt.aID, rt.bID} {
		wantStatus(t, s.as(rt.admin, "PUT", "/api/v1/research/coders/"+id, map[string]any{"coder": true}), http.StatusOK)
	}
	books := decoded[struct{ Codebooks []CodebookWithCodes }](t, s.as(rt.a, "GET", "/api/v1/research/codebooks", nil))
	if len(books.Codebooks) != 1 || len(books.Codebooks[0].Codes) < 10 {
		t.Fatalf("codebooks %+v", books)
	}
	rt.codebookID, rt.codes = books.Codebooks[0].ID, books.Codebooks[0].Codes
	return rt
}

func TestTranscriptIsStoredScrubbed(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		text := "Facilitator: How do you look out for people?\nR: I keep naloxone. Call me at (503) 555-0142 or ana.r@example.com."
		r := rt.s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{
			"site_id": rt.o.Site.ID, "day": "2026-11-20", "title": "Group 3", "text": text})
		wantStatus(t, r, http.StatusCreated)
		got := decoded[TranscriptImported](t, r)
		if got.Removed != 2 || strings.Contains(got.Excerpt.Text, "555") || strings.Contains(got.Excerpt.Text, "example.com") {
			t.Fatalf("stored %q, removed %d; want the phone number and address gone", got.Excerpt.Text, got.Removed)
		}
		var raw []string
		if err := db.Model(&models.ResearchExcerpt{}).Pluck("body", &raw).Error; err != nil {
			t.Fatal(err)
		}
		for _, b := range raw {
			if strings.Contains(b, "555-0142") {
				t.Fatalf("the database holds the original: %q", b)
			}
		}
		// The audit row records the import and how much was removed, not
		// the text.
		var ev models.AuditEvent
		if err := db.Where("action = ?", store.AuditTranscript).First(&ev).Error; err != nil || ev.Detail["removed"] != "2" {
			t.Errorf("audit %+v, %v", ev, err)
		}
		for _, bad := range []map[string]any{
			{"site_id": rt.o.Site.ID, "day": "2026-11-20", "text": "   "},
			{"site_id": rt.o.Site.ID, "day": "someday", "text": "words"},
			{"site_id": models.NewID(), "day": "2026-11-20", "text": "words"},
			{"site_id": rt.o.Site.ID, "day": "2026-11-20", "text": "words", "original": "kept?"},
		} {
			if r := rt.s.as(rt.a, "POST", "/api/v1/research/transcripts", bad); r.Code != http.StatusBadRequest {
				t.Errorf("%v: %d %s, want 400", bad, r.Code, r.Body.String())
			}
		}
	})
}

func TestBlindCodingOverHTTP(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		for i := range 4 {
			wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{
				"site_id": rt.o.Site.ID, "day": "2026-11-2" + string(rune('0'+i)), "text": "We share new supplies with friends."}), http.StatusCreated)
		}
		r := s.as(rt.admin, "POST", "/api/v1/research/samples", map[string]any{"share_percent": 50, "seed": 3, "coder_ids": []string{rt.aID, rt.bID}})
		wantStatus(t, r, http.StatusCreated)
		sample := decoded[store.SampleView](t, r)
		if sample.Excerpts != 2 {
			t.Fatalf("sample of %d, want 2", sample.Excerpts)
		}
		mine := decoded[struct{ Excerpts []store.ExcerptView }](t, s.as(rt.a, "GET", "/api/v1/research/excerpts?assigned=1", nil)).Excerpts
		if len(mine) != 2 {
			t.Fatalf("assigned %d", len(mine))
		}
		ex := mine[0].ID
		code := rt.codes[2].ID
		// Ana codes a span; Ben codes the whole text with another code.
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": code, "start": 3, "end": 8}), http.StatusCreated)
		wantStatus(t, s.as(rt.b, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": rt.codes[3].ID}), http.StatusCreated)
		seen := decoded[ExcerptDetail](t, s.as(rt.a, "GET", "/api/v1/research/excerpts/"+ex, nil))
		if !seen.Blind || len(seen.Codings) != 1 || *seen.Codings[0].SpanStart != 3 {
			t.Fatalf("Ana sees %+v before submitting; want her own span only", seen.ExcerptCodings)
		}
		for _, c := range []caller{rt.a, rt.b} {
			for _, e := range mine {
				wantStatus(t, s.as(c, "POST", "/api/v1/research/excerpts/"+e.ID+"/submit", nil), http.StatusOK)
			}
		}
		r = s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": code})
		if r.Code != http.StatusConflict || r.errorBody(t).Code != "already_submitted" {
			t.Errorf("coding after submitting: %d %s", r.Code, r.Body.String())
		}
		seen = decoded[ExcerptDetail](t, s.as(rt.a, "GET", "/api/v1/research/excerpts/"+ex, nil))
		if seen.Blind || len(seen.Codings) != 2 {
			t.Fatalf("after both submitted Ana sees %+v", seen.ExcerptCodings)
		}
		table := decoded[store.AgreementTable](t, s.as(rt.admin, "GET", "/api/v1/research/samples/"+sample.ID+"/agreement", nil))
		if len(table.Disagreements) != 2 || len(table.Codes) != 2 || table.Overall.Percent.Value == nil {
			t.Fatalf("agreement %+v", table)
		}
		d := table.Disagreements[0]
		wantStatus(t, s.as(rt.admin, "POST", "/api/v1/research/samples/"+sample.ID+"/reconcile",
			map[string]any{"excerpt_id": d.ExcerptID, "code_id": d.CodeID, "present": true}), http.StatusOK)
		table = decoded[store.AgreementTable](t, s.as(rt.admin, "GET", "/api/v1/research/samples/"+sample.ID+"/agreement", nil))
		if table.Disagreements[0].Agreed == nil || !*table.Disagreements[0].Agreed {
			t.Errorf("reconciled disagreement %+v", table.Disagreements[0])
		}
		// A memo on the excerpt shows with it.
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/memos", map[string]any{"excerpt_id": ex, "body": "Peer supply work."}), http.StatusCreated)
		if seen := decoded[ExcerptDetail](t, s.as(rt.b, "GET", "/api/v1/research/excerpts/"+ex, nil)); len(seen.Memos) != 1 {
			t.Errorf("memos %+v", seen.Memos)
		}
		// Editing a code makes version 2; the versions list shows both.
		c := rt.codes[2]
		wantStatus(t, s.as(rt.a, "PATCH", "/api/v1/research/codes/"+c.ID, map[string]any{
			"parent_id": c.ParentID, "name": map[string]string{"en": "Sharing sterile supplies", "es": "Compartir material estéril"}, "colour": c.Colour}), http.StatusOK)
		versions := decoded[struct{ Versions []models.CodeVersion }](t, s.as(rt.a, "GET", "/api/v1/research/codes/"+c.ID+"/versions", nil))
		if len(versions.Versions) != 2 {
			t.Errorf("versions %+v", versions)
		}
		// Another organization's admin gets 404 for this sample.
		other := newOrg(t, s.store, "Other Program")
		otherAdmin := session(t, db, s.store, other.Users[models.RoleAdmin], other.ID)
		wantStatus(t, s.as(otherAdmin, "GET", "/api/v1/research/samples/"+sample.ID+"/agreement", nil), http.StatusNotFound)
	})
}
