package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// An admin command whose audit row cannot be written fails and leaves
// nothing behind: no site, kiosk, user or token that nobody recorded.
func TestAdminCommandWithoutItsRecordChangesNothing(t *testing.T) {
	for _, d := range testutil.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			env := map[string]string{"DATABASE_URL": testutil.NewDatabaseURL(t, d), "CHORUS_ADMIN_PASSWORD": "a long enough password"}
			for _, args := range [][]string{
				{"admin", "bootstrap", "--org", "River Program", "--email", "lead@river.org"},
				{"admin", "site", "add", "--org", "River Program", "--name", "River van", "--kind", "mobile", "--setting", "rural", "--tz", "America/Chicago"},
			} {
				if r := runWith(ctx, env, args...); r.code != 0 {
					t.Fatalf("chorus %v: exit %d: %s", args, r.code, r.stderr)
				}
			}
			db, err := database.Open(ctx, env["DATABASE_URL"], testutil.Logger())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			testutil.RefuseAudit(t, db)
			before := testutil.Snapshot(t, db)
			for _, args := range [][]string{
				{"admin", "site", "add", "--org", "River Program", "--name", "Storefront", "--kind", "fixed", "--setting", "urban", "--tz", "America/Chicago"},
				{"admin", "kiosk", "add", "--org", "River Program", "--site", "River van"},
				{"admin", "user", "add", "--org", "River Program", "--email", "analyst@river.org", "--role", "policymaker"},
				{"admin", "token", "--email", "lead@river.org", "--name", "report script"},
			} {
				if r := runWith(ctx, env, args...); r.code == 0 {
					t.Errorf("chorus %v succeeded without its audit row", args)
				}
				if diff := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(diff) > 0 {
					t.Errorf("chorus %v without its audit row changed %s", args, strings.Join(diff, ", "))
				}
			}
		})
	}
}
