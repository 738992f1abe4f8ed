package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func (f *proposalFixture) kiosk(t *testing.T, site models.Site) store.KioskAuth {
	t.Helper()
	ctx := context.Background()
	_, secret, err := f.st.ProvisionKiosk(ctx, f.org.ID, site.ID, "Tablet at "+site.Name)
	if err != nil {
		t.Fatal(err)
	}
	ka, err := f.st.KioskByToken(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	return ka
}

func TestKioskSupportCountsOncePerKey(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ka := f.kiosk(t, f.van)
		p := f.propose(t, models.OriginParticipants)
		hash := []byte("request-1")
		if _, err := f.st.Support(ctx, ka, "key-1", hash, p.ID, models.AnswerAgree); !errors.Is(err, store.ErrNotOpen) {
			t.Fatalf("support for a draft: %v", err)
		}
		mustMove(t, f, p.ID, models.StatusOpen)
		first, err := f.st.Support(ctx, ka, "key-1", hash, p.ID, models.AnswerAgree)
		if err != nil || first.Replayed {
			t.Fatalf("first answer: %+v %v", first, err)
		}
		again, err := f.st.Support(ctx, ka, "key-1", hash, p.ID, models.AnswerAgree)
		if err != nil || !again.Replayed || again.ID != first.ID {
			t.Fatalf("replay: %+v %v", again, err)
		}
		if _, err := f.st.Support(ctx, ka, "key-1", []byte("request-2"), p.ID, models.AnswerDisagree); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Fatalf("same key, other answer: %v", err)
		}
		for i, a := range []string{models.AnswerAgree, models.AnswerDisagree, models.AnswerUnsure, models.AnswerAgree} {
			if _, err := f.st.Support(ctx, ka, "key-more-"+string(rune('a'+i)), []byte(a), p.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		// A storefront kiosk may not answer for a proposal only about the van.
		shop := f.kiosk(t, f.site)
		var inv *store.InvalidError
		if _, err := f.st.Support(ctx, shop, "key-shop", hash, p.ID, models.AnswerAgree); !errors.As(err, &inv) || inv.Field != "proposal_id" {
			t.Fatalf("support from another site: %v", err)
		}
		listed, err := f.st.KioskProposals(ctx, shop, 3)
		if err != nil || len(listed) != 0 {
			t.Fatalf("the storefront sees %d proposals (%v), want 0", len(listed), err)
		}
		if listed, _ := f.st.KioskProposals(ctx, ka, 3); len(listed) != 1 || listed[0].ID != p.ID {
			t.Fatalf("the van sees %+v", listed)
		}

		sup, err := f.st.ProposalSupport(ctx, f.org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sup) != 1 || sup[0].SiteID != f.van.ID || sup[0].Name != "Van" {
			t.Fatalf("support = %+v", sup)
		}
		if k := sup[0].Kiosk; k[models.AnswerAgree] != 3 || k[models.AnswerDisagree] != 1 || k[models.AnswerUnsure] != 1 {
			t.Fatalf("kiosk counts = %v, want agree 3, disagree 1, unsure 1", k)
		}
	})
}

func TestLiveRoundsCountTowardSupport(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		p := f.propose(t, models.OriginStaff)
		mustMove(t, f, p.ID, models.StatusOpen)
		sess, err := f.st.CreateLiveSession(ctx, f.org.ID, "", store.LiveSessionInput{SiteID: f.site.ID, Title: "Meeting", Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		lf := &liveFixture{st: f.st, orgID: f.org.ID, session: sess}
		r := lf.round(t, store.RoundInput{Kind: "agree", Prompt: "Evening hours?", ProposalID: &p.ID}, true)
		other := lf.round(t, store.RoundInput{Kind: "agree", Prompt: "Not tied"}, false)
		_ = other
		a, b, c := newVoter(), newVoter(), newVoter()
		lf.vote(t, r, a, models.NewID(), `"agree"`)
		lf.vote(t, r, b, models.NewID(), `"agree"`)
		lf.vote(t, r, b, models.NewID(), `"disagree"`) // b changed their mind: counted once
		lf.vote(t, r, c, models.NewID(), `"unsure"`)
		if _, err := f.st.SetHandCounts(ctx, f.org.ID, "", r.ID, map[string]int{"agree": 4}); err != nil {
			t.Fatal(err)
		}
		// An open round is still moving: it counts once closed.
		if sup, _ := f.st.ProposalSupport(ctx, f.org.ID, p.ID); len(sup) != 0 {
			t.Fatalf("an open round counted: %+v", sup)
		}
		if _, err := f.st.SetRoundState(ctx, f.org.ID, r.ID, store.ActionClose); err != nil {
			t.Fatal(err)
		}
		sup, err := f.st.ProposalSupport(ctx, f.org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sup) != 1 || sup[0].SiteID != f.site.ID {
			t.Fatalf("support = %+v", sup)
		}
		s := sup[0]
		if s.Live[models.AnswerAgree] != 1 || s.Live[models.AnswerDisagree] != 1 || s.Live[models.AnswerUnsure] != 1 || s.Hand[models.AnswerAgree] != 4 {
			t.Fatalf("live %v hand %v", s.Live, s.Hand)
		}
		if s.Combined(models.AnswerAgree) != 5 {
			t.Fatalf("combined agree = %d, want 5", s.Combined(models.AnswerAgree))
		}
	})
}

func TestBoardReceiptAndSheet(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ka := f.kiosk(t, f.van)
		housing := f.propose(t, models.OriginParticipants) // needs: housing
		food, err := f.st.CreateProposal(ctx, f.org.ID, models.User{}, store.ProposalInput{Title: bilingual("Food bank", "Banco de comida"),
			Description: bilingual("Twice a week.", "Dos veces por semana."), Origin: models.OriginStaff, Needs: []string{"food"}})
		if err != nil {
			t.Fatal(err)
		}
		draft := f.propose(t, models.OriginStaff) // needs housing, stays a draft
		mustMove(t, f, housing.ID, models.StatusOpen)
		mustMove(t, f, food.ID, models.StatusOpen)
		f.clock = f.clock.AddDate(0, 1, 0) // April
		mustMove(t, f, housing.ID, models.StatusUnderReview)
		mustMove(t, f, housing.ID, models.StatusAccepted)

		if _, err := f.st.Submit(ctx, ka, "sub-1", []byte("h"), store.SubmissionInput{Language: "es", Needs: []string{"housing", "naloxone"},
			Priorities: []string{"housing"}, Receipt: "K7M-3QX"}); err != nil {
			t.Fatal(err)
		}
		got, err := f.st.ReceiptProposals(ctx, f.org.ID, "k7m3qx")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != housing.ID || len(got[0].Updates) != 3 || got[0].Sites[0] != "Van" {
			t.Fatalf("receipt proposals = %+v", got)
		}
		if _, err := f.st.ReceiptProposals(ctx, f.org.ID, "AAA-AAA"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown code: %v", err)
		}
		other, _ := f.st.CreateOrganization(ctx, "Other Program")
		if _, err := f.st.ReceiptProposals(ctx, other.ID, "K7M-3QX"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another program's code: %v", err)
		}

		board, err := f.st.PublicProposals(ctx, f.org.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(board) != 2 || board[0].ID != housing.ID {
			t.Fatalf("board = %+v", board)
		}
		for _, p := range board {
			if p.ID == draft.ID {
				t.Fatal("a draft is on the public board")
			}
		}

		april := models.DayOf(f.clock, f.clock.Location()).AddDays(-1)
		from, _ := models.ParseDay("2026-04-01")
		to, _ := models.ParseDay("2026-05-01")
		sheet, err := f.st.MonthSheet(ctx, f.org.ID, f.van.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(sheet) != 2 || sheet[0].Status != models.StatusUnderReview || sheet[1].Status != models.StatusAccepted || sheet[1].Title["es"] != "Horario de noche" {
			t.Fatalf("April sheet for the van (%s) = %+v", april, sheet)
		}
		// The storefront's sheet has only what concerns every site: nothing in April.
		if sheet, _ := f.st.MonthSheet(ctx, f.org.ID, f.site.ID, from, to); len(sheet) != 0 {
			t.Fatalf("storefront April sheet = %+v", sheet)
		}

		off := false
		if _, err := f.st.UpdateOrganization(ctx, f.org.ID, store.OrganizationSettings{PublicBoard: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.PublicOrganization(ctx, f.org.Slug); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a switched-off board: %v", err)
		}
	})
}
