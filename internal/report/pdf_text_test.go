package report_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// pdfFile is a PDF as the tests read it: objects found through the
// cross-reference table, the way a viewer finds them.
type pdfFile struct {
	data    []byte
	offsets map[int]int
}

var (
	reStartXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reRef       = regexp.MustCompile(`(\d+) 0 R`)
	reLength    = regexp.MustCompile(`/Length (\d+)\s`)
	reBfRange   = regexp.MustCompile(`<([0-9A-F]{4})><([0-9A-F]{4})><([0-9A-F]{4,})>`)
	reFontUse   = regexp.MustCompile(`^/(F\d+) [\d.]+ Tf`)
	reHex       = regexp.MustCompile(`<([0-9A-F]*)>`)
)

// parsePDF checks the magic, the trailer and every cross-reference entry.
func parsePDF(t *testing.T, data []byte) *pdfFile {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) {
		t.Fatalf("no %%PDF magic: %q", data[:min(len(data), 16)])
	}
	m := reStartXref.FindSubmatch(data)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(data) || !bytes.HasPrefix(data[xref:], []byte("xref")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	lines := strings.Split(string(data[xref:]), "\n")
	var first, n int
	if _, err := fmt.Sscanf(lines[1], "%d %d", &first, &n); err != nil {
		t.Fatalf("xref header %q: %v", lines[1], err)
	}
	f := &pdfFile{data: data, offsets: map[int]int{}}
	for i := 1; i < n; i++ {
		var off, gen int
		var kind string
		if _, err := fmt.Sscanf(lines[2+i], "%d %d %s", &off, &gen, &kind); err != nil || kind != "n" {
			t.Fatalf("xref entry %d: %q", i, lines[2+i])
		}
		if !bytes.HasPrefix(data[off:], fmt.Appendf(nil, "%d 0 obj", first+i)) {
			t.Fatalf("xref entry %d points at %q", first+i, data[off:min(off+12, len(data))])
		}
		f.offsets[first+i] = off
	}
	return f
}

// object returns an object's dictionary and its stream, decompressed.
func (f *pdfFile) object(t *testing.T, id int) (string, []byte) {
	t.Helper()
	off, ok := f.offsets[id]
	if !ok {
		t.Fatalf("no object %d", id)
	}
	body := f.data[off:]
	end := bytes.Index(body, []byte("endobj"))
	s := bytes.Index(body, []byte("stream\n"))
	if s < 0 || s > end {
		return string(body[:end]), nil
	}
	dict := string(body[:s])
	m := reLength.FindStringSubmatch(dict)
	if m == nil {
		t.Fatalf("object %d: stream without /Length", id)
	}
	n, _ := strconv.Atoi(m[1])
	stream := body[s+len("stream\n") : s+len("stream\n")+n]
	if strings.Contains(dict, "/FlateDecode") {
		r, err := zlib.NewReader(bytes.NewReader(stream))
		if err != nil {
			t.Fatalf("object %d: %v", id, err)
		}
		if stream, err = io.ReadAll(r); err != nil {
			t.Fatalf("object %d: %v", id, err)
		}
	}
	return dict, stream
}

// ref reads the object number after key in a dictionary.
func ref(t *testing.T, dict, key string) int {
	t.Helper()
	i := strings.Index(dict, key+" ")
	if i < 0 {
		t.Fatalf("no %s in %q", key, dict)
	}
	m := reRef.FindStringSubmatch(dict[i:])
	id, _ := strconv.Atoi(m[1])
	return id
}

// pages returns the strings each page shows, in drawing order, decoded
// through each font's ToUnicode map.
func (f *pdfFile) pages(t *testing.T) [][]string {
	t.Helper()
	trailer := string(f.data[bytes.LastIndex(f.data, []byte("trailer")):])
	catalog, _ := f.object(t, ref(t, trailer, "/Root"))
	pagesDict, _ := f.object(t, ref(t, catalog, "/Pages"))
	kids := pagesDict[strings.Index(pagesDict, "/Kids"):]
	kids = kids[:strings.Index(kids, "]")]
	var out [][]string
	for _, m := range reRef.FindAllStringSubmatch(kids, -1) {
		id, _ := strconv.Atoi(m[1])
		page, _ := f.object(t, id)
		resources, _ := f.object(t, ref(t, page, "/Resources"))
		_, content := f.object(t, ref(t, page, "/Contents"))
		out = append(out, f.texts(t, resources, content))
	}
	var count int
	fmt.Sscanf(pagesDict[strings.Index(pagesDict, "/Count"):], "/Count %d", &count)
	if count != len(out) {
		t.Fatalf("/Count %d, but %d kids", count, len(out))
	}
	return out
}

func (f *pdfFile) texts(t *testing.T, resources string, content []byte) []string {
	t.Helper()
	maps := map[string]map[int]rune{}
	var font map[int]rune
	var out []string
	for _, line := range strings.Split(string(content), "\n") {
		if m := reFontUse.FindStringSubmatch(line); m != nil {
			if maps[m[1]] == nil {
				maps[m[1]] = f.toUnicode(t, resources, m[1])
			}
			font = maps[m[1]]
			continue
		}
		if !strings.HasSuffix(line, "] TJ") {
			continue
		}
		var s strings.Builder
		for _, h := range reHex.FindAllStringSubmatch(line, -1) {
			for i := 0; i+4 <= len(h[1]); i += 4 {
				g, _ := strconv.ParseUint(h[1][i:i+4], 16, 16)
				r, ok := font[int(g)]
				if !ok {
					t.Fatalf("glyph %04X has no ToUnicode entry", g)
				}
				s.WriteRune(r)
			}
		}
		out = append(out, s.String())
	}
	return out
}

// toUnicode reads the glyph-to-character map of a font resource.
func (f *pdfFile) toUnicode(t *testing.T, resources, name string) map[int]rune {
	t.Helper()
	fontDict, _ := f.object(t, ref(t, resources, "/"+name))
	_, cmap := f.object(t, ref(t, fontDict, "/ToUnicode"))
	out := map[int]rune{}
	for _, m := range reBfRange.FindAllStringSubmatch(string(cmap), -1) {
		lo, _ := strconv.ParseUint(m[1], 16, 16)
		hi, _ := strconv.ParseUint(m[2], 16, 16)
		r, _ := strconv.ParseUint(m[3], 16, 32)
		for g := lo; g <= hi; g++ {
			out[int(g)] = rune(r + g - lo)
		}
	}
	if len(out) == 0 {
		t.Fatalf("font %s has an empty ToUnicode map", name)
	}
	return out
}
