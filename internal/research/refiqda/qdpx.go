package refiqda

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/chorus-hr/chorus/internal/research/ziplimit"
)

// User is a coder, by GUID.
type User struct{ GUID, Name string }

// Coding applies a code (by GUID) as a user did.
type Coding struct{ GUID, CodeGUID, UserGUID string }

// Selection is a span of a source's text, in characters (code points),
// [Start, End), with the codings applied to it.
type Selection struct {
	GUID       string
	Start, End int
	Codings    []Coding
}

// Source is one text: its plain text, where and when it was said, the
// codings on the whole of it and on parts of it, and its notes.
type Source struct {
	GUID, Name, Text string
	Site             string
	Day              string // YYYY-MM-DD
	Whole            []Coding
	Selections       []Selection
	NoteGUIDs        []string
}

// Note is a memo.
type Note struct{ GUID, Name, Text, UserGUID string }

// Project is everything a .qdpx carries.
type Project struct {
	Name, Origin string
	Created      time.Time
	Users        []User
	Codes        []Code
	// CodeNotes are notes on codes, by code GUID.
	CodeNotes map[string][]string
	Sources   []Source
	Notes     []Note
	// SiteGUID and DayGUID name the two variables every source carries.
	SiteGUID, DayGUID string
}

type noteRef struct {
	Target string `xml:"targetGUID,attr"`
}

type xmlProject struct {
	XMLName xml.Name `xml:"urn:QDA-XML:project:1.0 Project"`
	Name    string   `xml:"name,attr"`
	Origin  string   `xml:"origin,attr,omitempty"`
	Created string   `xml:"creationDateTime,attr,omitempty"`
	// Users, CodeBook, Sources and Notes are pointers: the schema wants
	// each left out when it has nothing in it, and encoding/xml writes an
	// empty <Notes></Notes> for an empty "Notes>Note" slice, omitempty or
	// not (an organization without memos exported an invalid project).
	Users     *xmlUsers     `xml:"Users,omitempty"`
	CodeBook  *xmlCodeBook  `xml:"CodeBook,omitempty"`
	Variables []xmlVariable `xml:"Variables>Variable"`
	Sources   *xmlSources   `xml:"Sources,omitempty"`
	Notes     *xmlNotes     `xml:"Notes,omitempty"`
}

type xmlUsers struct {
	List []xmlUser `xml:"User"`
}

type xmlCodeBook struct {
	Codes []xmlCode `xml:"Codes>Code"`
}

type xmlSources struct {
	List []xmlSource `xml:"TextSource"`
}

type xmlNotes struct {
	List []xmlTextNote `xml:"Note"`
}

type xmlUser struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr,omitempty"`
}

type xmlVariable struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr"`
	Type string `xml:"typeOfVariable,attr"`
}

type xmlCoding struct {
	GUID    string  `xml:"guid,attr"`
	User    string  `xml:"creatingUser,attr,omitempty"`
	CodeRef noteRef `xml:"CodeRef"`
}

type xmlSelection struct {
	GUID    string      `xml:"guid,attr"`
	Start   int         `xml:"startPosition,attr"`
	End     int         `xml:"endPosition,attr"`
	Codings []xmlCoding `xml:"Coding"`
}

type xmlValue struct {
	Ref  noteRef `xml:"VariableRef"`
	Text *string `xml:"TextValue,omitempty"`
	Date *string `xml:"DateValue,omitempty"`
}

type xmlSource struct {
	GUID       string         `xml:"guid,attr"`
	Name       string         `xml:"name,attr,omitempty"`
	Content    string         `xml:"PlainTextContent"`
	Selections []xmlSelection `xml:"PlainTextSelection"`
	Codings    []xmlCoding    `xml:"Coding"`
	NoteRefs   []noteRef      `xml:"NoteRef"`
	Values     []xmlValue     `xml:"VariableValue"`
}

type xmlTextNote struct {
	GUID    string `xml:"guid,attr"`
	Name    string `xml:"name,attr,omitempty"`
	User    string `xml:"creatingUser,attr,omitempty"`
	Content string `xml:"PlainTextContent"`
}

func codings(list []Coding) []xmlCoding {
	out := make([]xmlCoding, len(list))
	for i, c := range list {
		out[i] = xmlCoding{GUID: c.GUID, User: c.UserGUID, CodeRef: noteRef{Target: c.CodeGUID}}
	}
	return out
}

// sourceXML renders one text source with its codings, notes and the
// site and day variables.
func sourceXML(s Source, siteGUID, dayGUID string) (xmlSource, error) {
	site, day := s.Site, s.Day
	xs := xmlSource{GUID: s.GUID, Name: s.Name, Content: s.Text, Codings: codings(s.Whole),
		Values: []xmlValue{{Ref: noteRef{siteGUID}, Text: &site}, {Ref: noteRef{dayGUID}, Date: &day}}}
	for _, sel := range s.Selections {
		if sel.Start < 0 || sel.End <= sel.Start || sel.End > utf8.RuneCountInString(s.Text) {
			return xs, fmt.Errorf("selection %s lies outside source %s", sel.GUID, s.GUID)
		}
		xs.Selections = append(xs.Selections, xmlSelection{GUID: sel.GUID, Start: sel.Start, End: sel.End, Codings: codings(sel.Codings)})
	}
	for _, n := range s.NoteGUIDs {
		xs.NoteRefs = append(xs.NoteRefs, noteRef{Target: n})
	}
	return xs, nil
}

// ProjectXML renders project.qde.
func ProjectXML(p Project) ([]byte, error) {
	x := xmlProject{Name: p.Name, Origin: p.Origin,
		Variables: []xmlVariable{{GUID: p.SiteGUID, Name: "Site", Type: "Text"}, {GUID: p.DayGUID, Name: "Day", Type: "Date"}}}
	if !p.Created.IsZero() {
		x.Created = p.Created.UTC().Format(time.RFC3339)
	}
	var users []xmlUser
	for _, u := range p.Users {
		users = append(users, xmlUser(u))
	}
	var sources []xmlSource
	for _, s := range p.Sources {
		xs, err := sourceXML(s, p.SiteGUID, p.DayGUID)
		if err != nil {
			return nil, err
		}
		sources = append(sources, xs)
	}
	var notes []xmlTextNote
	for _, n := range p.Notes {
		notes = append(notes, xmlTextNote{GUID: n.GUID, Name: n.Name, User: n.UserGUID, Content: n.Text})
	}
	if len(users) > 0 {
		x.Users = &xmlUsers{users}
	}
	if codes := toXML(p.Codes, p.CodeNotes); len(codes) > 0 {
		x.CodeBook = &xmlCodeBook{codes}
	}
	if len(sources) > 0 {
		x.Sources = &xmlSources{sources}
	}
	if len(notes) > 0 {
		x.Notes = &xmlNotes{notes}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(x); err != nil {
		return nil, fmt.Errorf("write project: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteProject writes a .qdpx: a zip holding project.qde.
func WriteProject(w io.Writer, p Project) error {
	qde, err := ProjectXML(p)
	if err != nil {
		return err
	}
	z := zip.NewWriter(w)
	f, err := z.CreateHeader(&zip.FileHeader{Name: "project.qde", Method: zip.Deflate, Modified: p.Created})
	if err != nil {
		return err
	}
	if _, err := f.Write(qde); err != nil {
		return err
	}
	return z.Close()
}

func isZip(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06"))
}

// projectXML returns project.qde from a .qdpx, refusing unsafe entry names,
// too many entries, and content that expands past MaxXML whatever its
// header claims.
func projectXML(data []byte) ([]byte, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, refuse("the file is not a readable .qdpx zip (%v)", err)
	}
	if len(z.File) > MaxZipEntries {
		return nil, refuse("the .qdpx lists more than %d files", MaxZipEntries)
	}
	var qde *zip.File
	for _, f := range z.File {
		if !ziplimit.SafeName(f.Name) {
			return nil, refuse("the .qdpx holds a file named %q, which points outside it", f.Name)
		}
		if f.Name == "project.qde" {
			qde = f
		}
	}
	if qde == nil {
		return nil, refuse("the .qdpx holds no project.qde")
	}
	out, err := ziplimit.Read(qde, MaxXML)
	switch {
	case errors.Is(err, ziplimit.ErrTooLarge):
		return nil, refuse("project.qde expands to more than %d MB", MaxXML>>20)
	case err != nil:
		return nil, refuse("project.qde cannot be read (%v)", err)
	}
	return out, nil
}
