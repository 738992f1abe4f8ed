package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// send hands the hub a client message.
func (p *probe) send(msg map[string]any) {
	p.t.Helper()
	raw, err := json.Marshal(msg)
	if err != nil {
		p.t.Fatal(err)
	}
	p.c.Handle(context.Background(), raw)
}

// errorCoded waits for an error with code and returns it.
func (p *probe) errorCoded(code string) map[string]any {
	p.t.Helper()
	return p.waitFor("error "+code, func(m map[string]any) bool { return m["type"] == TypeError && m["code"] == code })
}

// welcomes counts the welcomes received so far.
func (p *probe) welcomes() []map[string]any { return p.all(TypeWelcome) }

// voters waits for the facilitator's tally at seq or later and returns its
// voters and people.
func voters(p *probe, roundID string, seq int64) (int, int) {
	p.t.Helper()
	m := p.tallyAt(roundID, seq)
	return int(m["voters"].(float64)), int(m["people"].(float64))
}

// A participant cannot vote twice by asking to be a new person: "reset"
// is answered with not_shared, the token stays, and the second vote
// replaces the first. Only a connection that showed a key the console
// issued for this open session may reset.
func TestResetNeedsSharedKey(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "More hours?"}, h)
		boss := connect(t, h, f.session, Facilitator)
		stuffer := connect(t, h, f.session, Participant)
		token := stuffer.token()

		stuffer.vote("v1", r.ID, "agree")
		stuffer.ack("v1")
		stuffer.send(map[string]any{"type": "reset"})
		stuffer.errorCoded(CodeNotShared)
		stuffer.vote("v2", r.ID, "agree")
		seq := stuffer.ack("v2")
		if n := len(stuffer.welcomes()); n != 1 {
			t.Fatalf("a refused reset sent a welcome (%d welcomes)", n)
		}
		if got, _ := voters(boss, r.ID, seq); got != 1 {
			t.Fatalf("voters after a refused reset: %d, want 1 (the second vote replaces the first)", got)
		}
		if tl := boss.tallyAt(r.ID, seq); counts(tl)["agree"] != 1 {
			t.Fatalf("counts after a refused reset: %v", counts(tl))
		}
		if stuffer.token() != token {
			t.Fatal("a refused reset changed the token")
		}

		// A made-up key, or one of another session, is refused.
		stuffer.send(map[string]any{"type": "shared", "key": store.SharedKeyPrefix + "guess"})
		stuffer.errorCoded(CodeUnknownSharedKey)

		// The console's key puts the tablet in shared mode.
		key, err := f.st.AddSharedDevice(ctx, f.orgID, nil, f.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		tablet := connect(t, h, f.session, Participant)
		tablet.send(map[string]any{"type": "shared", "key": key})
		testutil.Eventually(t, waitTimeout, "shared welcome", func() bool {
			ws := tablet.welcomes()
			return len(ws) == 2 && ws[1]["shared"] == true
		})
		first := tablet.token()
		tablet.vote("t1", r.ID, "disagree")
		tablet.ack("t1")
		tablet.send(map[string]any{"type": "reset"})
		testutil.Eventually(t, waitTimeout, "welcome after reset", func() bool { return len(tablet.welcomes()) == 3 })
		if next := tablet.welcomes()[2]["participant"]; next == first || next == "" {
			t.Fatal("a shared tablet's reset kept the token")
		}
		tablet.vote("t2", r.ID, "disagree")
		seq = tablet.ack("t2")
		if got, _ := voters(boss, r.ID, seq); got != 3 {
			t.Fatalf("voters with a shared tablet's two people: %d, want 3", got)
		}

		// Ending the session kills its keys.
		if _, _, err := f.st.EndLiveSession(ctx, f.orgID, f.session.ID); err != nil {
			t.Fatal(err)
		}
		if known, err := f.st.SharedDeviceKnown(ctx, f.session.ID, hashOf(key)); err != nil || known {
			t.Fatalf("key of an ended session: known %v, %v", known, err)
		}
	})
}

// The join limit is asked at a new participant's first vote: over it the
// vote is refused with join_limited and nothing is counted; a participant
// who resumes is not a new join.
func TestJoinLimitCountsNewParticipants(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Open on Sunday?"}, h)
		boss := connect(t, h, f.session, Facilitator)
		var mu sync.Mutex
		left := 3
		admit := func() bool {
			mu.Lock()
			defer mu.Unlock()
			if left == 0 {
				return false
			}
			left--
			return true
		}
		var tokens []string
		var seq int64
		for i := range 5 {
			p := join(t, h, f.session, Participant, admit)
			id := fmt.Sprint("j", i)
			p.vote(id, r.ID, "agree")
			m := p.waitFor("answer", func(m map[string]any) bool { return m["vote_id"] == id })
			switch {
			case i < 3 && m["type"] == TypeAck:
				seq = max(seq, int64(m["seq"].(float64)))
				tokens = append(tokens, p.token())
				p.leave()
			case i >= 3 && m["code"] == CodeJoinLimited:
			default:
				t.Fatalf("participant %d: %v", i, m)
			}
		}
		if got, _ := voters(boss, r.ID, seq); got != 3 {
			t.Fatalf("voters: %d, want the 3 the limit let in", got)
		}
		// Reconnecting and resuming costs nothing, even at the limit.
		back := join(t, h, f.session, Participant, admit)
		back.send(map[string]any{"type": "resume", "participant": tokens[0]})
		testutil.Eventually(t, waitTimeout, "welcome after resume", func() bool { return len(back.welcomes()) == 2 })
		back.vote("again", r.ID, "disagree")
		back.ack("again")
	})
}

func hashOf(key string) []byte { return auth.HashSecret(key) }

// Flag: the facilitator's room size reaches the console and the screen,
// and each tally carries how many people voted (hand counts included) to
// compare with it.
func TestRoomSizeReachesScreens(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 10 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Pick, Prompt: "Which night?", Options: []string{"Tue", "Thu"}}, h)
		screen := connect(t, h, f.session, Screen)
		boss := connect(t, h, f.session, Facilitator)
		if w := screen.waitFor("welcome", isType(TypeWelcome)); w["session"].(map[string]any)["room_size"] != nil {
			t.Fatalf("room size before it is given: %v", w["session"])
		}
		two := 2
		sess, err := f.st.SetRoomSize(ctx, f.orgID, nil, f.session.ID, &two)
		if err != nil {
			t.Fatal(err)
		}
		h.SessionChanged(ctx, sess)
		for _, p := range []*probe{screen, boss} {
			m := p.waitFor("session", isType(TypeSession))
			if got := m["session"].(map[string]any)["room_size"]; got != float64(2) {
				t.Fatalf("%v sees room size %v, want 2", p.c.Role(), got)
			}
		}
		p := connect(t, h, f.session, Participant)
		p.vote("p1", r.ID, "Tue")
		p.ack("p1")
		hand, err := f.st.SetHandCounts(ctx, f.orgID, "", r.ID, map[string]int{"Thu": 2})
		if err != nil {
			t.Fatal(err)
		}
		h.Updated(ctx, hand)
		if voters, people := voters(screen, r.ID, hand.Seq); voters != 1 || people != 3 {
			t.Fatalf("screen sees voters %d, people %d; want 1 and 3 (over the room of 2)", voters, people)
		}
		var invalid *store.InvalidError
		if _, err := f.st.SetRoomSize(ctx, f.orgID, nil, f.session.ID, new(int)); !errors.As(err, &invalid) {
			t.Fatalf("room size 0: %v, want invalid", err)
		}
	})
}

// publishBroker records whether the context of each publish was still
// live, as PostgreSQL's NOTIFY needs it to be.
type publishBroker struct {
	*MemoryBroker
	mu   sync.Mutex
	errs []error
}

func (b *publishBroker) Publish(ctx context.Context, ev Event) error {
	b.mu.Lock()
	b.errs = append(b.errs, ctx.Err())
	b.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.MemoryBroker.Publish(ctx, ev)
}

// A facilitator who closes the page right after "reveal" or "end" cancels
// the request; other processes must still hear of the change.
func TestPublishOutlivesTheRequest(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		b := &publishBroker{MemoryBroker: NewMemoryBroker()}
		h := newHub(t, f.st, Options{Broker: b})
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Longer hours?"})
		gone, cancel := context.WithCancel(context.Background())
		cancel()
		h.Updated(gone, r)
		sess, _, err := f.st.EndLiveSession(context.Background(), f.orgID, f.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		h.Ended(gone, sess)
		b.mu.Lock()
		defer b.mu.Unlock()
		if len(b.errs) != 2 {
			t.Fatalf("%d publishes, want 2", len(b.errs))
		}
		for i, err := range b.errs {
			if err != nil {
				t.Errorf("publish %d ran on the cancelled request's context: %v", i, err)
			}
		}
	})
}
