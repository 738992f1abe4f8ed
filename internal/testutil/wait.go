package testutil

import (
	"testing"
	"time"
)

// Eventually polls cond until it holds or timeout passes, then fails the
// test with msg. Tests wait on conditions this way, never on fixed sleeps.
func Eventually(t testing.TB, timeout time.Duration, msg string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for wait := time.Millisecond; ; wait = min(wait*2, 100*time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s: %s", timeout, msg)
		}
		time.Sleep(wait)
	}
}
