package live

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A vote is acknowledged after its commit with a seq whose tally includes
// it; re-sending it is answered again; changing it replaces it.
func TestVotesAckedTalliedAndIdempotent(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 20 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Pick, Prompt: "Which night?", Options: []string{"Tue", "Thu"}}, h)
		alice := connect(t, h, f.session, Participant)
		bob := connect(t, h, f.session, Participant)
		boss := connect(t, h, f.session, Facilitator)
		if alice.token() == bob.token() || alice.token() == "" {
			t.Fatal("participants share a token")
		}

		alice.vote("a1", r.ID, "Tue")
		seq := alice.ack("a1")
		var stored int64
		db.Model(&models.LiveVote{}).Where("round_id = ? AND vote_id = ?", r.ID, "a1").Count(&stored)
		if stored != 1 {
			t.Fatal("an acknowledged vote is not in the database")
		}
		if got := counts(boss.tallyAt(r.ID, seq)); got["Tue"] != 1 {
			t.Fatalf("facilitator tally at the ack's seq lacks the vote: %v", got)
		}

		alice.vote("a1", r.ID, "Tue")
		if again := ackAfter(t, alice, "a1", 1); again < seq {
			t.Fatalf("replay acknowledged with seq %d < %d", again, seq)
		}
		bob.vote("b1", r.ID, "Thu")
		bob.ack("b1")
		alice.vote("a2", r.ID, "Thu")
		last := alice.ack("a2")
		got := counts(boss.tallyAt(r.ID, last))
		if !maps.Equal(got, map[string]int{"Tue": 0, "Thu": 2}) {
			t.Fatalf("after a change: %v", got)
		}
		if tl := boss.tallyAt(r.ID, last); tl["voters"].(float64) != 2 {
			t.Fatalf("voters %v, want 2", tl["voters"])
		}
	})
}

// ackAfter waits for the n+1-th answer to a vote_id.
func ackAfter(t *testing.T, p *probe, voteID string, n int) int64 {
	t.Helper()
	var m map[string]any
	testutil.Eventually(t, waitTimeout, "second ack of "+voteID, func() bool {
		seen := 0
		for _, a := range p.all(TypeAck) {
			if a["vote_id"] == voteID {
				if seen == n {
					m = a
					return true
				}
				seen++
			}
		}
		return false
	})
	return int64(m["seq"].(float64))
}

// Refused votes get an error with a code and change nothing.
func TestRefusedVotes(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Dots, Prompt: "Dots", Options: []string{"a", "b"}, Dots: ptr(3)}, h)
		p := connect(t, h, f.session, Participant)
		screen := connect(t, h, f.session, Screen)
		p.token()
		for i, tc := range []struct {
			raw, code string
		}{
			{`not json`, CodeInvalidJSON},
			{`{"vote_id":"x"}`, CodeInvalidJSON},
			{`{"type":"shout"}`, CodeUnknownType},
			{`{"type":"vote","round_id":"` + r.ID + `","choice":{"a":1}}`, CodeInvalidVote},
			{`{"type":"vote","vote_id":"v1","round_id":"` + models.NewID() + `","choice":{"a":1}}`, CodeUnknownRound},
			{`{"type":"vote","vote_id":"v2","round_id":"` + r.ID + `","choice":{"a":4}}`, CodeInvalidChoice},
			{`{"type":"vote","vote_id":"v3","round_id":"` + r.ID + `","choice":"a"}`, CodeInvalidChoice},
			{`{"type":"resume","participant":"chorus_live_forged"}`, CodeUnknownParticipant},
		} {
			p.c.Handle(context.Background(), []byte(tc.raw))
			n := i + 1
			testutil.Eventually(t, waitTimeout, "error for "+tc.raw, func() bool { return len(p.all(TypeError)) >= n })
			if got := p.all(TypeError)[i]["code"]; got != tc.code {
				t.Errorf("%s: code %v, want %s", tc.raw, got, tc.code)
			}
		}
		screen.vote("s1", r.ID, map[string]int{"a": 1})
		if e := screen.waitFor("read-only error", isType(TypeError)); e["code"] != CodeReadOnly {
			t.Fatalf("a screen voted: %v", e)
		}
		var n int64
		db.Model(&models.LiveVote{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d votes stored from refused messages", n)
		}
		f.act(r.ID, store.ActionClose, h)
		p.waitFor("round closed", func(m map[string]any) bool {
			return m["type"] == TypeRound && m["round"].(map[string]any)["state"] == models.RoundClosed
		})
		p.vote("late", r.ID, map[string]int{"a": 1})
		if e := p.waitFor("closed", func(m map[string]any) bool { return m["vote_id"] == "late" }); e["code"] != CodeRoundClosed {
			t.Fatalf("vote on a closed round: %v", e)
		}
	})
}

func ptr(n int) *int { return &n }

// Many votes make few tally broadcasts, at most one per interval, each
// with a higher seq, the last carrying the latest.
func TestTalliesAreCoalescedInSeqOrder(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		const interval = 100 * time.Millisecond
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: interval, BatchSize: 4})
		r := f.openRound(store.RoundInput{Kind: tally.Scale, Prompt: "How much?"}, h)
		screen := connect(t, h, f.session, Screen)
		screen.waitFor("welcome", isType(TypeWelcome))
		voters := make([]*probe, 12)
		for i := range voters {
			voters[i] = connect(t, h, f.session, Participant)
		}
		start := time.Now()
		var last int64
		for round := range 3 {
			for i, v := range voters {
				v.vote(fmt.Sprintf("v%d-%d", i, round), r.ID, fmt.Sprint(1+(i+round)%5))
			}
			for i, v := range voters {
				last = max(last, v.ack(fmt.Sprintf("v%d-%d", i, round)))
			}
		}
		final := screen.tallyAt(r.ID, last)
		elapsed := time.Since(start)
		if final["counts"] != nil {
			t.Fatalf("the screen sees counts before reveal: %v", final)
		}
		if final["voters"].(float64) != 12 {
			t.Fatalf("voters %v, want 12", final["voters"])
		}
		var prev int64 = -1
		var prevAt time.Time
		n := 0
		screen.mu.Lock()
		for i, m := range screen.msgs {
			if m["type"] != TypeTally || m["round_id"] != r.ID {
				continue
			}
			seq := int64(m["seq"].(float64))
			if seq <= prev {
				t.Errorf("tally seq %d after %d", seq, prev)
			}
			if n > 1 && screen.at[i].Sub(prevAt) < interval/2 {
				t.Errorf("two tallies %s apart, want about %s", screen.at[i].Sub(prevAt), interval)
			}
			prev, prevAt = seq, screen.at[i]
			n++
		}
		screen.mu.Unlock()
		if limit := int(elapsed/interval) + 2; n > limit {
			t.Errorf("%d tally broadcasts in %s, want at most %d", n, elapsed, limit)
		}
		if n >= 36 {
			t.Errorf("36 votes made %d broadcasts: not coalesced", n)
		}
	})
}

// Counts stay hidden from the room until the round is revealed, which
// needs the minimum number of voters; the facilitator sees them all along.
// Hand counts join the tally and are shown apart.
func TestRevealAndHandCounts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"}, h)
		screen := connect(t, h, f.session, Screen)
		boss := connect(t, h, f.session, Facilitator)
		var last int64
		for i := range 4 {
			p := connect(t, h, f.session, Participant)
			p.vote("v", r.ID, "agree")
			last = p.ack("v")
			_ = i
		}
		if tl := screen.tallyAt(r.ID, last); tl["counts"] != nil || tl["hidden"] != true {
			t.Fatalf("screen sees counts of an open round: %v", tl)
		}
		if got := counts(boss.tallyAt(r.ID, last)); got["agree"] != 4 {
			t.Fatalf("facilitator view %v", got)
		}
		f.act(r.ID, store.ActionClose, h)
		if _, err := f.st.SetRoundState(ctx, f.orgID, r.ID, store.ActionReveal); err == nil {
			t.Fatal("revealed with 4 voters of 5")
		}
		f.act(r.ID, store.ActionOpen, h)
		hand, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"disagree": 3})
		if err != nil {
			t.Fatal(err)
		}
		h.Updated(ctx, hand)
		tl := boss.tallyAt(r.ID, hand.Seq)
		if got := counts(tl); !maps.Equal(got, map[string]int{"agree": 4, "disagree": 3, "unsure": 0}) {
			t.Fatalf("hand counts did not join the tally: %v", got)
		}
		if hc := tl["hand_counts"].(map[string]any); hc["disagree"].(float64) != 3 {
			t.Fatalf("hand counts not shown apart: %v", tl)
		}
		p := connect(t, h, f.session, Participant)
		p.vote("v", r.ID, "unsure")
		p.ack("v")
		revealed := f.act(r.ID, store.ActionReveal, h)
		screen.waitFor("round revealed", func(m map[string]any) bool {
			return m["type"] == TypeRound && m["round"].(map[string]any)["state"] == models.RoundRevealed
		})
		tl = screen.tallyAt(r.ID, revealed.Seq)
		if got := counts(tl); !maps.Equal(got, map[string]int{"agree": 4, "disagree": 3, "unsure": 1}) || tl["hidden"] != false || tl["hand_counts"] == nil {
			t.Fatalf("revealed tally on the screen: %v", tl)
		}
		// A newcomer is welcomed with the revealed round and its counts.
		late := connect(t, h, f.session, Participant)
		w := late.waitFor("welcome", isType(TypeWelcome))
		if w["round"].(map[string]any)["id"] != r.ID || counts(late.tallyAt(r.ID, revealed.Seq)) == nil {
			t.Fatalf("welcome %v", w)
		}
	})
}

// A resumed participant keeps one vote per round; tokens of another
// session are not taken.
func TestResumeKeepsIdentity(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"}, h)
		first := connect(t, h, f.session, Participant)
		token := first.token()
		first.vote("v1", r.ID, "agree")
		first.ack("v1")
		first.leave()

		again := connect(t, h, f.session, Participant)
		again.c.Handle(context.Background(), []byte(`{"type":"resume","participant":"`+token+`"}`))
		again.waitFor("welcome with the old token", func(m map[string]any) bool {
			return m["type"] == TypeWelcome && m["participant"] == token
		})
		again.vote("v2", r.ID, "disagree")
		seq := again.ack("v2")
		boss := connect(t, h, f.session, Facilitator)
		tl := boss.tallyAt(r.ID, seq)
		if got := counts(tl); got["agree"] != 0 || got["disagree"] != 1 || tl["voters"].(float64) != 1 {
			t.Fatalf("a reconnect counted twice: %v", tl)
		}
		again.c.Handle(context.Background(), []byte(`{"type":"resume","participant":"`+token+`"}`))
		if e := again.waitFor("too late", isType(TypeError)); e["code"] != CodeResumeTooLate {
			t.Fatalf("resume after voting: %v", e)
		}

		other, err := f.st.CreateLiveSession(context.Background(), f.orgID, "", store.LiveSessionInput{SiteID: f.session.SiteID, Title: "Other", Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		stranger := connect(t, h, other, Participant)
		stranger.c.Handle(context.Background(), []byte(`{"type":"resume","participant":"`+token+`"}`))
		if e := stranger.waitFor("unknown", isType(TypeError)); e["code"] != CodeUnknownParticipant {
			t.Fatalf("a token crossed sessions: %v", e)
		}
	})
}

// A client that does not read is dropped once its queue is full, and the
// others keep receiving.
func TestStalledClientIsDroppedOthersContinue(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 5 * time.Millisecond, QueueLimit: 4})
		first := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "One"}, h)
		second, err := f.st.CreateRound(context.Background(), f.orgID, f.session.ID, store.RoundInput{Kind: tally.Agree, Prompt: "Two"})
		if err != nil {
			t.Fatal(err)
		}
		stalled, err := h.Connect(context.Background(), f.session, Screen)
		if err != nil {
			t.Fatal(err)
		}
		defer stalled.Leave()
		live := connect(t, h, f.session, Screen)
		var last models.LiveRound
		for i := range 6 {
			last = f.act([]string{second.ID, first.ID}[i%2], store.ActionOpen, h)
		}
		select {
		case <-stalled.Done():
		case <-time.After(waitTimeout):
			t.Fatal("a client that never reads was not dropped")
		}
		if code, _ := stalled.CloseStatus(); code != CloseTryAgain {
			t.Fatalf("close code %d, want %d", code, CloseTryAgain)
		}
		live.tallyAt(last.ID, last.Seq)
		select {
		case <-live.c.Done():
			t.Fatal("a reading client was dropped")
		default:
		}
	})
}

// The database is the truth: a fresh hub (a restarted process) rebuilds
// exactly the tallies acknowledged votes made.
func TestFreshHubRebuildsTallies(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Rank, Prompt: "Order", Options: []string{"a", "b", "c"}}, h)
		boss := connect(t, h, f.session, Facilitator)
		var last int64
		for i, ballot := range [][]string{{"a", "b", "c"}, {"b"}, {"c", "a"}, {"a", "c"}} {
			p := connect(t, h, f.session, Participant)
			p.vote(fmt.Sprint(i), r.ID, ballot)
			last = p.ack(fmt.Sprint(i))
		}
		before := boss.tallyAt(r.ID, last)

		fresh := newHub(t, store.New(db), Options{TallyInterval: 10 * time.Millisecond})
		view := connect(t, fresh, f.session, Facilitator)
		after := view.tallyAt(r.ID, last)
		if !maps.Equal(counts(after), counts(before)) || after["seq"] != before["seq"] || after["voters"] != before["voters"] {
			t.Fatalf("rebuilt %v, want %v", after, before)
		}
		if first := after["first"].(map[string]any); first["a"].(float64) != 2 {
			t.Fatalf("first choices %v", first)
		}
	})
}

// Ending a session tells its clients and closes them.
func TestEndClosesClients(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{})
		p := connect(t, h, f.session, Participant)
		sess, _, err := f.st.EndLiveSession(context.Background(), f.orgID, f.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		h.Ended(context.Background(), sess)
		p.waitFor("session ended", func(m map[string]any) bool {
			return m["type"] == TypeSession && m["session"].(map[string]any)["state"] == models.LiveEnded
		})
		<-p.done
		if code, _ := p.c.CloseStatus(); code != CloseNormal {
			t.Fatalf("close code %d", code)
		}
	})
}

// Closing the hub commits queued votes, acknowledges them and closes
// clients as going away.
func TestCloseFlushes(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := New(Options{Store: f.st, BatchDelay: time.Hour})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"}, h)
		p := connect(t, h, f.session, Participant)
		p.token()
		p.vote("v", r.ID, "agree")
		h.Close(context.Background())
		<-p.done
		if code, _ := p.c.CloseStatus(); code != CloseGoingAway {
			t.Fatalf("close code %d, want going away", code)
		}
		if acks := p.all(TypeAck); len(acks) != 1 {
			t.Fatalf("the queued vote was not acknowledged before closing: %v", p.msgs)
		}
		var n int64
		db.Model(&models.LiveVote{}).Count(&n)
		if n != 1 {
			t.Fatal("the queued vote was not committed")
		}
		if _, err := h.Connect(context.Background(), f.session, Participant); err != ErrClosed {
			t.Fatalf("connect after close: %v", err)
		}
	})
}

// A participant whose first vote was still on its way when the connection
// dropped resumes as themselves: the vote lands first, and re-sending it
// counts once.
func TestResumeWhileFirstVoteInFlight(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond, BatchDelay: 300 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"}, h)
		first := connect(t, h, f.session, Participant)
		token := first.token()
		first.vote("v1", r.ID, "agree")
		first.leave()

		again := connect(t, h, f.session, Participant)
		again.c.Handle(context.Background(), []byte(`{"type":"resume","participant":"`+token+`"}`))
		again.waitFor("welcome with the old token", func(m map[string]any) bool {
			return m["type"] == TypeWelcome && m["participant"] == token
		})
		again.vote("v1", r.ID, "agree")
		seq := again.ack("v1")
		boss := connect(t, h, f.session, Facilitator)
		if tl := boss.tallyAt(r.ID, seq); tl["voters"].(float64) != 1 {
			t.Fatalf("the resent vote counted twice: %v", tl)
		}
	})
}

// At start a process checks every open session's stored tallies against
// the votes, and repairs one that does not match.
func TestRebuildAtStart(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		h := newHub(t, f.st, Options{})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"}, h)
		_, _, err := f.st.CommitVotes(ctx, []store.VoteInput{{SessionID: f.session.ID, RoundID: r.ID, ParticipantID: models.NewID(),
			TokenHash: []byte("0123456789abcdef0123456789abcdef"), VoteID: "v", Choice: []byte(`"agree"`)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Model(&models.LiveRound{}).Where("id = ?", r.ID).Update("tally", `{"voters":9}`).Error; err != nil {
			t.Fatal(err)
		}
		if err := newHub(t, f.st, Options{}).Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := f.st.LiveRound(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		tl, _ := store.RoundTally(got)
		if tl.Voters != 1 || tl.Counts(store.RoundSpec(got))["agree"] != 1 || got.Seq != r.Seq+2 {
			t.Fatalf("after rebuild: seq %d, %+v", got.Seq, tl)
		}
	})
}
