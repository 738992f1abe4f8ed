package api

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// wordDocx builds a .docx as Word lays one out: content types, the
// package relationships and word/document.xml with one paragraph per
// line. extra files are added as they are, for hostile variants.
func wordDocx(t *testing.T, lines []string, extra ...[2]string) []byte {
	t.Helper()
	var body strings.Builder
	for _, l := range lines {
		body.WriteString(`<w:p w:rsidR="00A1"><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">`)
		body.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(l))
		body.WriteString(`</w:t></w:r></w:p>`)
	}
	files := [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>`},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range append(files, extra...) {
		w, err := z.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocxTranscriptIsStoredScrubbed(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		file := wordDocx(t, []string{"Facilitator: Who looks out for you?", "R1: My friends & I carry naloxone.", "R2: Text me at (503) 555-0142 for supplies."})
		r := rt.s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{
			"site_id": rt.o.Site.ID, "day": "2026-11-20", "title": "Group 4", "docx": base64.StdEncoding.EncodeToString(file)})
		wantStatus(t, r, http.StatusCreated)
		got := decoded[TranscriptImported](t, r)
		want := "Facilitator: Who looks out for you?\nR1: My friends & I carry naloxone.\nR2: Text me at"
		if got.Removed != 1 || !strings.HasPrefix(got.Excerpt.Text, want) || strings.Contains(got.Excerpt.Text, "555") {
			t.Fatalf("stored %q, removed %d; want the paragraphs as lines without the phone number", got.Excerpt.Text, got.Removed)
		}
		var bodies []string
		if err := db.Model(&models.ResearchExcerpt{}).Pluck("body", &bodies).Error; err != nil {
			t.Fatal(err)
		}
		for _, b := range bodies {
			if strings.Contains(b, "555-0142") || strings.Contains(b, "w:t") {
				t.Fatalf("the database holds more than the scrubbed text: %q", b)
			}
		}
		var ev models.AuditEvent
		if err := db.Where("action = ?", store.AuditTranscript).First(&ev).Error; err != nil || ev.Detail["removed"] != "1" {
			t.Errorf("audit %+v, %v", ev, err)
		}
	})
}

func TestHostileDocxChangesNothing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		counts := func() [2]int64 {
			var excerpts, audits int64
			if err := db.Model(&models.ResearchExcerpt{}).Count(&excerpts).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Model(&models.AuditEvent{}).Count(&audits).Error; err != nil {
				t.Fatal(err)
			}
			return [2]int64{excerpts, audits}
		}
		before := counts()
		lines := []string{"R1: call me at (503) 555-0142"}
		bomb := strings.Repeat("<w:p><w:r><w:t>aaaaaaaaaaaaaaaa</w:t></w:r></w:p>", (17<<20)/48)
		entities := `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>`
		b64 := base64.StdEncoding.EncodeToString
		for _, c := range []struct {
			name   string
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"zip bomb", map[string]any{"docx": b64(zipOfOne(t, "word/document.xml", bomb))}, 400, "import_refused", "docx"},
			{"entity expansion", map[string]any{"docx": b64(zipOfOne(t, "word/document.xml", entities))}, 400, "import_refused", "docx"},
			{"path traversal", map[string]any{"docx": b64(wordDocx(t, lines, [2]string{"../../etc/cron.d/x", "* * * * * root sh"}))}, 400, "import_refused", "docx"},
			{"not a Word file", map[string]any{"docx": b64([]byte("R1: call me at (503) 555-0142"))}, 400, "import_refused", "docx"},
			{"not base64", map[string]any{"docx": "PK&&&"}, 400, CodeInvalidInput, "docx"},
			{"text and a file", map[string]any{"text": "words", "docx": b64(wordDocx(t, lines))}, 400, CodeInvalidInput, "docx"},
			{"neither", map[string]any{}, 400, CodeInvalidInput, "text"},
			{"over 1 MB", map[string]any{"docx": strings.Repeat("A", MaxBodyBytes)}, 413, CodeTooLarge, ""},
		} {
			c.body["site_id"], c.body["day"] = rt.o.Site.ID, "2026-11-20"
			r := rt.s.as(rt.a, "POST", "/api/v1/research/transcripts", c.body)
			if r.Code != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, r.Code, r.Body.String(), c.status)
				continue
			}
			e := r.errorBody(t)
			if e.Code != c.code || e.Message == "" || (c.field != "" && e.Fields[c.field] == "") {
				t.Errorf("%s: error %+v, want %s naming %q", c.name, e, c.code, c.field)
			}
			if strings.Contains(r.Body.String(), "555") {
				t.Errorf("%s: the refusal repeats the file's text: %s", c.name, r.Body.String())
			}
		}
		if after := counts(); after != before {
			t.Errorf("excerpts and audit rows %v → %v: a refused upload stored something", before, after)
		}
	})
}

func zipOfOne(t *testing.T, name, data string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
