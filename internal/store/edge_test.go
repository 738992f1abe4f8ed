package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// edgeText is what the API passes: scrub, then find urgent words.
func edgeText(text string, words []string) (string, []string) {
	clean, _ := privacy.Scrub(text)
	return clean, privacy.ContainsAny(clean, words)
}

// enrolledEdge adds an edge device for the van and enrolls it.
func enrolledEdge(t *testing.T, f *proposalFixture) (store.EdgeAuth, string) {
	t.Helper()
	ctx := context.Background()
	_, en, err := f.st.By(nil).CreateEdgeDevice(ctx, f.org.ID, f.van.ID, "Van laptop")
	if err != nil {
		t.Fatal(err)
	}
	ea, token, err := f.st.By(nil).EnrollEdge(ctx, en.Code)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.st.By(nil).EnrollEdge(ctx, en.Code); !errors.Is(err, store.ErrCredentials) {
		t.Fatalf("a code used twice: %v", err)
	}
	return ea, token
}

// batchOf hashes a batch as the API does: the body, and each item.
func batchOf(t *testing.T, b edge.Batch) store.EdgeBatch {
	t.Helper()
	body, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	out := store.EdgeBatch{Batch: b, RequestHash: sum[:]}
	for _, it := range b.Items {
		ib, _ := json.Marshal(it)
		h := sha256.Sum256(ib)
		out.ItemHashes = append(out.ItemHashes, h[:])
	}
	return out
}

func vanSession(proposalID string, voters, participants int) *edge.Session {
	start := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	return &edge.Session{Title: "Van meeting", Language: "en", StartedAt: start, EndedAt: start.Add(time.Hour), Participants: participants,
		Rounds: []edge.Round{
			{Position: 0, Kind: tally.Agree, Prompt: "Evening hours?", ProposalID: &proposalID, State: models.RoundRevealed,
				Tally: tally.Tally{Voters: voters, Votes: map[string]int{"agree": voters - 1, "disagree": 1}, Hand: map[string]int{"agree": 2}}},
			{Position: 1, Kind: tally.Pick, Prompt: "Which day?", Options: []string{"Mon", "Tue"}, State: models.RoundClosed,
				Tally: tally.Tally{Voters: 2, Votes: map[string]int{"Tue": 2}}},
		}}
}

func countRows(t *testing.T, db *database.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEdgeBatchIsStoredExactlyOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, token := enrolledEdge(t, f)
		if got, err := f.st.EdgeByToken(ctx, token); err != nil || got.Device.ID != ea.Device.ID {
			t.Fatalf("token: %+v %v", got, err)
		}
		p := f.propose(t, models.OriginStaff)
		mustMove(t, f, p.ID, models.StatusOpen)
		b := edge.Batch{ID: "batch-1", SiteID: f.van.ID, Items: []edge.Item{
			{ID: "sub-1", Kind: edge.KindSubmission, Submission: &edge.Submission{Day: models.DayOf(f.clock, time.UTC), Language: "en",
				Needs: []string{"housing"}, Priorities: []string{"housing"}, Text: "A bad batch went round last night", MayQuote: true}},
			{ID: "sess-1", Kind: edge.KindSession, Session: vanSession(p.ID, 5, 6)},
		}}
		in := batchOf(t, b)
		first, err := f.st.ApplyEdgeBatch(ctx, ea, in, edgeText)
		if err != nil {
			t.Fatal(err)
		}
		sup, err := f.st.ProposalSupport(ctx, f.org.ID, p.ID)
		if err != nil || len(sup) != 1 || sup[0].Live["agree"] != 4 || sup[0].Hand["agree"] != 2 || sup[0].Live["disagree"] != 1 {
			t.Fatalf("support after the van's round: %+v %v", sup, err)
		}
		if n := countRows(t, db, "alerts"); n != 1 {
			t.Fatalf("urgent words raised %d alerts, want 1", n)
		}
		before := testutil.Snapshot(t, db)
		again, err := f.st.ApplyEdgeBatch(ctx, ea, in, edgeText)
		if err != nil || fmt.Sprint(again) != fmt.Sprint(first) {
			t.Fatalf("the same batch again answered %+v, %v; first %+v", again, err, first)
		}
		// The same items in a new batch (an edge that lost its answer and
		// rebuilt the batch) store nothing more either.
		b2 := b
		b2.ID = "batch-2"
		rebuilt, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, b2), edgeText)
		if err != nil || rebuilt.Items[0].RefID != first.Items[0].RefID || rebuilt.Items[1].RefID != first.Items[1].RefID {
			t.Fatalf("rebuilt batch: %+v %v", rebuilt, err)
		}
		if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) != 1 || changed[0] != "edge_batches" {
			t.Fatalf("replays changed %v, want only edge_batches (the new batch's answer)", changed)
		}
		// Another body under a used batch id is refused.
		b3 := b
		b3.Items = b.Items[:1]
		if _, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, b3), edgeText); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Fatalf("another body under batch-1: %v", err)
		}
		var item models.EdgeItem
		if err := db.Where("item_id = ?", "sess-1").First(&item).Error; err != nil || item.DeviceID != ea.Device.ID {
			t.Fatalf("the session's origin: %+v %v", item, err)
		}
		sum, err := f.st.LiveSummary(ctx, f.org.ID, item.RefID)
		if err != nil || len(sum.Summary) == 0 {
			t.Fatalf("the van session's summary: %v", err)
		}
	})
}

func TestEdgeBatchRefusalsStoreNothing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, _ := enrolledEdge(t, f)
		p := f.propose(t, models.OriginStaff)
		mustMove(t, f, p.ID, models.StatusOpen)
		other, err := f.st.CreateOrganization(ctx, "Other Program")
		if err != nil {
			t.Fatal(err)
		}
		otherSite, err := f.st.CreateSite(ctx, other.ID, store.SiteInput{Name: "Elsewhere", Kind: "fixed", Setting: "urban", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		sub := func(needs ...string) edge.Item {
			return edge.Item{ID: "sub", Kind: edge.KindSubmission, Submission: &edge.Submission{Language: "en", Needs: needs}}
		}
		forged := vanSession(p.ID, 5, 6)
		forged.Participants = 3
		badSum := vanSession(p.ID, 5, 6)
		badSum.Rounds[1].Tally.Votes["Tue"] = 9
		for _, c := range []struct {
			name, field string
			batch       edge.Batch
		}{
			{"another organization's site", "site_id", edge.Batch{ID: "b1", SiteID: otherSite.ID, Items: []edge.Item{sub("housing")}}},
			{"an unknown category", "items[1].submission.needs[0]", edge.Batch{ID: "b2", SiteID: f.van.ID,
				Items: []edge.Item{{ID: "ok", Kind: edge.KindSubmission, Submission: &edge.Submission{Language: "en", Needs: []string{"housing"}}}, sub("teleportation")}}},
			{"more voters than participants", "items[0].session.rounds[0].tally", edge.Batch{ID: "b3", SiteID: f.van.ID,
				Items: []edge.Item{{ID: "s", Kind: edge.KindSession, Session: forged}}}},
			{"votes its voters cannot make", "items[0].session.rounds[1].tally", edge.Batch{ID: "b4", SiteID: f.van.ID,
				Items: []edge.Item{{ID: "s", Kind: edge.KindSession, Session: badSum}}}},
		} {
			before := testutil.Snapshot(t, db)
			_, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, c.batch), edgeText)
			var inv *store.InvalidError
			if !errors.As(err, &inv) || inv.Field != c.field {
				t.Errorf("%s: %v, want a refusal of %s", c.name, err, c.field)
			}
			if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) > 0 {
				t.Errorf("%s: refused, yet changed %v", c.name, changed)
			}
		}
		if _, err := f.st.By(nil).RevokeEdgeDevice(ctx, f.org.ID, ea.Device.ID); err != nil {
			t.Fatal(err)
		}
		var d models.EdgeDevice
		if err := db.First(&d, "id = ?", ea.Device.ID).Error; err != nil || d.TokenHash != nil || d.RevokedAt == nil {
			t.Fatalf("revoked device: %+v %v", d, err)
		}
	})
}

// The main server owns configuration, the van what it recorded: a category
// retired upstream still takes the van's earlier answers, and a proposal
// closed upstream keeps the van round's counts as evidence, and says so.
func TestEdgeConflictsKeepTheVansFacts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, _ := enrolledEdge(t, f)
		p := f.propose(t, models.OriginStaff)
		mustMove(t, f, p.ID, models.StatusOpen)
		st, err := f.st.EdgeState(ctx, ea)
		if err != nil || st.Site.ID != f.van.ID || len(st.Categories) == 0 || len(st.Proposals) != 1 {
			t.Fatalf("state: %+v %v", st, err)
		}
		var housing models.Category
		if err := db.Where("organization_id = ? AND code = ?", f.org.ID, "housing").First(&housing).Error; err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := f.st.UpdateCategory(ctx, f.org.ID, housing.ID, store.CategoryChange{Active: &off}); err != nil {
			t.Fatal(err)
		}
		mustMove(t, f, p.ID, models.StatusUnderReview)
		mustMove(t, f, p.ID, models.StatusDeclined)
		res, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, edge.Batch{ID: "late", SiteID: f.van.ID, Items: []edge.Item{
			{ID: "sub", Kind: edge.KindSubmission, Submission: &edge.Submission{Language: "es", Needs: []string{"housing"}}},
			{ID: "sess", Kind: edge.KindSession, Session: vanSession(p.ID, 5, 5)},
		}}), edgeText)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items[1].Notes) != 1 {
			t.Fatalf("notes: %+v", res.Items[1])
		}
		sup, err := f.st.ProposalSupport(ctx, f.org.ID, p.ID)
		if err != nil || len(sup) != 1 || sup[0].Live["agree"] != 4 {
			t.Fatalf("a declined proposal's evidence from the van: %+v %v", sup, err)
		}
		// A van whose clock ran two hours ahead: its meeting is taken, and
		// cannot have ended after it arrived.
		ahead := vanSession(p.ID, 5, 5)
		ahead.StartedAt, ahead.EndedAt = f.clock.Add(time.Hour), f.clock.Add(2*time.Hour)
		res, err = f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, edge.Batch{ID: "ahead", SiteID: f.van.ID, Items: []edge.Item{
			{ID: "ahead", Kind: edge.KindSession, Session: ahead}}}), edgeText)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := f.st.LiveSession(ctx, f.org.ID, res.Items[0].RefID)
		if err != nil || sess.EndedAt == nil || sess.EndedAt.After(f.clock) || !sess.CreatedAt.Equal(f.clock.Add(-time.Hour)) {
			t.Fatalf("a meeting from a clock ahead: %+v %v", sess, err)
		}
	})
}

// The same batch arriving twice at once (a van that timed out and sent it
// again while the first request was still running) is stored once, and
// both requests get the same answer.
func TestEdgeBatchSentTwiceAtOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, _ := enrolledEdge(t, f)
		p := f.propose(t, models.OriginStaff)
		mustMove(t, f, p.ID, models.StatusOpen)
		in := batchOf(t, edge.Batch{ID: "twice", SiteID: f.van.ID, Items: []edge.Item{
			{ID: "sess", Kind: edge.KindSession, Session: vanSession(p.ID, 5, 6)},
			{ID: "sub", Kind: edge.KindSubmission, Submission: &edge.Submission{Language: "en", Needs: []string{"food"}}},
		}})
		results := make(chan string, 2)
		for range 2 {
			go func() {
				res, err := f.st.ApplyEdgeBatch(ctx, ea, in, edgeText)
				results <- fmt.Sprint(res, err)
			}()
		}
		a, b := <-results, <-results
		if a != b || countRows(t, db, "live_sessions") != 1 || countRows(t, db, "submissions") != 1 {
			t.Fatalf("two requests answered %q and %q; %d sessions, %d submissions stored", a, b,
				countRows(t, db, "live_sessions"), countRows(t, db, "submissions"))
		}
	})
}

// A van's submission keeps the day it was made unless reports have settled
// that day for good; then, like an offline kiosk's, it takes the day it
// arrived. A day in the future (a clock ahead) takes the arrival day too.
func TestEdgeSubmissionDays(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, _ := enrolledEdge(t, f)
		today := models.DayOf(f.clock, mustZone(t, f.van.TimeZone))
		cases := map[string]struct{ sent, want models.Day }{
			"yesterday":   {today.AddDays(-1), today.AddDays(-1)},
			"a week ago":  {today.AddDays(-7), today},
			"tomorrow":    {today.AddDays(1), today},
			"today":       {today, today},
			"no day sent": {models.Day{}, today},
		}
		var items []edge.Item
		for name, c := range cases {
			items = append(items, edge.Item{ID: name, Kind: edge.KindSubmission, Submission: &edge.Submission{Day: c.sent, Language: "en"}})
		}
		res, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, edge.Batch{ID: "days", SiteID: f.van.ID, Items: items}), edgeText)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Items {
			var sub models.Submission
			if err := db.First(&sub, "id = ?", r.RefID).Error; err != nil {
				t.Fatal(err)
			}
			if want := cases[r.ID].want; sub.Day != want {
				t.Errorf("%s: stored under %s, want %s", r.ID, sub.Day, want)
			}
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
