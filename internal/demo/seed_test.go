package demo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/demo"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// The demo's public sign-ins never go into a database with a real program.
func TestDemoRefusesARealDatabase(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		if _, err := store.New(db).CreateOrganization(t.Context(), "Real Program"); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Seed(t.Context(), db, time.Now()); !errors.Is(err, demo.ErrRealData) {
			t.Fatalf("seed on a real database: %v", err)
		}
	})
}
