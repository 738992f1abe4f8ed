package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// finding writes a finding of the organization straight into the table.
func (f *liveFixture) finding(t *testing.T, db *database.DB, orgID string) models.ResearchFinding {
	t.Helper()
	fd := models.ResearchFinding{ID: models.NewID(), OrganizationID: orgID, StatementEN: "People carry naloxone for each other.",
		StatementES: "Las personas llevan naloxona para los demás.", CreatedOn: models.DayOf(time.Now(), time.UTC)}
	if err := db.Create(&fd).Error; err != nil {
		t.Fatal(err)
	}
	return fd
}

func checksOf(t *testing.T, db *database.DB, findingID string) []models.ResearchFindingCheck {
	t.Helper()
	var rows []models.ResearchFindingCheck
	if err := db.Where("finding_id = ?", findingID).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestMemberCheckRoundIsRecordedOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		// 03:30 UTC on 5 December is still 4 December in New York.
		f.st.Now = func() time.Time { return time.Date(2026, 12, 5, 3, 30, 0, 0, time.UTC) }
		fd := f.finding(t, db, f.orgID)
		r := f.round(t, store.RoundInput{Kind: tally.Agree, FindingID: &fd.ID}, true)
		if r.Prompt != fd.StatementEN || r.FindingID == nil || *r.FindingID != fd.ID {
			t.Fatalf("member-check round %+v: want the finding's English statement as prompt", r)
		}
		f.vote(t, r, newVoter(), "a1", `"agree"`)
		f.vote(t, r, newVoter(), "a2", `"agree"`)
		f.vote(t, r, newVoter(), "d1", `"disagree"`)
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"unsure": 2}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := f.st.SetRoundState(ctx, f.orgID, r.ID, store.ActionReveal); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := f.st.EndLiveSession(ctx, f.orgID, f.session.ID); err != nil {
			t.Fatal(err)
		}
		rows := checksOf(t, db, fd.ID)
		if len(rows) != 1 {
			t.Fatalf("%d check rows after reveal, reveal and end; want 1", len(rows))
		}
		got := rows[0]
		if got.Agree != 2 || got.Disagree != 1 || got.Unsure != 2 || got.Source != models.CheckLive ||
			got.SiteID != f.session.SiteID || got.Day.String() != "2026-12-04" || got.RoundID == nil || *got.RoundID != r.ID {
			t.Fatalf("recorded %+v (day %s); want 2/1/2 from the live round at the session's site on 2026-12-04", got, got.Day)
		}
		counts, err := f.st.FindingChecks(ctx, f.orgID, fd.ID)
		if err != nil || len(counts) != 1 || counts[f.session.SiteID][1] != 1 {
			t.Fatalf("FindingChecks = %v, %v", counts, err)
		}
	})
}

func TestMemberCheckRecordedAtSessionEndWithoutReveal(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		fd := f.finding(t, db, f.orgID)
		answered := f.round(t, store.RoundInput{Kind: tally.Agree, FindingID: &fd.ID}, true)
		f.vote(t, answered, newVoter(), "u1", `"unsure"`)
		// A round nobody answered records nothing.
		f.round(t, store.RoundInput{Kind: tally.Agree, FindingID: &fd.ID}, false)
		for range 2 {
			if _, _, err := f.st.EndLiveSession(ctx, f.orgID, f.session.ID); err != nil {
				t.Fatal(err)
			}
		}
		rows := checksOf(t, db, fd.ID)
		if len(rows) != 1 || rows[0].Unsure != 1 || rows[0].Agree+rows[0].Disagree != 0 {
			t.Fatalf("checks after ending twice: %+v; want one row with 1 unsure", rows)
		}
	})
}

func TestMemberCheckRoundRefusesOtherFindings(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		other, err := f.st.CreateOrganization(ctx, "Another Program")
		if err != nil {
			t.Fatal(err)
		}
		theirs := f.finding(t, db, other.ID)
		ours := f.finding(t, db, f.orgID)
		missing, notAnID := models.NewID(), "x'; DROP TABLE research_findings; --"
		for _, c := range []struct {
			name  string
			in    store.RoundInput
			field string
		}{
			{"another organization's finding", store.RoundInput{Kind: tally.Agree, FindingID: &theirs.ID}, "finding_id"},
			{"no such finding", store.RoundInput{Kind: tally.Agree, FindingID: &missing}, "finding_id"},
			{"not an id", store.RoundInput{Kind: tally.Agree, FindingID: &notAnID}, "finding_id"},
			{"a pick round", store.RoundInput{Kind: tally.Pick, Options: []string{"a", "b"}, FindingID: &ours.ID}, "kind"},
			{"a prompt of its own", store.RoundInput{Kind: tally.Agree, Prompt: "Something else?", FindingID: &ours.ID}, "prompt"},
		} {
			_, err := f.st.CreateRound(ctx, f.orgID, f.session.ID, c.in)
			var inv *store.InvalidError
			if !errors.As(err, &inv) || inv.Field != c.field {
				t.Errorf("%s: %v; want invalid %s", c.name, err, c.field)
			}
		}
		var n int64
		if err := db.Model(&models.LiveRound{}).Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("%d rounds stored after refusals (%v)", n, err)
		}
	})
}

func TestMemberCheckInSpanishAsksTheSpanishStatement(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		sess, err := f.st.CreateLiveSession(ctx, f.orgID, "", store.LiveSessionInput{SiteID: f.session.SiteID, Title: "Reunión", Language: "es"})
		if err != nil {
			t.Fatal(err)
		}
		fd := f.finding(t, db, f.orgID)
		r, err := f.st.CreateRound(ctx, f.orgID, sess.ID, store.RoundInput{Kind: tally.Agree, FindingID: &fd.ID})
		if err != nil || r.Prompt != fd.StatementES {
			t.Fatalf("round %q, %v; want the Spanish statement", r.Prompt, err)
		}
	})
}

func TestCommunityDisagreementFlagsTheFinding(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		org, err := f.st.Organization(ctx, f.orgID)
		if err != nil {
			t.Fatal(err)
		}
		fd := f.finding(t, db, f.orgID)
		// One fewer answer than min_cell: too few to flag.
		r := f.round(t, store.RoundInput{Kind: tally.Agree, FindingID: &fd.ID}, true)
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"agree": 2, "disagree": org.MinCell - 3}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.SetRoundState(ctx, f.orgID, r.ID, store.ActionReveal); err != nil {
			t.Fatal(err)
		}
		if got := flagged(t, db, fd.ID); got {
			t.Fatalf("flagged with %d answers, fewer than min_cell %d", org.MinCell-1, org.MinCell)
		}
		// One more disagreeing answer at the same site reaches min_cell.
		r2 := f.round(t, store.RoundInput{Kind: tally.Agree, FindingID: &fd.ID}, true)
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", r2.ID, map[string]int{"disagree": 1}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.st.EndLiveSession(ctx, f.orgID, f.session.ID); err != nil {
			t.Fatal(err)
		}
		if got := flagged(t, db, fd.ID); !got {
			t.Fatalf("not flagged: %d disagree against 2 agree at one site", org.MinCell-2)
		}
	})
}

func flagged(t *testing.T, db *database.DB, findingID string) bool {
	t.Helper()
	var fd models.ResearchFinding
	if err := db.Where("id = ?", findingID).First(&fd).Error; err != nil {
		t.Fatal(err)
	}
	return fd.Flagged
}
