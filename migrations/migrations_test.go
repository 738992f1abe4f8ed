package migrations_test

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/migrations"
	"github.com/chorus-hr/chorus/models"
)

func versions(t *testing.T, d database.Dialect) []string {
	t.Helper()
	fsys, err := migrations.FS(d)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		v, _, ok := strings.Cut(n, "_")
		if !ok {
			t.Fatalf("%s/%s: want NNNNN_name.sql", d, n)
		}
		out = append(out, v)
	}
	return out
}

func TestDialectsShareOneHistory(t *testing.T) {
	sqlite, postgres := versions(t, database.SQLite), versions(t, database.Postgres)
	if len(sqlite) == 0 {
		t.Fatal("no migrations found")
	}
	if !slices.Equal(sqlite, postgres) {
		t.Fatalf("migration versions differ:\n sqlite:   %v\n postgres: %v", sqlite, postgres)
	}
}

func TestUpAppliesEverythingOnEmptyDatabase(t *testing.T) {
	for _, d := range testutil.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testutil.OpenEmpty(t, d)
			before, err := migrations.List(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range before {
				if s.Applied {
					t.Fatalf("migration %d applied on an empty database", s.Version)
				}
			}
			applied, err := migrations.Up(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(versions(t, d)) {
				t.Fatalf("applied %v, want all %d", applied, len(versions(t, d)))
			}
			after, err := migrations.List(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range after {
				if !s.Applied || s.AppliedAt.IsZero() {
					t.Errorf("migration %d (%s) not shown as applied: %+v", s.Version, s.Name, s)
				}
			}
			again, err := migrations.Up(ctx, db)
			if err != nil || len(again) != 0 {
				t.Fatalf("second up applied %v, %v; want nothing", again, err)
			}
		})
	}
}

// Every GORM model's table and columns must exist after migrating, so a
// model field without a migration fails here rather than in production.
func TestModelsMatchSchema(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		m := db.Migrator()
		for _, model := range models.All() {
			s, err := schema.Parse(model, &sync.Map{}, db.NamingStrategy)
			if err != nil {
				t.Fatal(err)
			}
			if !m.HasTable(s.Table) {
				t.Errorf("table %s is missing", s.Table)
				continue
			}
			for _, col := range s.DBNames {
				if !m.HasColumn(model, col) {
					t.Errorf("column %s.%s is missing", s.Table, col)
				}
			}
		}
	})
}
