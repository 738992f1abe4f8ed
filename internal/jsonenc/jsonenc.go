// Package jsonenc appends JSON values to a buffer without encoding/json's
// reflection, for the few messages written for every vote. What it writes
// is byte for byte what json.Marshal writes.
package jsonenc

import "encoding/json"

// AppendString appends s as a JSON string. Printable ASCII that
// json.Marshal leaves as it is (ids, hashes, codes) is copied; anything
// else is left to json.Marshal.
func AppendString(dst []byte, s string) []byte {
	if !plain(s) {
		b, _ := json.Marshal(s)
		return append(dst, b...)
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// plain reports whether json.Marshal writes s as it is between quotes:
// printable ASCII, none of it escaped.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}
