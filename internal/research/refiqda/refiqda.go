// Package refiqda reads and writes the REFI-QDA exchange formats (QDA-XML
// 1.0, www.qdasoftware.org) so a codebook and a coded project can move
// between Chorus and ATLAS.ti, NVivo, MAXQDA or QualCoder: a codebook
// (.qdc, namespace urn:QDA-XML:codebook:1.0) both ways, and a project
// (.qdpx: a zip holding project.qde, namespace urn:QDA-XML:project:1.0)
// out. Reading treats every file as hostile: size, entries, paths, nesting
// and entity declarations are all checked before anything is believed.
package refiqda

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// The two namespaces of QDA-XML 1.0.
const (
	CodebookNamespace = "urn:QDA-XML:codebook:1.0"
	ProjectNamespace  = "urn:QDA-XML:project:1.0"
)

// Limits on what an import may hold.
const (
	// MaxUpload is the largest file read at all.
	MaxUpload = 8 << 20
	// MaxXML is the most a project.qde inside a .qdpx may expand to.
	MaxXML = 16 << 20
	// MaxZipEntries is the most files a .qdpx may list.
	MaxZipEntries = 1000
	// MaxCodes and MaxDepth bound a codebook.
	MaxCodes = 5000
	MaxDepth = 12
)

// ImportError is a file refused on import, with a reason a person can act
// on. Nothing has been stored when it is returned.
type ImportError struct{ Reason string }

func (e *ImportError) Error() string { return "import refused: " + e.Reason }

func refuse(format string, args ...any) error {
	return &ImportError{Reason: fmt.Sprintf(format, args...)}
}

// Code is one code of a codebook, with its subcodes.
type Code struct {
	GUID        string
	Name        string
	Description string
	// Color is "#rrggbb" (lower case) or empty.
	Color    string
	Children []Code
}

type xmlCode struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	IsCodable   bool      `xml:"isCodable,attr"`
	Color       string    `xml:"color,attr,omitempty"`
	Description string    `xml:"Description,omitempty"`
	NoteRefs    []noteRef `xml:"NoteRef,omitempty"`
	Codes       []xmlCode `xml:"Code"`
}

type xmlCodebook struct {
	XMLName xml.Name  `xml:"urn:QDA-XML:codebook:1.0 CodeBook"`
	Origin  string    `xml:"origin,attr,omitempty"`
	Codes   []xmlCode `xml:"Codes>Code"`
}

func toXML(codes []Code, notes map[string][]string) []xmlCode {
	out := make([]xmlCode, len(codes))
	for i, c := range codes {
		out[i] = xmlCode{GUID: c.GUID, Name: c.Name, IsCodable: true, Color: c.Color, Description: c.Description, Codes: toXML(c.Children, notes)}
		for _, n := range notes[c.GUID] {
			out[i].NoteRefs = append(out[i].NoteRefs, noteRef{Target: n})
		}
	}
	return out
}

// WriteCodebook writes a .qdc codebook.
func WriteCodebook(w io.Writer, origin string, codes []Code) error {
	if len(codes) == 0 {
		return errors.New("a REFI-QDA codebook needs at least one code")
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(xmlCodebook{Origin: origin, Codes: toXML(codes, nil)}); err != nil {
		return fmt.Errorf("write codebook: %w", err)
	}
	return enc.Close()
}

var (
	declaration = regexp.MustCompile(`(?i)<!(DOCTYPE|ENTITY)`)
	guidPattern = regexp.MustCompile(`^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$`)
	rgbPattern  = regexp.MustCompile(`^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$`)
)

// decodeXML parses QDA-XML into dst after refusing any document type or
// entity declaration: QDA-XML needs neither, and they are how entity
// expansion ("billion laughs") and external entities (XXE) attack.
func decodeXML(data []byte, dst any) error {
	if declaration.Match(data) {
		return refuse("the file declares a document type or entities, which REFI-QDA files never need")
	}
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	dec.Strict = true
	if err := dec.Decode(dst); err != nil {
		return refuse("the file is not well-formed QDA-XML (%v)", err)
	}
	return nil
}

func fromXML(list []xmlCode, depth int, count *int) ([]Code, error) {
	if depth > MaxDepth {
		return nil, refuse("codes are nested more than %d deep", MaxDepth)
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]Code, 0, len(list))
	for _, x := range list {
		*count++
		if *count > MaxCodes {
			return nil, refuse("the codebook has more than %d codes", MaxCodes)
		}
		name := strings.TrimSpace(x.Name)
		switch {
		case !guidPattern.MatchString(x.GUID):
			return nil, refuse("code %q has no valid guid", name)
		case name == "" || len([]rune(name)) > 200:
			return nil, refuse("a code's name must be 1 to 200 characters")
		case x.Color != "" && !rgbPattern.MatchString(x.Color):
			return nil, refuse("code %q has colour %q, not #rrggbb", name, x.Color)
		case len([]rune(x.Description)) > 16000:
			return nil, refuse("code %q has a description over 16,000 characters", name)
		}
		children, err := fromXML(x.Codes, depth+1, count)
		if err != nil {
			return nil, err
		}
		out = append(out, Code{GUID: strings.Trim(strings.ToLower(x.GUID), "{}"), Name: name, Description: x.Description,
			Color: normalColor(x.Color), Children: children})
	}
	return out, nil
}

// normalColor writes #abc as #aabbcc, in lower case.
func normalColor(c string) string {
	c = strings.ToLower(c)
	if len(c) == 4 {
		return "#" + strings.Repeat(c[1:2], 2) + strings.Repeat(c[2:3], 2) + strings.Repeat(c[3:4], 2)
	}
	return c
}

// ReadCodebook reads the codebook of an uploaded file: a .qdc, or the
// codebook inside a .qdpx project.
func ReadCodebook(data []byte) ([]Code, error) {
	if len(data) > MaxUpload {
		return nil, refuse("the file is larger than %d MB", MaxUpload>>20)
	}
	if len(data) == 0 {
		return nil, refuse("the file is empty")
	}
	var list []xmlCode
	if isZip(data) {
		qde, err := projectXML(data)
		if err != nil {
			return nil, err
		}
		var p struct {
			XMLName xml.Name  `xml:"urn:QDA-XML:project:1.0 Project"`
			Codes   []xmlCode `xml:"CodeBook>Codes>Code"`
		}
		if err := decodeXML(qde, &p); err != nil {
			return nil, err
		}
		list = p.Codes
	} else {
		var cb xmlCodebook
		if err := decodeXML(data, &cb); err != nil {
			return nil, err
		}
		list = cb.Codes
	}
	count := 0
	codes, err := fromXML(list, 1, &count)
	if err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, refuse("the file holds no codes")
	}
	return codes, nil
}
