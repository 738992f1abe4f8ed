package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Each mistake is told in the words of the command line that made it,
// with the exit code of its kind: 2 for a usage error, 1 for a failure.
func TestCLIMessagesNameWhatWasTyped(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": filepath.Join(dir, "c.db"), "CHORUS_ADMIN_PASSWORD": "a long enough password"}
	ctx := context.Background()
	if r := runWith(ctx, env, "admin", "bootstrap", "--org", "River Program", "--email", "lead@river.org"); r.code != 0 {
		t.Fatalf("bootstrap: %+v", r)
	}
	short := map[string]string{"DATABASE_URL": env["DATABASE_URL"], "CHORUS_ADMIN_PASSWORD": "short"}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
		not  []string
	}{
		{"a bad --tz", env, []string{"admin", "site", "add", "--org", "River Program", "--name", "Van", "--kind", "mobile", "--setting", "rural", "--tz", "Nowhere/Zone"}, 2, "--tz: must be a time zone", []string{"--time-zone"}},
		{"a short password", short, []string{"admin", "user", "add", "--org", "River Program", "--email", "new@river.org", "--role", "staff"}, 2, "CHORUS_ADMIN_PASSWORD: ", []string{"--password"}},
		{"a duplicate", env, []string{"admin", "bootstrap", "--org", "River Program", "--email", "other@river.org"}, 1, "already exists", []string{".go:", "INSERT", "SELECT"}},
		{"an unsupported database", map[string]string{"DATABASE_URL": "mysql://db/chorus"}, []string{"migrate", "status"}, 2, "want a SQLite file path or a postgres:// URL", nil},
		{"an unsupported database for serve", map[string]string{"DATABASE_URL": "mysql://db/chorus"}, []string{"serve"}, 2, "want a SQLite file path or a postgres:// URL", nil},
		{"status of a missing file", map[string]string{"DATABASE_URL": filepath.Join(dir, "missing.db")}, []string{"migrate", "status"}, 0, "no database at " + filepath.Join(dir, "missing.db"), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runWith(ctx, c.env, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, c.code, c.want)
			}
			for _, bad := range c.not {
				if strings.Contains(r.stderr, bad) {
					t.Errorf("stderr %q holds %q", r.stderr, bad)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("migrate status created the file: %v", err)
	}
}
