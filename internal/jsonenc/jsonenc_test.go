package jsonenc

import (
	"bytes"
	"encoding/json"
	"testing"
)

// AppendString writes what json.Marshal writes, whatever the string.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "3f2c5d2e-8d3a-4c55-9d0b-6c1d2f3a4b5c", `a"b\c`, "<&>", "é\x00\u2028", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString([]byte("x"), s); !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Fatalf("AppendString(%q) = %s, json.Marshal %s", s, got[1:], want)
		}
	})
}
