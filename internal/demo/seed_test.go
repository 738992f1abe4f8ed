package demo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/demo"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
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

// The printed sign-ins work as printed: no forced change, and a demo seeded
// by an older version (one-time passwords) or changed since is healed on start.
func TestDemoSignInsWorkAsPrinted(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
		if _, err := demo.Seed(t.Context(), db, now); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			for _, a := range demo.Accounts {
				var u models.User
				if err := db.Where("email = ?", a.Email).First(&u).Error; err != nil {
					t.Fatal(err)
				}
				if u.PasswordChangedAt == nil || !auth.CheckPassword(demo.Password, u.PasswordHash) {
					t.Errorf("%s: %s does not sign in as printed (changed at %v)", when, a.Email, u.PasswordChangedAt)
				}
			}
		}
		check("seeded")
		other, err := auth.HashPassword("a password someone chose")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Model(&models.User{}).Where("email = ?", demo.Accounts[0].Email).Update("password_changed_at", nil).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Model(&models.User{}).Where("email = ?", demo.Accounts[1].Email).Update("password_hash", other).Error; err != nil {
			t.Fatal(err)
		}
		if res, err := demo.Seed(t.Context(), db, now.Add(time.Hour)); err != nil || res.Created {
			t.Fatalf("seed again: %+v, %v", res.Created, err)
		}
		check("started again")
	})
}
