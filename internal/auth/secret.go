package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Prefixes make a leaked secret recognizable (secret scanners, logs) and
// tell the server which kind of credential it is holding.
const (
	APITokenPrefix    = "chorus_pat_"
	KioskTokenPrefix  = "chorus_kiosk_"
	SessionCookieName = "chorus_session"
)

// NewSecret returns prefix followed by 256 random bits, and the hash to store.
func NewSecret(prefix string) (secret string, hash []byte) {
	b := make([]byte, 32)
	// crypto/rand.Read never fails on supported platforms (Go 1.24+).
	_, _ = rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is how every high-entropy secret is stored: SHA-256 is enough
// because the secret itself carries 256 random bits.
func HashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// CodeAlphabet leaves out characters people confuse: 0/O, 1/I/L, 5/S, 8/B.
const CodeAlphabet = "234679ACDEFGHJKMNPQRTUVWXYZ"

// NewCode returns n random characters from an alphabet that is easy to read
// aloud and type on a tablet.
func NewCode(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.WriteByte(CodeAlphabet[randIntN(len(CodeAlphabet))])
	}
	return sb.String()
}

// NormalizeCode uppercases a typed code and drops spaces and dashes.
func NormalizeCode(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r != ' ' && r != '-' {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// randIntN draws uniformly from [0, n) without modulo bias.
func randIntN(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		_, _ = rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}
