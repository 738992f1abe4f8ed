package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

type liveFixture struct {
	st      *store.Store
	orgID   string
	session models.LiveSession
}

func newLiveFixture(t *testing.T, db *database.DB) *liveFixture {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	org, err := st.CreateOrganization(ctx, "Live Program")
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.CreateSite(ctx, org.ID, store.SiteInput{Name: "Storefront", Kind: "fixed", Setting: "urban", TimeZone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := st.CreateLiveSession(ctx, org.ID, "", store.LiveSessionInput{SiteID: site.ID, Title: "Community meeting", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return &liveFixture{st: st, orgID: org.ID, session: sess}
}

func (f *liveFixture) round(t *testing.T, in store.RoundInput, open bool) models.LiveRound {
	t.Helper()
	r, err := f.st.CreateRound(context.Background(), f.orgID, f.session.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if open {
		ch, err := f.st.SetRoundState(context.Background(), f.orgID, r.ID, store.ActionOpen)
		if err != nil {
			t.Fatal(err)
		}
		r = ch.Round
	}
	return r
}

type voter struct {
	id   string
	hash []byte
}

func newVoter() voter {
	_, hash := auth.NewSecret("chorus_live_")
	return voter{id: models.NewID(), hash: hash}
}

func (f *liveFixture) vote(t *testing.T, r models.LiveRound, v voter, voteID, choice string) store.VoteOutcome {
	t.Helper()
	out, _, err := f.st.CommitVotes(context.Background(), []store.VoteInput{{
		SessionID: f.session.ID, RoundID: r.ID, ParticipantID: v.id, TokenHash: v.hash, VoteID: voteID, Choice: []byte(choice),
	}})
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

func (f *liveFixture) counts(t *testing.T, roundID string) (models.LiveRound, map[string]int) {
	t.Helper()
	r, err := f.st.LiveRound(context.Background(), roundID)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := store.RoundTally(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, tl.Counts(store.RoundSpec(r))
}

func TestLiveSessionCodes(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		if len(f.session.Code) != 6 {
			t.Fatalf("code %q, want 6 characters", f.session.Code)
		}
		got, err := f.st.OpenLiveSession(ctx, " "+f.session.Code[:3]+"-"+f.session.Code[3:])
		if err != nil || got.ID != f.session.ID {
			t.Fatalf("join code does not find its session: %v", err)
		}
		if _, _, err := f.st.EndLiveSession(ctx, f.orgID, f.session.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.OpenLiveSession(ctx, f.session.Code); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an ended session's code still joins: %v", err)
		}
		// The freed code may be given to a new session.
		if err := db.Create(&models.LiveSession{ID: models.NewID(), OrganizationID: f.orgID, SiteID: f.session.SiteID,
			Title: "Again", Language: "en", Code: f.session.Code, State: models.LiveOpen}).Error; err != nil {
			t.Fatalf("reuse an ended session's code: %v", err)
		}
		err = db.Create(&models.LiveSession{ID: models.NewID(), OrganizationID: f.orgID, SiteID: f.session.SiteID,
			Title: "Clash", Language: "en", Code: f.session.Code, State: models.LiveOpen}).Error
		if !errors.Is(err, gormDuplicated) {
			t.Fatalf("two open sessions share a code: %v", err)
		}
	})
}

func TestVotesAreIdempotentAndLatestCounts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		r := f.round(t, store.RoundInput{Kind: tally.Agree, Prompt: "Open later on Fridays?"}, true)
		a, b := newVoter(), newVoter()

		first := f.vote(t, r, a, "v1", `"agree"`)
		if first.Err != nil || first.Replayed || first.Seq != r.Seq+1 {
			t.Fatalf("first vote: %+v", first)
		}
		again := f.vote(t, r, a, "v1", `"agree"`)
		if !again.Replayed || again.Seq < first.Seq {
			t.Fatalf("same vote_id again: %+v, want a replay with seq >= %d", again, first.Seq)
		}
		f.vote(t, r, b, "w1", `"unsure"`)
		changed := f.vote(t, r, a, "v2", `"disagree"`)
		if changed.Err != nil || changed.Seq <= first.Seq {
			t.Fatalf("changed vote: %+v", changed)
		}
		got, counts := f.counts(t, r.ID)
		if want := map[string]int{"agree": 0, "disagree": 1, "unsure": 1}; !maps.Equal(counts, want) {
			t.Fatalf("counts %v, want %v (the latest vote counts, once)", counts, want)
		}
		if got.Seq != changed.Seq {
			t.Fatalf("round seq %d, want %d", got.Seq, changed.Seq)
		}
		var n int64
		db.Model(&models.LiveVote{}).Where("round_id = ?", r.ID).Count(&n)
		if n != 2 {
			t.Fatalf("%d vote rows, want one per participant", n)
		}

		// A batch: a replay, a change and a new voter, in one transaction.
		c := newVoter()
		out, changes, err := f.st.CommitVotes(context.Background(), []store.VoteInput{
			{SessionID: f.session.ID, RoundID: r.ID, ParticipantID: a.id, VoteID: "v2", Choice: []byte(`"disagree"`)},
			{SessionID: f.session.ID, RoundID: r.ID, ParticipantID: b.id, VoteID: "w2", Choice: []byte(`"agree"`)},
			{SessionID: f.session.ID, RoundID: r.ID, ParticipantID: c.id, TokenHash: c.hash, VoteID: "x1", Choice: []byte(`"agree"`)},
			{SessionID: f.session.ID, RoundID: r.ID, ParticipantID: c.id, TokenHash: c.hash, VoteID: "x2", Choice: []byte(`"unsure"`)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if !out[0].Replayed || len(changes) != 1 || changes[0].Seq != changed.Seq+1 {
			t.Fatalf("batch: %+v %+v", out, changes)
		}
		for _, o := range out {
			if o.Seq != changes[0].Seq {
				t.Fatalf("every vote of the batch is acknowledged with the batch's seq: %+v", out)
			}
		}
		if _, counts := f.counts(t, r.ID); !maps.Equal(counts, map[string]int{"agree": 1, "disagree": 1, "unsure": 1}) {
			t.Fatalf("after the batch: %v", counts)
		}
		// Each participant's row holds their latest vote, the one the
		// tally counts: rebuilding it from the rows repairs nothing.
		var rows []models.LiveVote
		if err := db.Where("round_id = ?", r.ID).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		stored := map[string]string{}
		for _, v := range rows {
			stored[v.ParticipantID] = v.VoteID + " " + string(v.Choice)
		}
		if want := map[string]string{a.id: `v2 "disagree"`, b.id: `w2 "agree"`, c.id: `x2 "unsure"`}; !maps.Equal(stored, want) {
			t.Fatalf("stored votes %v, want %v", stored, want)
		}
		if _, repaired, err := f.st.LoadRounds(context.Background(), f.session.ID); err != nil || len(repaired) > 0 {
			t.Fatalf("rebuilt from the stored votes: repaired %+v, %v", repaired, err)
		}
	})
}

func TestVotesOnClosedOrForeignRounds(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		draft := f.round(t, store.RoundInput{Kind: tally.Scale, Prompt: "How important?"}, false)
		if o := f.vote(t, draft, newVoter(), "v", `"3"`); !errors.Is(o.Err, store.ErrRoundNotOpen) {
			t.Fatalf("vote on a draft: %+v", o)
		}
		r := f.round(t, store.RoundInput{Kind: tally.Scale, Prompt: "How urgent?"}, true)
		if _, err := f.st.SetRoundState(ctx, f.orgID, r.ID, store.ActionClose); err != nil {
			t.Fatal(err)
		}
		if o := f.vote(t, r, newVoter(), "v", `"3"`); !errors.Is(o.Err, store.ErrRoundNotOpen) {
			t.Fatalf("vote on a closed round: %+v", o)
		}
		other := newLiveFixture2(t, f)
		out, _, err := f.st.CommitVotes(ctx, []store.VoteInput{{SessionID: other.ID, RoundID: r.ID, ParticipantID: models.NewID(),
			TokenHash: newVoter().hash, VoteID: "v", Choice: []byte(`"3"`)}})
		if err != nil || !errors.Is(out[0].Err, store.ErrNotFound) {
			t.Fatalf("a vote from another session's participant: %+v %v", out, err)
		}
		if _, counts := f.counts(t, r.ID); counts["3"] != 0 {
			t.Fatalf("refused votes were counted: %v", counts)
		}
	})
}

func newLiveFixture2(t *testing.T, f *liveFixture) models.LiveSession {
	t.Helper()
	sess, err := f.st.CreateLiveSession(context.Background(), f.orgID, "", store.LiveSessionInput{SiteID: f.session.SiteID, Title: "Another", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func TestRoundStatesAndReveal(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		first := f.round(t, store.RoundInput{Kind: tally.Pick, Prompt: "Which night?", Options: []string{"Tue", "Thu"}}, true)
		second := f.round(t, store.RoundInput{Kind: tally.Agree, Prompt: "Add a van stop?"}, false)
		if second.Position != first.Position+1 {
			t.Fatalf("positions %d, %d", first.Position, second.Position)
		}
		ch, err := f.st.SetRoundState(ctx, f.orgID, second.ID, store.ActionOpen)
		if err != nil || len(ch.Closed) != 1 || ch.Closed[0].ID != first.ID || ch.Closed[0].State != models.RoundClosed {
			t.Fatalf("opening a round closes the open one: %+v %v", ch, err)
		}
		var state *store.StateError
		if _, err := f.st.SetRoundState(ctx, f.orgID, second.ID, store.ActionReveal); !errors.As(err, &state) || state.Code != "too_few_voters" {
			t.Fatalf("reveal with no voters: %v", err)
		}
		for i := range 4 {
			f.vote(t, second, newVoter(), "v", []string{`"agree"`, `"disagree"`}[i%2])
		}
		if _, err := f.st.SetRoundState(ctx, f.orgID, second.ID, store.ActionReveal); !errors.As(err, &state) || state.Code != "too_few_voters" {
			t.Fatalf("reveal with 4 of 5 voters: %v", err)
		}
		// A person counted by hand is a person in the room: four phones
		// and one raised hand make the minimum of five.
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", second.ID, map[string]int{"unsure": 1}); err != nil {
			t.Fatal(err)
		}
		ch, err = f.st.SetRoundState(ctx, f.orgID, second.ID, store.ActionReveal)
		if err != nil || ch.Round.State != models.RoundRevealed {
			t.Fatalf("reveal with 4 voters and 1 counted hand: %+v %v", ch, err)
		}
		if o := f.vote(t, second, newVoter(), "v", `"agree"`); !errors.Is(o.Err, store.ErrRoundNotOpen) {
			t.Fatalf("revealing ends voting: %+v", o)
		}
		if _, err := f.st.SetRoundState(ctx, f.orgID, second.ID, store.ActionOpen); !errors.As(err, &state) {
			t.Fatalf("a revealed round reopened: %v", err)
		}
		if _, err := f.st.SetRoundState(ctx, "00000000-0000-4000-8000-000000000000", second.ID, store.ActionClose); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another organization closed the round: %v", err)
		}
	})
}

func TestRevealCountsPeopleCountedByHand(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		var state *store.StateError
		// Three phones and four raised hands: seven people, over the minimum of five.
		pick := f.round(t, store.RoundInput{Kind: tally.Pick, Prompt: "What first?", Options: []string{"Food pantry", "Mail service"}}, true)
		for range 3 {
			f.vote(t, pick, newVoter(), "v", `"Food pantry"`)
		}
		_, err := f.st.SetRoundState(ctx, f.orgID, pick.ID, store.ActionReveal)
		if !errors.As(err, &state) || state.Code != "too_few_voters" || !strings.Contains(state.Message, "At least 5 people") || !strings.Contains(state.Message, "3 have so far") {
			t.Fatalf("reveal with 3 phones: %v", err)
		}
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", pick.ID, map[string]int{"Food pantry": 2, "Mail service": 2}); err != nil {
			t.Fatal(err)
		}
		if ch, err := f.st.SetRoundState(ctx, f.orgID, pick.ID, store.ActionReveal); err != nil || ch.Round.State != models.RoundRevealed {
			t.Fatalf("reveal with 3 phones and 4 hands: %+v %v", ch, err)
		}

		// In a dots round a hand count is a dot, not a person.
		dots := f.round(t, store.RoundInput{Kind: tally.Dots, Prompt: "Where should money go?", Options: []string{"Food", "Lockers"}}, true)
		for range 3 {
			f.vote(t, dots, newVoter(), "v", `{"Food":2}`)
		}
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", dots.ID, map[string]int{"Lockers": 40}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.SetRoundState(ctx, f.orgID, dots.ID, store.ActionReveal); !errors.As(err, &state) || state.Code != "too_few_voters" {
			t.Fatalf("dots counted by hand made up the minimum: %v", err)
		}
	})
}

func TestHandCountsJoinTheTally(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		r := f.round(t, store.RoundInput{Kind: tally.Dots, Prompt: "Spread your dots", Options: []string{"food", "showers", "lockers"}}, true)
		f.vote(t, r, newVoter(), "v", `{"food":3,"lockers":2}`)
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"food": 10, "showers": 4}); err != nil {
			t.Fatal(err)
		}
		// Entering the counts again replaces them: a retried request does
		// not count twice.
		got, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"food": 12})
		if err != nil {
			t.Fatal(err)
		}
		tl, _ := store.RoundTally(got)
		spec := store.RoundSpec(got)
		if c := tl.Counts(spec); !maps.Equal(c, map[string]int{"food": 15, "showers": 4, "lockers": 2}) {
			t.Fatalf("counts %v", c)
		}
		if h := tl.HandCounts(spec); !maps.Equal(h, map[string]int{"food": 12, "showers": 4, "lockers": 0}) {
			t.Fatalf("hand counts %v", h)
		}
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"pool": 1}); !errors.As(err, new(*store.InvalidError)) {
			t.Fatalf("hand count for an unknown option: %v", err)
		}
		rounds, repaired, err := f.st.LoadRounds(ctx, f.session.ID)
		if err != nil || len(repaired) != 0 || len(rounds) != 1 {
			t.Fatalf("rebuild after hand counts: %d rounds, repaired %v, %v", len(rounds), repaired, err)
		}
	})
}

// The stored tally is rebuilt from the votes; one edited by hand is
// repaired under a new seq.
func TestLoadRoundsRebuildsExactly(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		r := f.round(t, store.RoundInput{Kind: tally.Rank, Prompt: "Order these", Options: []string{"a", "b", "c"}}, true)
		for _, c := range []string{`["a","b"]`, `["b"]`, `["c","a","b"]`} {
			f.vote(t, r, newVoter(), "v", c)
		}
		before, want := f.counts(t, r.ID)
		if err := db.Model(&models.LiveRound{}).Where("id = ?", r.ID).Update("tally", `{"voters":1}`).Error; err != nil {
			t.Fatal(err)
		}
		rounds, repaired, err := f.st.LoadRounds(ctx, f.session.ID)
		if err != nil || len(repaired) != 1 || repaired[0].Seq != before.Seq+1 {
			t.Fatalf("repair: %+v %v", repaired, err)
		}
		tl, _ := store.RoundTally(rounds[0])
		if got := tl.Counts(store.RoundSpec(rounds[0])); !maps.Equal(got, want) || tl.Voters != 3 {
			t.Fatalf("rebuilt %v (%d voters), want %v", got, tl.Voters, want)
		}
	})
}

func TestEndSessionStoresSummary(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		ctx := context.Background()
		r := f.round(t, store.RoundInput{Kind: tally.Agree, Prompt: "Keep the Tuesday meal?"}, true)
		f.vote(t, r, newVoter(), "v", `"agree"`)
		if _, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"agree": 7}); err != nil {
			t.Fatal(err)
		}
		sess, closed, err := f.st.EndLiveSession(ctx, f.orgID, f.session.ID)
		if err != nil || sess.State != models.LiveEnded || len(closed) != 1 {
			t.Fatalf("end: %+v %v %v", sess, closed, err)
		}
		sum, err := f.st.LiveSummary(ctx, f.orgID, f.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got store.Summary
		if err := json.Unmarshal(sum.Summary, &got); err != nil || len(got.Rounds) != 1 {
			t.Fatalf("summary %s: %v", sum.Summary, err)
		}
		sr := got.Rounds[0]
		if sr.Voters != 1 || sr.Counts["agree"] != 8 || sr.HandCounts["agree"] != 7 || sr.State != models.RoundClosed || got.MinVoters != 5 {
			t.Errorf("summary %s", sum.Summary)
		}
		if _, _, err := f.st.EndLiveSession(ctx, f.orgID, f.session.ID); err != nil {
			t.Fatalf("ending twice: %v", err)
		}
		var state *store.StateError
		if _, err := f.st.CreateRound(ctx, f.orgID, f.session.ID, store.RoundInput{Kind: tally.Agree, Prompt: "Late"}); !errors.As(err, &state) {
			t.Fatalf("a round added to an ended session: %v", err)
		}
	})
}

var gormDuplicated = gorm.ErrDuplicatedKey
