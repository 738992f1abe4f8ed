package refiqda

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// validate checks doc against one of the official schemas with xmllint, a
// real XML Schema validator (Debian's libxml2-utils; .ci/run installs it).
func validate(t *testing.T, schema string, doc []byte) {
	t.Helper()
	if out, err := xmllint(t, schema, doc); err != nil {
		t.Fatalf("xmllint --schema %s: %v\n%s\n%s", schema, err, out, doc)
	}
}

func xmllint(t *testing.T, schema string, doc []byte) ([]byte, error) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed (apt-get install libxml2-utils): cannot validate against the REFI-QDA schemas")
	}
	file := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	return exec.Command("xmllint", "--noout", "--nonet", "--schema", filepath.Join("testdata", schema), file).CombinedOutput()
}

// The validator does refuse what the schemas forbid: a code without
// isCodable, a selection without positions.
func TestSchemasRefuseInvalidDocuments(t *testing.T) {
	code := `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1f0e3c6a-8d2b-4c55-9a41-0c7e5b9d2a10" name="x"/></Codes></CodeBook>`
	if _, err := xmllint(t, "Codebook.xsd", []byte(code)); err == nil {
		t.Error("Codebook.xsd accepted a code without isCodable")
	}
	qde, err := ProjectXML(testProject())
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(qde, []byte(` startPosition="0"`), nil, 1)
	if _, err := xmllint(t, "Project-mrt2019.xsd", broken); err == nil {
		t.Error("Project-mrt2019.xsd accepted a selection without a start")
	}
}

var sample = []Code{
	{GUID: "1f0e3c6a-8d2b-4c55-9a41-0c7e5b9d2a10", Name: "Advocate & resource", Description: "Helps peers <stay> safer.", Color: "#1f6f8b", Children: []Code{
		{GUID: "2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", Name: "Overdose response", Color: "#2a86a6"},
		{GUID: "3b2c4d5e-6f70-4b8c-9dae-1f2a3b4c5d6e", Name: "Sterile supplies", Description: "Include: new supplies."},
	}},
	{GUID: "4c3d5e6f-7081-4c9d-aebf-2a3b4c5d6e7f", Name: "Stigma", Color: "#b5482e"},
}

func TestCodebookValidatesAndRoundTrips(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCodebook(&buf, "Chorus", sample); err != nil {
		t.Fatal(err)
	}
	validate(t, "Codebook.xsd", buf.Bytes())
	back, err := ReadCodebook(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, sample) {
		t.Fatalf("read back\n%+v\nwant\n%+v", back, sample)
	}
}

func testProject() Project {
	return Project{
		Name: "Test Program", Origin: "Chorus", Created: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC),
		Users:     []User{{GUID: "5d4e6f70-8192-4dae-bfc0-3b4c5d6e7f80", Name: "ana@example.org"}},
		Codes:     sample,
		CodeNotes: map[string][]string{sample[1].GUID: {"7f607182-93a4-4fc0-81e2-5d6e7f809102"}},
		SiteGUID:  "8f607182-93a4-4fc0-81e2-5d6e7f809103", DayGUID: "9f607182-93a4-4fc0-81e2-5d6e7f809104",
		Sources: []Source{{
			GUID: "6e5f7081-92a3-4ebf-c0d1-4c5d6e7f8091", Name: "Storefront 2026-11-20", Text: "My friends 👋 carry naloxone.",
			Site: "Storefront", Day: "2026-11-20",
			Whole: []Coding{{GUID: "0a607182-93a4-4fc0-81e2-5d6e7f809105", CodeGUID: sample[1].GUID, UserGUID: "5d4e6f70-8192-4dae-bfc0-3b4c5d6e7f80"}},
			Selections: []Selection{{GUID: "1a607182-93a4-4fc0-81e2-5d6e7f809106", Start: 0, End: 12,
				Codings: []Coding{{GUID: "2a607182-93a4-4fc0-81e2-5d6e7f809107", CodeGUID: sample[0].Children[0].GUID, UserGUID: "5d4e6f70-8192-4dae-bfc0-3b4c5d6e7f80"}}}},
			NoteGUIDs: []string{"3a607182-93a4-4fc0-81e2-5d6e7f809108"},
		}},
		Notes: []Note{{GUID: "3a607182-93a4-4fc0-81e2-5d6e7f809108", Name: "Memo", Text: "Peer supply work.", UserGUID: "5d4e6f70-8192-4dae-bfc0-3b4c5d6e7f80"},
			{GUID: "7f607182-93a4-4fc0-81e2-5d6e7f809102", Name: "Memo", Text: "About stigma."}},
	}
}

func TestProjectIsAValidQDPX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteProject(&buf, testProject()); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil || len(z.File) != 1 || z.File[0].Name != "project.qde" {
		t.Fatalf("zip %v, %v", z, err)
	}
	qde, err := projectXML(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(qde, []byte(`xmlns="urn:QDA-XML:project:1.0"`)) {
		t.Fatalf("project.qde is not in the project namespace:\n%s", qde)
	}
	validate(t, "Project-mrt2019.xsd", qde)
	// The project's codebook imports as the same codes.
	codes, err := ReadCodebook(buf.Bytes())
	if err != nil || !reflect.DeepEqual(codes, sample) {
		t.Fatalf("codebook from the .qdpx: %+v, %v", codes, err)
	}
	bad := testProject()
	bad.Sources[0].Selections[0].End = 400
	if _, err := ProjectXML(bad); err == nil {
		t.Error("a selection past the end of the text was written")
	}
}

// A project with parts left empty is valid too: the schema wants an
// empty Users, CodeBook, Sources or Notes left out, not written empty (an
// organization without memos once exported <Notes></Notes>).
func TestProjectWithEmptyPartsValidates(t *testing.T) {
	noNotes := testProject()
	noNotes.Notes, noNotes.CodeNotes, noNotes.Sources[0].NoteGUIDs = nil, nil, nil
	empty := Project{Name: "New program", Origin: "Chorus",
		SiteGUID: "8f607182-93a4-4fc0-81e2-5d6e7f809103", DayGUID: "9f607182-93a4-4fc0-81e2-5d6e7f809104"}
	for name, p := range map[string]Project{"no notes": noNotes, "nothing yet": empty} {
		qde, err := ProjectXML(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{"Notes", "Users", "CodeBook", "Sources"} {
			if bytes.Contains(qde, []byte("<"+part+"></"+part+">")) {
				t.Errorf("%s: an empty <%s> was written", name, part)
			}
		}
		if out, err := xmllint(t, "Project-mrt2019.xsd", qde); err != nil {
			t.Errorf("%s: xmllint: %v\n%s\n%s", name, err, out, qde)
		}
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, data := range files {
		f, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHostileImportsAreRefused(t *testing.T) {
	var good bytes.Buffer
	if err := WriteCodebook(&good, "", sample); err != nil {
		t.Fatal(err)
	}
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>` +
		`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1f0e3c6a-8d2b-4c55-9a41-0c7e5b9d2a10" name="&lol2;" isCodable="true"/></Codes></CodeBook>`
	xxe := `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
		`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1f0e3c6a-8d2b-4c55-9a41-0c7e5b9d2a10" name="&xxe;" isCodable="true"/></Codes></CodeBook>`
	// A zip bomb: 17 MB of zeros compress to a few kilobytes.
	bomb := zipOf(t, map[string][]byte{"project.qde": bytes.Repeat([]byte{'0'}, MaxXML+1<<20)})
	deep := strings.Repeat(`<Code guid="1f0e3c6a-8d2b-4c55-9a41-0c7e5b9d2a10" name="x" isCodable="true">`, MaxDepth+2) +
		strings.Repeat(`</Code>`, MaxDepth+2)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"entity expansion", []byte(laughs), "entities"},
		{"external entity", []byte(xxe), "entities"},
		{"zip bomb", bomb, "expands to more than"},
		{"path traversal", zipOf(t, map[string][]byte{"../../etc/cron.d/x": []byte("x"), "project.qde": good.Bytes()}), "points outside"},
		{"absolute path", zipOf(t, map[string][]byte{"/etc/passwd": []byte("x")}), "points outside"},
		{"no project", zipOf(t, map[string][]byte{"notes.txt": []byte("x")}), "no project.qde"},
		{"50 MB", bytes.Repeat([]byte(" "), 50<<20), "larger than"},
		{"not XML", []byte("name,colour\nStigma,red\n"), "not well-formed"},
		{"wrong namespace", []byte(`<CodeBook xmlns="urn:other"><Codes/></CodeBook>`), "not well-formed"},
		{"too deep", []byte(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>` + deep + `</Codes></CodeBook>`), "nested more than"},
		{"bad guid", []byte(strings.Replace(good.String(), sample[0].GUID, "not-a-guid", 1)), "no valid guid"},
		{"bad colour", []byte(strings.Replace(good.String(), "#1f6f8b", "red", 1)), "not #rrggbb"},
	} {
		_, err := ReadCodebook(c.data)
		var refused *ImportError
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a refusal saying %q", c.name, err, c.want)
		}
	}
}

// The repaired Codebook.xsd differs from QualCoder's copy only by the two
// kinds of damage testdata/README.md describes.
func TestCodebookSchemaIsTheOriginalRepaired(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	squash := func(s string) string {
		return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u2010", "-")), "")
	}
	if squash(read("Codebook.xsd")) != squash(read("Codebook.qualcoder-original.xsd")) {
		t.Fatal("Codebook.xsd differs from the original by more than spaces and hyphens")
	}
}

func FuzzReadCodebook(f *testing.F) {
	var good bytes.Buffer
	if err := WriteCodebook(&good, "", sample); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add(zipOf(&testing.T{}, map[string][]byte{"project.qde": []byte("<Project/>")}))
	f.Fuzz(func(t *testing.T, data []byte) {
		codes, err := ReadCodebook(data)
		if err == nil && len(codes) == 0 {
			t.Fatal("no error and no codes")
		}
	})
}
