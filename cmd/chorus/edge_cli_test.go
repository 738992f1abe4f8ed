package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The edge commands exit 2 with a clear message on bad arguments, and
// refuse a database that was never enrolled.
func TestEdgeCommandsRefuseBadArguments(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "van.db")}
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"edge"}, 2, "want a subcommand"},
		{[]string{"edge", "drive"}, 2, "unknown subcommand"},
		{[]string{"edge", "enroll", "--code", "ABCD2345"}, 2, "--upstream is required"},
		{[]string{"edge", "enroll", "--upstream", "https://chorus.example.org"}, 2, "--code is required"},
		{[]string{"edge", "enroll", "--upstream", "chorus.example.org", "--code", "ABCD2345"}, 2, "--upstream"},
		{[]string{"edge", "serve"}, 2, "not an enrolled edge"},
		{[]string{"edge", "serve", "--sync-every", "0s"}, 2, "--sync-every"},
		{[]string{"edge", "passphrase"}, 1, "not an enrolled edge"},
		{[]string{"edge", "status", "extra"}, 2, "unexpected argument"},
		{[]string{"edge", "kiosk"}, 1, "not an enrolled edge"},
		{[]string{"edge", "kiosk", "--name"}, 2, "flag needs an argument"},
	} {
		r := runWith(context.Background(), env, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.says) {
			t.Errorf("chorus %v: exit %d, stderr %q; want %d saying %q", c.args, r.code, r.stderr, c.code, c.says)
		}
	}
}
