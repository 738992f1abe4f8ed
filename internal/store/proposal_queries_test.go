package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// counted is a store over db whose statements counter keeps, on the
// fixture's clock.
func (f *proposalFixture) counted(db *database.DB) (*store.Store, *testutil.Statements) {
	counter := testutil.NewStatements()
	st := store.New(&database.DB{DB: db.Session(&gorm.Session{Logger: counter}), Dialect: db.Dialect, Source: db.Source})
	st.Now = func() time.Time { return f.clock }
	return st, counter
}

// answeredAndAccepted adds a proposal about the van that got one kiosk
// answer while open and was then accepted: three public updates.
func (f *proposalFixture) answeredAndAccepted(t *testing.T, ka store.KioskAuth) models.Proposal {
	t.Helper()
	p := f.propose(t, models.OriginStaff)
	mustMove(t, f, p.ID, models.StatusOpen)
	if _, err := f.st.Support(context.Background(), ka, "key-"+p.ID, []byte("h"), p.ID, models.AnswerAgree); err != nil {
		t.Fatal(err)
	}
	mustMove(t, f, p.ID, models.StatusUnderReview)
	mustMove(t, f, p.ID, models.StatusAccepted)
	return p
}

// The public board costs as many statements for thirty proposals as for
// one: no query per proposal.
func TestPublicBoardDoesNotQueryPerProposal(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newProposalFixture(t, db)
		ka := f.kiosk(t, f.van)
		st, counter := f.counted(db)
		measure := func(want int) int {
			counter.Reset()
			got, err := st.PublicProposals(ctx, f.org.ID, 30)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != want {
				t.Fatalf("board lists %d proposals, want %d", len(got), want)
			}
			for _, p := range got {
				if len(p.Sites) != 1 || p.Sites[0] != "Van" || len(p.Updates) != 3 {
					t.Fatalf("board proposal = %+v", p)
				}
			}
			return len(counter.All())
		}
		f.answeredAndAccepted(t, ka)
		one := measure(1)
		for range 29 {
			f.answeredAndAccepted(t, ka)
		}
		if thirty := measure(30); thirty != one {
			t.Fatalf("the board took %d statements for 1 proposal and %d for 30; want the same", one, thirty)
		}
	})
}

// The support of a list of proposals costs as many statements for thirty
// proposals as for one.
func TestSupportOfDoesNotQueryPerProposal(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newProposalFixture(t, db)
		ka := f.kiosk(t, f.van)
		st, counter := f.counted(db)
		var ids []string
		measure := func() int {
			counter.Reset()
			sup, err := st.SupportOf(ctx, f.org.ID, ids)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if s := sup[id]; len(s) != 1 || s[0].Kiosk[models.AnswerAgree] != 1 {
					t.Fatalf("support of %s = %+v", id, s)
				}
			}
			return len(counter.All())
		}
		ids = append(ids, f.answeredAndAccepted(t, ka).ID)
		one := measure()
		for len(ids) < 30 {
			ids = append(ids, f.answeredAndAccepted(t, ka).ID)
		}
		if thirty := measure(); thirty != one {
			t.Fatalf("support took %d statements for 1 proposal and %d for 30; want the same", one, thirty)
		}
	})
}

// SupportOf keeps each proposal's answers apart and matches ProposalSupport
// for every one of them, including one nobody answered.
func TestSupportOfSeveralProposals(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newProposalFixture(t, db)
		van := f.kiosk(t, f.van)
		a, b, quiet := f.propose(t, models.OriginStaff), f.propose(t, models.OriginStaff), f.propose(t, models.OriginStaff)
		for _, p := range []models.Proposal{a, b, quiet} {
			mustMove(t, f, p.ID, models.StatusOpen)
		}
		answer := func(p models.Proposal, n int, ans string) {
			for i := range n {
				key := fmt.Sprintf("%s-%s-%d", p.ID, ans, i)
				if _, err := f.st.Support(ctx, van, key, []byte(key), p.ID, ans); err != nil {
					t.Fatal(err)
				}
			}
		}
		answer(a, 3, models.AnswerAgree)
		answer(a, 1, models.AnswerUnsure)
		answer(b, 2, models.AnswerDisagree)

		all, err := f.st.SupportOf(ctx, f.org.ID, []string{a.ID, b.ID, quiet.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{a.ID: "agree 3 disagree 0 unsure 1", b.ID: "agree 0 disagree 2 unsure 0", quiet.ID: ""}
		for id, w := range want {
			one, err := f.st.ProposalSupport(ctx, f.org.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			if got, alone := describeSupport(all[id]), describeSupport(one); got != w || alone != w {
				t.Errorf("proposal %s: SupportOf %q, ProposalSupport %q, want %q", id, got, alone, w)
			}
		}
	})
}

// describeSupport spells out kiosk support at the van, the only site here.
func describeSupport(sites []store.SiteSupport) string {
	var parts []string
	for _, s := range sites {
		parts = append(parts, fmt.Sprintf("%s agree %d disagree %d unsure %d", s.Name,
			s.Kiosk[models.AnswerAgree], s.Kiosk[models.AnswerDisagree], s.Kiosk[models.AnswerUnsure]))
	}
	return strings.TrimPrefix(strings.Join(parts, "; "), "Van ")
}
