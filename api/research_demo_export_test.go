package api

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/demo"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// The done-when: a .qdpx export of the demo organization is a
// valid zip whose project.qde validates against the official Project
// schema. The demo holds what a real project holds (two sites, approved
// kiosk texts, scrubbed transcripts, a blind sample coded by two coders, a
// reconciled disagreement), in both languages.
func TestDemoProjectExportValidates(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		res, err := demo.Seed(t.Context(), db, s.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		var admin models.User
		if err := db.Where("email = ?", demo.Accounts[0].Email).First(&admin).Error; err != nil {
			t.Fatal(err)
		}
		a := session(t, db, s.store, admin, res.Organization.ID)
		for _, lang := range []string{"en", "es"} {
			r := s.as(a, "GET", "/api/v1/research/export/qdpx?lang="+lang, nil)
			wantStatus(t, r, http.StatusOK)
			qde := projectQDE(t, r.Body.Bytes())
			xmllintSchema(t, "Project-mrt2019.xsd", qde)
			doc := string(qde)
			// The demo's content is there, not an empty valid shell: its
			// sites, a transcript without its phone number, both coders.
			for _, want := range []string{`xmlns="urn:QDA-XML:project:1.0"`, res.Sites[0].Name, res.Sites[1].Name,
				"We carry naloxone", demo.Accounts[0].Email, demo.Accounts[1].Email, "<Coding "} {
				if !strings.Contains(doc, want) {
					t.Errorf("%s: project.qde lacks %q", lang, want)
				}
			}
			if strings.Contains(doc, "555-0199") {
				t.Errorf("%s: project.qde holds the transcript's phone number", lang)
			}
		}
	})
}

// projectQDE checks that body is a zip whose entries stay inside it and
// returns its project.qde.
func projectQDE(t *testing.T, body []byte) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var qde []byte
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "/") || strings.Contains(f.Name, "..") {
			t.Errorf("zip entry %q leaves the archive", f.Name)
		}
		if f.Name != "project.qde" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		qde, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("project.qde: %v", err)
		}
	}
	if qde == nil {
		t.Fatal("no project.qde in the .qdpx")
	}
	return qde
}
