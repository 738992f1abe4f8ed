package testutil

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
)

// RefuseAudit makes every insert into the audit log fail, as a full disk
// or a broken constraint would, in this test's own database.
func RefuseAudit(t testing.TB, db *database.DB) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit refused'); END`}
	if db.Dialect == database.Postgres {
		stmts = []string{
			`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`,
			`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
		}
	}
	for _, q := range stmts {
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("refuse audit rows: %v", err)
		}
	}
}

// AcceptAudit undoes RefuseAudit.
func AcceptAudit(t testing.TB, db *database.DB) {
	t.Helper()
	q := `DROP TRIGGER refuse_audit`
	if db.Dialect == database.Postgres {
		q += ` ON audit_events`
	}
	if err := db.Exec(q).Error; err != nil {
		t.Fatalf("accept audit rows: %v", err)
	}
}

// Snapshot reads every row of every table, each row as one sorted string.
func Snapshot(t testing.TB, db *database.DB) map[string][]string {
	t.Helper()
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.Dialect == database.Postgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	}
	if err := db.Raw(q).Scan(&tables).Error; err != nil {
		t.Fatalf("list tables: %v", err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		var rows []map[string]any
		if err := db.Table(table).Find(&rows).Error; err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		for _, row := range rows {
			cols := make([]string, 0, len(row))
			for k, v := range row {
				cols = append(cols, fmt.Sprintf("%s=%v", k, v))
			}
			slices.Sort(cols)
			out[table] = append(out[table], strings.Join(cols, " "))
		}
		slices.Sort(out[table])
	}
	return out
}

// ChangedTables names the tables whose rows differ between two snapshots.
func ChangedTables(before, after map[string][]string) []string {
	var diff []string
	for table, rows := range after {
		if !slices.Equal(before[table], rows) {
			diff = append(diff, table)
		}
	}
	slices.Sort(diff)
	return diff
}
