package api

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// xmllintSchema validates doc against an official REFI-QDA schema.
func xmllintSchema(t *testing.T, schema string, doc []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed (apt-get install libxml2-utils): cannot validate against the REFI-QDA schemas")
	}
	file := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--nonet", "--schema",
		filepath.Join("..", "internal", "research", "refiqda", "testdata", schema), file).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint --schema %s: %v\n%s", schema, err, out)
	}
}

// raw sends a body as it is, with the caller's session headers.
func (s *testServer) raw(c caller, method, path, contentType string, body []byte) response {
	s.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(c.headers); i += 2 {
		req.Header.Set(c.headers[i], c.headers[i+1])
	}
	rec := httptest.NewRecorder()
	s.engine.ServeHTTP(rec, req)
	return response{rec}
}

var guidAttr = regexp.MustCompile(`guid="[^"]*"`)

func TestCodebookExportImportRoundTrip(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		// Notes on a code travel in its description and come back apart.
		c := rt.codes[1]
		wantStatus(t, s.as(rt.a, "PATCH", "/api/v1/research/codes/"+c.ID, map[string]any{
			"parent_id": c.ParentID, "name": c.Name, "definition": map[string]string{"en": "Helping at an overdose."},
			"inclusion": map[string]string{"en": "Naloxone, rescue breathing."}, "exclusion": map[string]string{"en": "Their own overdose."},
			"example": map[string]string{"en": "I stayed with him until he woke up."}, "colour": c.Colour}), http.StatusOK)
		first := s.as(rt.a, "GET", "/api/v1/research/codebooks/"+rt.codebookID+"/qdc", nil)
		wantStatus(t, first, http.StatusOK)
		xmllintSchema(t, "Codebook.xsd", first.Body.Bytes())
		r := s.raw(rt.a, "POST", "/api/v1/research/codebooks/import?name=Round+trip", "application/xml", first.Body.Bytes())
		wantStatus(t, r, http.StatusCreated)
		imported := decoded[models.Codebook](t, r)
		second := s.as(rt.a, "GET", "/api/v1/research/codebooks/"+imported.ID+"/qdc", nil)
		wantStatus(t, second, http.StatusOK)
		// The same codebook: names, notes, colours and nesting; only the
		// identifiers are new.
		strip := func(b []byte) string { return guidAttr.ReplaceAllString(string(b), `guid=""`) }
		if strip(first.Body.Bytes()) != strip(second.Body.Bytes()) {
			t.Fatalf("re-exported codebook differs:\n%s\n---\n%s", first.Body.String(), second.Body.String())
		}
		if !strings.Contains(first.Body.String(), "Include: Naloxone, rescue breathing.") {
			t.Errorf("inclusion notes not exported:\n%s", first.Body.String())
		}
	})
}

func TestHostileCodebookImportChangesNothing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		count := func() int64 {
			var n int64
			if err := db.Model(&models.Codebook{}).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		zipOf := func(name string, data []byte) []byte {
			var buf bytes.Buffer
			z := zip.NewWriter(&buf)
			f, err := z.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write(data); err != nil {
				t.Fatal(err)
			}
			if err := z.Close(); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		for _, c := range []struct {
			name   string
			body   []byte
			status int
			code   string
		}{
			{"entity expansion", []byte(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1f0e3c6a-8d2b-4c55-9a41-0c7e5b9d2a10" name="&b;" isCodable="true"/></Codes></CodeBook>`), 400, "import_refused"},
			{"zip bomb", zipOf("project.qde", bytes.Repeat([]byte("0"), 17<<20)), 400, "import_refused"},
			{"path traversal", zipOf("../../etc/x", []byte("x")), 400, "import_refused"},
			{"malformed", []byte("<CodeBook"), 400, "import_refused"},
			{"50 MB", bytes.Repeat([]byte(" "), 50<<20), 413, CodeTooLarge},
		} {
			r := s.raw(rt.a, "POST", "/api/v1/research/codebooks/import", "application/octet-stream", c.body)
			if r.Code != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, r.Code, r.Body.String(), c.status)
				continue
			}
			if e := r.errorBody(t); e.Code != c.code || e.Message == "" {
				t.Errorf("%s: error %+v, want %s with a message", c.name, e, c.code)
			}
		}
		if after := count(); after != before {
			t.Errorf("codebooks %d → %d: a refused import stored something", before, after)
		}
	})
}

func TestProjectExportIsAValidQDPX(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		r := s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{
			"site_id": rt.o.Site.ID, "day": "2026-11-20", "title": "Group <1> & more", "text": "My friends 👋 carry naloxone."})
		wantStatus(t, r, http.StatusCreated)
		ex := decoded[TranscriptImported](t, r).Excerpt.ID
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": rt.codes[1].ID, "start": 0, "end": 12}), http.StatusCreated)
		wantStatus(t, s.as(rt.b, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": rt.codes[2].ID}), http.StatusCreated)
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/memos", map[string]any{"excerpt_id": ex, "body": "Peer work."}), http.StatusCreated)
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/memos", map[string]any{"code_id": rt.codes[1].ID, "body": "About overdoses."}), http.StatusCreated)
		// Staff coders may not take the whole project out.
		wantStatus(t, s.as(rt.a, "GET", "/api/v1/research/export/qdpx", nil), http.StatusForbidden)
		r = s.as(rt.admin, "GET", "/api/v1/research/export/qdpx", nil)
		wantStatus(t, r, http.StatusOK)
		z, err := zip.NewReader(bytes.NewReader(r.Body.Bytes()), int64(r.Body.Len()))
		if err != nil {
			t.Fatalf("not a zip: %v", err)
		}
		var qde []byte
		for _, f := range z.File {
			if f.Name == "project.qde" {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				qde, err = io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		if qde == nil {
			t.Fatal("no project.qde in the .qdpx")
		}
		xmllintSchema(t, "Project-mrt2019.xsd", qde)
		doc := string(qde)
		for _, want := range []string{`xmlns="urn:QDA-XML:project:1.0"`, `startPosition="0" endPosition="12"`, "My friends 👋 carry naloxone.",
			"Storefront", "2026-11-20", "Peer work.", "About overdoses.", rt.o.Users[models.RoleStaff].Email, rt.o.SpareUser.Email} {
			if !strings.Contains(doc, want) {
				t.Errorf("project.qde lacks %q", want)
			}
		}
		var events int64
		if err := db.Model(&models.AuditEvent{}).Where("action = ?", "research.export").Count(&events).Error; err != nil || events != 1 {
			t.Errorf("export audit rows %d, %v; want 1", events, err)
		}
	})
}

func TestCodingsCSVIsNeutralized(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		r := s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{
			"site_id": rt.o.Site.ID, "day": "2026-11-20", "text": "=HYPERLINK(\"http://x\") we share new supplies."})
		wantStatus(t, r, http.StatusCreated)
		ex := decoded[TranscriptImported](t, r).Excerpt.ID
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": rt.codes[2].ID}), http.StatusCreated)
		wantStatus(t, s.as(rt.b, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": rt.codes[1].ID, "start": 27, "end": 45}), http.StatusCreated)
		wantStatus(t, s.as(rt.a, "GET", "/api/v1/research/export/codings.csv", nil), http.StatusForbidden)
		r = s.as(rt.admin, "GET", "/api/v1/research/export/codings.csv", nil)
		wantStatus(t, r, http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(r.Body.String())).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("csv %q, %v; want a header and two codings", r.Body.String(), err)
		}
		byCoder := map[string][]string{}
		for _, row := range rows[1:] {
			byCoder[row[4]] = row
		}
		whole, span := byCoder[rt.o.Users[models.RoleStaff].Email], byCoder[rt.o.SpareUser.Email]
		if whole == nil || !strings.HasPrefix(whole[7], "'=HYPERLINK") || whole[3] != rt.codes[2].Name["en"] {
			t.Errorf("whole-text row %q: want the text neutralized and the code named", whole)
		}
		text := []rune(`=HYPERLINK("http://x") we share new supplies.`)
		if span == nil || span[5] != "27" || span[6] != "45" || span[7] != string(text[27:45]) {
			t.Errorf("span row %q", span)
		}
		// Recorded like the .qdpx: who took the texts out, the format, how many.
		var ev models.AuditEvent
		if err := db.Where("action = ?", "research.export").First(&ev).Error; err != nil || ev.Detail["format"] != "csv" || ev.Detail["sources"] != "1" {
			t.Errorf("export audit %+v, %v; want format csv and 1 source", ev.Detail, err)
		}
	})
}
