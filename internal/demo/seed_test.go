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

// The demo shows every part of Chorus with data that holds together.
func TestDemoSeedsAConsistentProgram(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
		res, err := demo.Seed(t.Context(), db, now)
		if err != nil {
			t.Fatal(err)
		}
		st := store.New(db)
		st.Now = func() time.Time { return now }
		props, err := st.Proposals(t.Context(), res.Organization.ID, store.ProposalFilter{})
		if err != nil || len(props) == 0 {
			t.Fatalf("demo proposals: %d, %v", len(props), err)
		}
		for _, p := range props {
			d, err := st.ProposalDetail(t.Context(), res.Organization.ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Updates) == 0 || d.Updates[len(d.Updates)-1].Status != p.Status || p.CreatedOn.Time().After(d.Updates[0].Day.Time()) {
				t.Fatalf("proposal %q: status %s, updates %+v, made %s", p.Title["en"], p.Status, d.Updates, p.CreatedOn)
			}
			if p.Origin == "participants" && len(d.Evidence) == 0 {
				t.Fatalf("proposal %q from participants has no evidence", p.Title["en"])
			}
		}
		fig, err := st.ProposalFigures(t.Context(), res.Organization.ID, "")
		if err != nil || fig.Proposals != len(props) || fig.MedianDaysToFirstResponse == nil {
			t.Fatalf("figures %+v, %v", fig, err)
		}
	})
}
