package ziplimit

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"strings"
	"testing"
)

func TestSafeName(t *testing.T) {
	for name, want := range map[string]bool{
		"project.qde": true, "word/document.xml": true, "word/": true, "sources/a b.txt": true,
		"": false, "../x": false, "word/../../x": false, "/etc/passwd": false, `word\..\x`: false,
		"C:/x": false, "a\x00b": false, "word/./x": false, "word//x": false,
	} {
		if got := SafeName(name); got != want {
			t.Errorf("SafeName(%q) = %v, want %v", name, got, want)
		}
	}
}

// entry zips data under one name whose header claims size.
func entry(t *testing.T, data []byte, size uint64) *zip.File {
	t.Helper()
	var comp bytes.Buffer
	w, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	f, err := z.CreateRaw(&zip.FileHeader{Name: "x", Method: zip.Deflate, CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(comp.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return r.File[0]
}

func TestReadStopsAtTheLimitWhateverTheHeaderSays(t *testing.T) {
	big := []byte(strings.Repeat("0", 1<<20))
	if _, err := Read(entry(t, big, 1<<20), 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("an honest header over the limit: %v", err)
	}
	// A header that claims less than the data: read through the limit, the
	// read stops (too large, or the zip's own size check refuses it).
	if out, err := Read(entry(t, big, 10), 1000); err == nil || len(out) > 1000 {
		t.Errorf("a lying header: %d bytes, %v", len(out), err)
	}
	if out, err := Read(entry(t, []byte("hello"), 5), 1000); err != nil || string(out) != "hello" {
		t.Errorf("a small entry: %q, %v", out, err)
	}
	if out, err := Read(entry(t, []byte(strings.Repeat("a", 1000)), 1000), 1000); err != nil || len(out) != 1000 {
		t.Errorf("exactly the limit: %d, %v", len(out), err)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"project.qde", "../x", "a/b/../c", "/x", `a\b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if !SafeName(name) {
			return
		}
		for _, part := range strings.Split(name, "/") {
			if part == ".." {
				t.Fatalf("%q passed with a .. part", name)
			}
		}
		if strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00:") {
			t.Fatalf("%q passed", name)
		}
	})
}
