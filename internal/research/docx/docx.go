// Package docx reads the text of a Word (.docx) transcript: the
// paragraphs of word/document.xml, one line each. An uploaded file is
// hostile until proven otherwise, so the zip and its XML are read within
// hard limits (MaxFile, MaxEntries, MaxTotal, MaxDocument, MaxDepth,
// MaxText), entry names that leave the archive are refused, and a
// document type or entity declaration is refused before it is read.
// Nothing here stores anything: the caller scrubs the text it returns.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chorus-hr/chorus/internal/research/ziplimit"
)

// Limits on what an upload may hold. A two-hour transcript is well
// under all of them.
const (
	// MaxFile is the largest .docx read at all (as sent: the JSON body
	// that carries it in base64 must stay under the API's 1 MB).
	MaxFile = 700 << 10
	// MaxEntries is the most files the zip may list.
	MaxEntries = 500
	// MaxTotal is the most all entries together may claim to expand to.
	MaxTotal = 64 << 20
	// MaxDocument is the most word/document.xml may expand to, whatever
	// its header claims (zip bombs stop here).
	MaxDocument = 16 << 20
	// MaxDepth is the deepest element nesting read (Word nests tables in
	// tables, but not this deep).
	MaxDepth = 128
	// MaxText is the most text, in bytes, a document may give.
	MaxText = 2 << 20
)

// Error is a file refused, with a reason a person can act on.
type Error struct{ Reason string }

func (e *Error) Error() string { return "docx refused: " + e.Reason }

func refuse(format string, args ...any) error {
	return &Error{Reason: fmt.Sprintf(format, args...)}
}

// WordprocessingML's namespaces: transitional (what Word writes) and
// strict.
const (
	nsMain   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	// nsCompat is markup compatibility: mc:Fallback repeats mc:Choice
	// (a text box in two forms), so it is skipped.
	nsCompat = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// Text returns the document's paragraphs, one per line, with tabs and
// line breaks kept. Deleted tracked changes, field codes and everything
// outside word/document.xml (comments, headers, properties) are left out.
func Text(data []byte) (string, error) {
	if len(data) > MaxFile {
		return "", refuse("the .docx is larger than %d KB", MaxFile>>10)
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", refuse("the file is not a Word document (.docx)")
	}
	doc, err := documentEntry(z)
	if err != nil {
		return "", err
	}
	xmlData, err := ziplimit.Read(doc, MaxDocument)
	switch {
	case errors.Is(err, ziplimit.ErrTooLarge):
		return "", refuse("the document expands to more than %d MB", MaxDocument>>20)
	case err != nil:
		return "", refuse("the document cannot be read (%v)", err)
	}
	text, err := paragraphs(xmlData)
	if err != nil {
		return "", err
	}
	if text == "" {
		return "", refuse("the document holds no text")
	}
	return text, nil
}

// documentEntry checks the zip's entries and returns word/document.xml.
func documentEntry(z *zip.Reader) (*zip.File, error) {
	if len(z.File) > MaxEntries {
		return nil, refuse("the .docx lists more than %d files", MaxEntries)
	}
	var total uint64
	var doc *zip.File
	for _, f := range z.File {
		if !ziplimit.SafeName(f.Name) {
			return nil, refuse("the .docx holds a file named %q, which points outside it", f.Name)
		}
		total += f.UncompressedSize64
		if total > MaxTotal {
			return nil, refuse("the .docx expands to more than %d MB", MaxTotal>>20)
		}
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return nil, refuse("the file is not a Word document (.docx): it has no word/document.xml")
	}
	return doc, nil
}

// reader walks document.xml's tokens and collects the text.
type reader struct {
	lines []string
	line  strings.Builder
	size  int
	// inText counts open w:t elements; skip counts open elements whose
	// content is left out (deleted text, field codes, fallbacks).
	inText, skip int
}

func wordName(n xml.Name, local string) bool {
	return n.Local == local && (n.Space == nsMain || n.Space == nsStrict)
}

// paragraphs reads WordprocessingML: each w:p is a line; w:t is text,
// w:tab a tab, w:br and w:cr a line break.
func paragraphs(data []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var r reader
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", refuse("the document is not well-formed XML (%v)", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return "", refuse("the document declares a document type or entities, which Word documents never need")
		case xml.StartElement:
			if depth++; depth > MaxDepth {
				return "", refuse("the document nests elements more than %d deep", MaxDepth)
			}
			r.start(t.Name)
		case xml.EndElement:
			depth--
			r.end(t.Name)
		case xml.CharData:
			if r.inText > 0 && r.skip == 0 {
				r.write(string(t))
			}
		}
		if r.size > MaxText {
			return "", refuse("the document holds more than %d MB of text", MaxText>>20)
		}
	}
	r.flush()
	return strings.TrimSpace(strings.Join(r.lines, "\n")), nil
}

func skipped(n xml.Name) bool {
	return wordName(n, "delText") || wordName(n, "instrText") || wordName(n, "delInstrText") ||
		(n.Space == nsCompat && n.Local == "Fallback")
}

func (r *reader) start(n xml.Name) {
	switch {
	case skipped(n):
		r.skip++
	case r.skip > 0:
	case wordName(n, "p"):
		// A paragraph inside another (a text box) starts a line of its own.
		if r.line.Len() > 0 {
			r.flush()
		}
	case wordName(n, "t"):
		r.inText++
	case wordName(n, "tab"):
		r.write("\t")
	case wordName(n, "br"), wordName(n, "cr"):
		r.write("\n")
	case wordName(n, "noBreakHyphen"):
		r.write("-")
	}
}

func (r *reader) end(n xml.Name) {
	switch {
	case skipped(n):
		r.skip--
	case r.skip > 0:
	case wordName(n, "t"):
		r.inText--
	case wordName(n, "p"):
		r.flush()
	}
}

func (r *reader) write(s string) {
	r.line.WriteString(s)
	r.size += len(s)
}

func (r *reader) flush() {
	r.lines = append(r.lines, strings.TrimRight(r.line.String(), " \t"))
	r.line.Reset()
}
