package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// document wraps body in a WordprocessingML document.
func document(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + body + `</w:body></w:document>`
}

// build zips files, in order, the way Word lays out a .docx.
func build(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range files {
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

const contentTypes = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`

func wordFile(t testing.TB, body string) []byte {
	return build(t, [2]string{"[Content_Types].xml", contentTypes}, [2]string{"word/document.xml", document(body)})
}

func TestTextReadsParagraphsAsLines(t *testing.T) {
	body := `<w:p><w:r><w:t>Facilitator: Who looks out for you?</w:t></w:r></w:p>` +
		// Runs join; a tab and a line break are kept; &amp; is text.
		`<w:p><w:r><w:t xml:space="preserve">R1: My friends </w:t></w:r><w:r><w:t>do &amp; we</w:t><w:tab/><w:t>stay.</w:t><w:br/><w:t>Always.</w:t></w:r></w:p>` +
		// A tracked deletion and a field code are not the text.
		`<w:p><w:del><w:r><w:delText>Call Sam.</w:delText></w:r></w:del><w:r><w:instrText> HYPERLINK "x" </w:instrText><w:t>R2: New supplies.</w:t></w:r></w:p>` +
		// A table's cells are paragraphs too.
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>R3</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Test strips.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
		// A text box is written twice; its fallback is skipped.
		`<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>Boxed.</w:t></mc:Choice><mc:Fallback><w:t>Boxed.</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>`
	got, err := Text(wordFile(t, body))
	if err != nil {
		t.Fatal(err)
	}
	want := "Facilitator: Who looks out for you?\nR1: My friends do & we\tstay.\nAlways.\nR2: New supplies.\nR3\nTest strips.\nBoxed."
	if got != want {
		t.Fatalf("text\n%q\nwant\n%q", got, want)
	}
}

func TestStrictOOXMLIsRead(t *testing.T) {
	doc := `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>Strict.</w:t></w:r></w:p></w:body></w:document>`
	got, err := Text(build(t, [2]string{"word/document.xml", doc}))
	if err != nil || got != "Strict." {
		t.Fatalf("%q, %v", got, err)
	}
}

// rawEntry writes one entry whose header claims size, whatever its data.
func rawEntry(t testing.TB, z *zip.Writer, name string, method uint16, data []byte, size uint64) {
	t.Helper()
	w, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: method, CompressedSize64: uint64(len(data)), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
}

func deflated(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostile builds the files an attacker (or a broken tool) might send.
func hostile(t testing.TB) map[string][]byte {
	bomb := document(`<w:p><w:r><w:t>` + strings.Repeat("a", MaxDocument) + `</w:t></w:r></w:p>`)
	lying := func() []byte {
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		rawEntry(t, z, "word/document.xml", zip.Deflate, deflated(t, []byte(bomb)), 1000)
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	claimsTooMuch := func() []byte {
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		rawEntry(t, z, "word/media/a.bin", zip.Store, []byte("x"), MaxTotal)
		rawEntry(t, z, "word/media/b.bin", zip.Store, []byte("x"), 1)
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	many := make([][2]string, MaxEntries+1)
	for i := range many {
		many[i] = [2]string{fmt.Sprintf("word/f%d.xml", i), "x"}
	}
	many[0] = [2]string{"word/document.xml", document(`<w:p><w:r><w:t>x</w:t></w:r></w:p>`)}
	return map[string][]byte{
		"not a zip":            []byte("R1: my number is 555-0199"),
		"too large":            append(wordFile(t, `<w:p><w:r><w:t>x</w:t></w:r></w:p>`), make([]byte, MaxFile)...),
		"path traversal":       build(t, [2]string{"../../etc/cron.d/x", "x"}, [2]string{"word/document.xml", document("")}),
		"absolute path":        build(t, [2]string{"/etc/passwd", "x"}, [2]string{"word/document.xml", document("")}),
		"zip bomb":             build(t, [2]string{"word/document.xml", bomb}),
		"zip bomb, lying size": lying,
		"claims too much":      claimsTooMuch,
		"too many entries":     build(t, many...),
		"entity expansion": build(t, [2]string{"word/document.xml", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>`}),
		"external entity": build(t, [2]string{"word/document.xml", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`}),
		"undeclared entity": wordFile(t, `<w:p><w:r><w:t>&x;</w:t></w:r></w:p>`),
		"deep nesting":      wordFile(t, strings.Repeat("<w:sdt>", MaxDepth)+strings.Repeat("</w:sdt>", MaxDepth)),
		"malformed":         build(t, [2]string{"word/document.xml", "<w:document"}),
		"no document":       build(t, [2]string{"xl/workbook.xml", "<workbook/>"}),
		"no text":           wordFile(t, `<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>`),
	}
}

// Each hostile file is refused for its own reason, not by accident.
var wantReason = map[string]string{
	"not a zip": "not a Word document", "too large": "larger than 700 KB",
	"path traversal": "points outside it", "absolute path": "points outside it",
	"zip bomb": "expands to more than 16 MB", "zip bomb, lying size": "cannot be read",
	"claims too much": "expands to more than 64 MB", "too many entries": "more than 500 files",
	"entity expansion": "declares a document type", "external entity": "declares a document type",
	"undeclared entity": "not well-formed", "deep nesting": "more than 128 deep", "malformed": "not well-formed",
	"no document": "no word/document.xml", "no text": "holds no text",
}

func TestHostileFilesAreRefused(t *testing.T) {
	files := hostile(t)
	if len(files) != len(wantReason) {
		t.Fatalf("%d hostile files, %d reasons", len(files), len(wantReason))
	}
	for name, data := range files {
		got, err := Text(data)
		var refused *Error
		if !errors.As(err, &refused) || !strings.Contains(refused.Reason, wantReason[name]) {
			t.Errorf("%s: %q, %v; want refused: %s", name, got, err, wantReason[name])
		}
	}
}

func TestTextStopsAtMaxText(t *testing.T) {
	// Many small paragraphs compress well and expand to more text than
	// any transcript: refused as it is read, not after.
	p := `<w:p><w:r><w:t>` + strings.Repeat("b", 1000) + `</w:t></w:r></w:p>`
	_, err := Text(wordFile(t, strings.Repeat(p, MaxText/1000+1)))
	var refused *Error
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "MB of text") {
		t.Fatalf("%v; want refused for too much text", err)
	}
}

func FuzzText(f *testing.F) {
	f.Add(wordFile(f, `<w:p><w:r><w:t>R1: hello</w:t></w:r></w:p>`))
	for _, data := range hostile(f) {
		if len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := Text(data)
		var refused *Error
		if err != nil && !errors.As(err, &refused) {
			t.Fatalf("an error that is not a refusal: %v", err)
		}
		if len(text) > MaxText {
			t.Fatalf("%d bytes of text", len(text))
		}
	})
}
