package live

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A tally is encoded once per round, seq and view: every client of a view
// is handed the same message, which the transport frames once.
func TestTallyIsSharedByClientsOfAView(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := newHub(t, f.st, Options{TallyInterval: 5 * time.Millisecond})
		r := f.openRound(store.RoundInput{Kind: tally.Pick, Prompt: "Which?", Options: []string{"a", "b"}}, h)
		alice := connect(t, h, f.session, Participant)
		bob := connect(t, h, f.session, Participant)
		screen := connect(t, h, f.session, Screen)
		boss := connect(t, h, f.session, Facilitator)
		alice.vote("a1", r.ID, "a")
		seq := alice.ack("a1")
		for _, p := range []*probe{alice, bob, screen, boss} {
			p.tallyAt(r.ID, seq)
		}
		if got := bob.rawTally(seq); got == nil || got != alice.rawTally(seq) || got != screen.rawTally(seq) {
			t.Fatalf("participants and the screen were sent different copies of the tally at seq %d", seq)
		}
		if boss.rawTally(seq) == alice.rawTally(seq) {
			t.Fatal("the facilitator was sent the room's view of the tally")
		}

		var framed atomic.Int32
		frame := func(data []byte) any { framed.Add(1); return string(data) }
		for _, p := range []*probe{alice, bob, screen} {
			if got, want := p.rawTally(seq).Frame(frame), string(p.rawTally(seq).Data()); got != want {
				t.Fatalf("frame %v, want %q", got, want)
			}
		}
		if n := framed.Load(); n != 1 {
			t.Fatalf("one broadcast framed %d times, want once", n)
		}
		ack := alice.raw[len(alice.raw)-1]
		for i, m := range alice.msgs {
			if m["type"] == TypeAck {
				ack = alice.raw[i]
			}
		}
		if ack.Frame(frame) != nil {
			t.Fatal("an ack, sent to one client, was framed for sharing")
		}
	})
}

// A vote after a quiet spell is broadcast at once (the leading edge);
// the next change within the interval waits for it to pass.
func TestTallyLeadingEdge(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		// An interval longer than the test: only the leading edge can
		// deliver anything.
		h := newHub(t, f.st, Options{TallyInterval: time.Hour})
		r := f.openRound(store.RoundInput{Kind: tally.Pick, Prompt: "Which?", Options: []string{"a", "b"}}, h)
		screen := connect(t, h, f.session, Screen)
		alice := connect(t, h, f.session, Participant)
		alice.vote("a1", r.ID, "a")
		first := alice.ack("a1")
		screen.tallyAt(r.ID, first)

		alice.vote("a2", r.ID, "b")
		second := alice.ack("a2")
		rm := h.lookupRoom(f.session.ID)
		rm.mu.Lock()
		pending := rm.timer != nil && rm.dirty[r.ID]
		rm.mu.Unlock()
		if !pending {
			t.Fatal("the second change within the interval is not waiting for the next broadcast")
		}
		for _, m := range screen.all(TypeTally) {
			if int64(m["seq"].(float64)) >= second {
				t.Fatalf("two broadcasts within one interval: %v", m)
			}
		}
	})
}
