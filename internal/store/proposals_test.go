package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

type proposalFixture struct {
	st    *store.Store
	org   models.Organization
	site  models.Site
	van   models.Site
	staff models.User
	clock time.Time
}

func newProposalFixture(t *testing.T, db *database.DB) *proposalFixture {
	t.Helper()
	ctx := context.Background()
	f := &proposalFixture{st: store.New(db), clock: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}
	f.st.Now = func() time.Time { return f.clock }
	var err error
	if f.org, err = f.st.CreateOrganization(ctx, "Harbor Program"); err != nil {
		t.Fatal(err)
	}
	if f.site, err = f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Storefront", Kind: "fixed", Setting: "urban", TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if f.van, err = f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
	f.staff = models.User{ID: models.NewID()}
	return f
}

func bilingual(en, es string) models.Text { return models.Text{"en": en, "es": es} }

func (f *proposalFixture) propose(t *testing.T, origin string) models.Proposal {
	t.Helper()
	in := store.ProposalInput{Title: bilingual("Evening hours", "Horario de noche"), Description: bilingual("Open until 9 pm.", "Abrir hasta las 9."),
		Origin: origin, Needs: []string{"housing"}, SiteIDs: []string{f.van.ID}}
	if origin == models.OriginParticipants {
		in.Evidence = []store.EvidenceInput{{Kind: models.EvidenceNeed, Code: "housing", SiteID: f.van.ID}}
	}
	p, err := f.st.CreateProposal(context.Background(), f.org.ID, models.User{}, in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *proposalFixture) move(t *testing.T, id, to string) error {
	t.Helper()
	// Updates are ordered by when they were posted; real clocks move on.
	f.clock = f.clock.Add(time.Minute)
	_, err := f.st.PostUpdate(context.Background(), f.org.ID, id, models.User{}, store.UpdateInput{Status: to, Body: bilingual("Why: "+to, "Por qué: "+to)})
	return err
}

func TestProposalLifecycle(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		p := f.propose(t, models.OriginParticipants)
		if p.Status != models.StatusDraft {
			t.Fatalf("a new proposal is %q, want draft", p.Status)
		}
		// Every status, and where it may and may not go.
		path := []string{models.StatusOpen, models.StatusUnderReview, models.StatusAccepted, models.StatusInProgress, models.StatusDone}
		for _, to := range path {
			for _, wrong := range []string{models.StatusDraft, models.StatusDone, models.StatusAccepted} {
				cur, _ := f.st.ProposalDetail(context.Background(), f.org.ID, p.ID)
				allowed := store.Transitions[cur.Proposal.Status]
				if wrong == to || wrong == cur.Proposal.Status || contains(allowed, wrong) {
					continue
				}
				err := f.move(t, p.ID, wrong)
				var te *store.TransitionError
				if !errors.As(err, &te) || te.From != cur.Proposal.Status || te.To != wrong {
					t.Fatalf("%s → %s: got %v, want a TransitionError", cur.Proposal.Status, wrong, err)
				}
			}
			if err := f.move(t, p.ID, to); err != nil {
				t.Fatalf("move to %s: %v", to, err)
			}
		}
		// Done is final: no move, but a progress note is fine.
		var te *store.TransitionError
		if err := f.move(t, p.ID, models.StatusDeclined); !errors.As(err, &te) || len(te.Allowed) != 0 {
			t.Fatalf("done → declined: %v", err)
		}
		if err := f.move(t, p.ID, ""); err != nil {
			t.Fatalf("a note on a done proposal: %v", err)
		}
		d, err := f.st.ProposalDetail(context.Background(), f.org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Updates) != 6 || d.Updates[0].Status != models.StatusOpen || d.Updates[5].Status != models.StatusDone {
			t.Fatalf("updates = %+v", d.Updates)
		}
		if d.Proposal.RespondedOn == nil || d.Proposal.DecidedOn == nil {
			t.Fatalf("responded %v decided %v, want both set", d.Proposal.RespondedOn, d.Proposal.DecidedOn)
		}
		if len(d.Evidence) != 1 || d.Evidence[0].Kind != models.EvidenceNeed || *d.Evidence[0].Code != "housing" {
			t.Fatalf("evidence = %+v", d.Evidence)
		}

		// A draft takes no notes; an unknown status is invalid input.
		q := f.propose(t, models.OriginStaff)
		if err := f.move(t, q.ID, ""); !errors.As(err, &te) {
			t.Fatalf("a note on a draft: %v", err)
		}
		var inv *store.InvalidError
		if err := f.move(t, q.ID, "approved"); !errors.As(err, &inv) || inv.Field != "status" {
			t.Fatalf("unknown status: %v", err)
		}
		// Every language is required.
		_, err = f.st.PostUpdate(context.Background(), f.org.ID, q.ID, models.User{}, store.UpdateInput{Status: models.StatusOpen, Body: models.Text{"en": "Open now"}})
		if !errors.As(err, &inv) || inv.Field != "body.es" {
			t.Fatalf("missing Spanish: %v", err)
		}
		// Nothing changed by the refused moves.
		d, _ = f.st.ProposalDetail(context.Background(), f.org.ID, q.ID)
		if d.Proposal.Status != models.StatusDraft || len(d.Updates) != 0 {
			t.Fatalf("refused moves changed the draft: %+v", d)
		}
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestProposalFromParticipantsNeedsEvidence(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		in := store.ProposalInput{Title: bilingual("A", "A"), Description: bilingual("B", "B"), Origin: models.OriginParticipants}
		var inv *store.InvalidError
		if _, err := f.st.CreateProposal(ctx, f.org.ID, models.User{}, in); !errors.As(err, &inv) || inv.Field != "evidence" {
			t.Fatalf("no evidence: %v", err)
		}
		for _, ev := range []store.EvidenceInput{
			{Kind: models.EvidenceNeed, Code: "not_a_need"},
			{Kind: models.EvidenceFeedbackText, ID: models.NewID()},
			{Kind: models.EvidenceLiveRound, ID: "not-an-id"},
			{Kind: "rumor"},
		} {
			in.Evidence = []store.EvidenceInput{ev}
			if _, err := f.st.CreateProposal(ctx, f.org.ID, models.User{}, in); !errors.As(err, &inv) || inv.Field != "evidence[0]" {
				t.Fatalf("evidence %+v: %v", ev, err)
			}
		}
		in.Needs = []string{"not_a_need"}
		in.Evidence = []store.EvidenceInput{{Kind: models.EvidenceNeed, Code: "food"}}
		if _, err := f.st.CreateProposal(ctx, f.org.ID, models.User{}, in); !errors.As(err, &inv) || inv.Field != "needs[0]" {
			t.Fatalf("unknown need: %v", err)
		}
		list, err := f.st.Proposals(ctx, f.org.ID, store.ProposalFilter{})
		if err != nil || len(list) != 0 {
			t.Fatalf("refused proposals were stored: %v %v", list, err)
		}
	})
}

func TestPolicymakerRespondsOnlyWhenPutToThem(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		p := f.propose(t, models.OriginPolicymaker)
		mustMove(t, f, p.ID, models.StatusOpen)
		mustMove(t, f, p.ID, models.StatusUnderReview)
		reason := bilingual("No budget this year.", "No hay presupuesto este año.")
		var inv *store.InvalidError
		if _, err := f.st.Respond(ctx, f.org.ID, p.ID, models.User{}, models.StatusDeclined, reason); !errors.As(err, &inv) {
			t.Fatalf("respond to a proposal not put to policymakers: %v", err)
		}
		q := f.propose(t, models.OriginStaff)
		mustMove(t, f, q.ID, models.StatusOpen)
		_, err := f.st.PostUpdate(ctx, f.org.ID, q.ID, models.User{}, store.UpdateInput{Status: models.StatusUnderReview,
			Body: bilingual("For the council.", "Para el consejo."), PutToPolicymakers: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.Respond(ctx, f.org.ID, q.ID, models.User{}, models.StatusDone, reason); !errors.As(err, &inv) || inv.Field != "decision" {
			t.Fatalf("respond done: %v", err)
		}
		up, err := f.st.Respond(ctx, f.org.ID, q.ID, models.User{}, models.StatusDeclined, reason)
		if err != nil || up.ByRole != "policymaker" || up.Status != models.StatusDeclined {
			t.Fatalf("respond: %+v %v", up, err)
		}
		if _, err := f.st.Respond(ctx, f.org.ID, q.ID, models.User{}, models.StatusAccepted, reason); !errors.As(err, &inv) {
			t.Fatalf("a second response: %v", err)
		}
	})
}

func mustMove(t *testing.T, f *proposalFixture, id, to string) {
	t.Helper()
	if err := f.move(t, id, to); err != nil {
		t.Fatalf("move to %s: %v", to, err)
	}
}

func TestProposalFiguresAndOverdue(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		// Made on 2 March: two from participants, one from staff, one draft.
		a, b := f.propose(t, models.OriginParticipants), f.propose(t, models.OriginParticipants)
		c := f.propose(t, models.OriginStaff)
		f.propose(t, models.OriginPeerFacilitator) // stays a draft: not counted
		for _, p := range []models.Proposal{a, b, c} {
			mustMove(t, f, p.ID, models.StatusOpen)
		}
		f.clock = f.clock.AddDate(0, 0, 4) // 6 March: a is answered
		mustMove(t, f, a.ID, models.StatusUnderReview)
		f.clock = f.clock.AddDate(0, 0, 6) // 12 March: a accepted, c declined
		mustMove(t, f, a.ID, models.StatusAccepted)
		mustMove(t, f, c.ID, models.StatusDeclined)
		f.clock = f.clock.AddDate(0, 0, 21) // 2 April: b has waited 31 days

		fig, err := f.st.ProposalFigures(ctx, f.org.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if fig.Proposals != 3 || fig.FromParticipants != 2 || *fig.ParticipantShare != 66.7 {
			t.Fatalf("origin figures: %+v", fig)
		}
		if fig.ByOrigin[models.OriginParticipants][models.StatusAccepted] != 1 || fig.ByOrigin[models.OriginParticipants][models.StatusOpen] != 1 ||
			fig.ByOrigin[models.OriginStaff][models.StatusDeclined] != 1 {
			t.Fatalf("by origin: %+v", fig.ByOrigin)
		}
		// a answered after 4 days, c after 10; decisions after 10 and 10.
		if *fig.MedianDaysToFirstResponse != 7 || *fig.MedianDaysToDecision != 10 {
			t.Fatalf("medians: response %v decision %v", *fig.MedianDaysToFirstResponse, *fig.MedianDaysToDecision)
		}
		if *fig.AcceptedShare != 50 || *fig.DoneShare != 0 {
			t.Fatalf("shares: accepted %v done %v", *fig.AcceptedShare, *fig.DoneShare)
		}
		if fig.OverdueCount != 1 || fig.Overdue[0].ID != b.ID || fig.Overdue[0].DaysWaiting != 31 {
			t.Fatalf("overdue: %+v", fig.Overdue)
		}
		list, err := f.st.Proposals(ctx, f.org.ID, store.ProposalFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.Overdue != (p.ID == b.ID) {
				t.Fatalf("proposal %s overdue = %v", p.Title["en"], p.Overdue)
			}
		}
		// A longer promise: nothing is overdue.
		days := 45
		if _, err := f.st.UpdateOrganization(ctx, f.org.ID, store.OrganizationSettings{ResponseDays: &days}); err != nil {
			t.Fatal(err)
		}
		if fig, _ = f.st.ProposalFigures(ctx, f.org.ID, ""); fig.OverdueCount != 0 || fig.ResponseDays != 45 {
			t.Fatalf("with 45 days: %+v", fig)
		}
	})
}
