// Package ziplimit reads zip files that people upload (a .qdpx project,
// a .docx transcript) as hostile until proven otherwise: entry names that
// leave the archive are refused, and an entry is read through a limit
// whatever size its header claims, so a zip bomb stops at the limit.
package ziplimit

import (
	"archive/zip"
	"errors"
	"io"
	"path"
	"strings"
)

// ErrTooLarge is returned by Read when an entry expands past its limit.
var ErrTooLarge = errors.New("zip entry expands past its limit")

// SafeName reports whether a zip entry's name stays inside the archive:
// no absolute path, drive letter, backslash, NUL or "..".
func SafeName(name string) bool {
	if name == "" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") || strings.Contains(name, ":") {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return false
		}
	}
	return path.Clean(name) == strings.TrimSuffix(name, "/") || strings.HasSuffix(name, "/")
}

// Read returns f's content, or ErrTooLarge once it passes limit bytes,
// whether its header said so or not.
func Read(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, ErrTooLarge
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, ErrTooLarge
	}
	return out, nil
}
