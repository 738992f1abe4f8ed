package live

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A small room gets every change within tens of milliseconds; a large one
// at most about seven updates a second, and a very large one fewer
// (docs/live-protocol.md).
func TestTallyIntervalFollowsTheRoomsSize(t *testing.T) {
	for _, tc := range []struct {
		clients int
		want    time.Duration
	}{
		{0, 20 * time.Millisecond},
		{50, 20 * time.Millisecond},
		{250, 20 * time.Millisecond},
		{500, 40 * time.Millisecond},
		{1000, 80 * time.Millisecond},
		{1875, 150 * time.Millisecond},
		{2500, 150 * time.Millisecond},
		{5000, 150 * time.Millisecond},
		{7500, 150 * time.Millisecond},
		{10000, 200 * time.Millisecond},
		{20000, 400 * time.Millisecond},
	} {
		if got := TallyIntervalFor(tc.clients); got != tc.want {
			t.Errorf("%d clients: %s, want %s", tc.clients, got, tc.want)
		}
	}
	h := &Hub{}
	if got := h.tallyInterval(50); got != MinTallyInterval {
		t.Errorf("default options: %s for 50 clients", got)
	}
}

// A tally committed on one process is sent on by the other as soon as it
// hears of it, not after an interval of its own: here the other process's
// own interval is an hour, and has just begun.
func TestOtherProcessSendsTalliesOnAtOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		a, b := twoProcesses(t, db, f.st, Options{TallyInterval: 10 * time.Millisecond})
		b.opts.TallyInterval = time.Hour
		r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"}, a, b)
		screenB := connect(t, b, f.session, Facilitator)
		onB := connect(t, b, f.session, Participant)
		onB.vote("b", r.ID, "agree")
		screenB.tallyAt(r.ID, onB.ack("b"))

		onA := connect(t, a, f.session, Participant)
		for i := range 3 {
			onA.vote(fmt.Sprint("a", i), r.ID, []string{"agree", "disagree", "unsure"}[i])
			seq := onA.ack(fmt.Sprint("a", i))
			if got := counts(screenB.tallyAt(r.ID, seq)); got["agree"]+got["disagree"]+got["unsure"] != 2 {
				t.Fatalf("vote %d on the other process: %v", i, got)
			}
		}
	})
}

// A large room has its busy round's tallies sent in slices, one slice per
// slot: every client still gets at most about one tally per interval and
// every change within an interval, but the clients of different slices get
// them at different moments of the interval, so the writes of an interval
// are spread over it instead of made all at once at its start.
func TestLargeRoomSendsInSlices(t *testing.T) {
	for _, tc := range []struct {
		clients  int
		interval time.Duration
		want     int
	}{
		{50, 20 * time.Millisecond, 1},
		{499, 40 * time.Millisecond, 1},
		{500, 40 * time.Millisecond, 8},
		{640, 400 * time.Millisecond, 8},
		{5000, 150 * time.Millisecond, 16},
		{10000, 200 * time.Millisecond, 16},
	} {
		if got := slicesFor(tc.clients, tc.interval); got != tc.want {
			t.Errorf("%d clients, %s: %d slices, want %d", tc.clients, tc.interval, got, tc.want)
		}
	}
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		_, _, r, screens, voter := slicedRoom(t, db)
		const interval = slicedRoomInterval
		// A change every 20 ms for 2 s, after a first one that starts the
		// slot clock.
		start := time.Now()
		var last int64
		for i := 0; time.Since(start) < 2*time.Second; i++ {
			voter.vote(fmt.Sprint("v", i), r.ID, []string{"a", "b"}[i%2])
			last = voter.ack(fmt.Sprint("v", i))
			time.Sleep(20 * time.Millisecond)
		}
		span := time.Since(start)
		k := slicesFor(len(screens)+1, interval)
		// Each slice's tallies, by when in the interval they came.
		offsets := make([][]time.Duration, k)
		for _, p := range screens {
			p.tallyAt(r.ID, last)
			p.mu.Lock()
			n := 0
			for i, m := range p.msgs {
				if m["type"] == TypeTally && p.at[i].Before(start.Add(span)) {
					n++
					offsets[int(p.c.number)%k] = append(offsets[int(p.c.number)%k], p.at[i].Sub(start)%interval)
				}
			}
			p.mu.Unlock()
			// The first change goes out at once, and once more at the
			// client's slot; then one an interval.
			if most := int(span/interval) + 3; n > most {
				t.Fatalf("a client got %d tallies in %s, want at most %d (one an interval)", n, span.Round(time.Millisecond), most)
			}
		}
		// Slices 0 and k/2 get theirs about half an interval apart.
		apart := (median(offsets[k/2]) - median(offsets[0]) + interval) % interval
		if apart < interval/4 || apart > 3*interval/4 {
			t.Errorf("slices 0 and %d got their tallies %s apart in a %s interval; want about half of it", k/2, apart, interval)
		}
	})
}

// slicedRoomInterval is slicedRoom's tally interval: long enough that a
// slot (50 ms) outlasts a busy machine's hiccups.
const slicedRoomInterval = 400 * time.Millisecond

// slicedRoom opens a pick round in a room of 639 screens and one voter,
// large enough to be sent to in slices.
func slicedRoom(t *testing.T, db *database.DB) (*fixture, *Hub, models.LiveRound, []*probe, *probe) {
	t.Helper()
	f := newFixture(t, db)
	h := newHub(t, f.st, Options{TallyInterval: slicedRoomInterval})
	r := f.openRound(store.RoundInput{Kind: tally.Pick, Prompt: "Which?", Options: []string{"a", "b"}}, h)
	screens := make([]*probe, 639)
	for i := range screens {
		screens[i] = connect(t, h, f.session, Screen)
	}
	return f, h, r, screens, connect(t, h, f.session, Participant)
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// A slot the timer missed (a busy machine: here the room's lock is held
// for three slots) is served at the next flush with the one whose time it
// is, not an interval later: a 5,000-person room lost 400 ms that way.
func TestLateSlotsAreCaughtUp(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f, h, r, screens, voter := slicedRoom(t, db)
		const interval = slicedRoomInterval
		k := slicesFor(len(screens)+1, interval)
		slot := interval / time.Duration(k)
		// A quiet room: the first change goes to everyone and starts the
		// slot clock; the second waits for the slots.
		voter.vote("v1", r.ID, "a")
		for _, p := range screens {
			p.tallyAt(r.ID, voter.ack("v1"))
		}
		rm := h.lookupRoom(f.session.ID)
		rm.mu.Lock()
		next := rm.cursor
		rm.mu.Unlock()
		voter.vote("v2", r.ID, "b")
		second := voter.ack("v2")
		rm.mu.Lock()
		time.Sleep(3 * slot)
		rm.mu.Unlock()
		// The flush held up serves the slots that came meanwhile at once.
		has := func(p *probe) bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			for _, m := range p.msgs {
				if m["type"] == TypeTally && int64(m["seq"].(float64)) >= second {
					return true
				}
			}
			return false
		}
		inSlice := func(s int) []*probe {
			var out []*probe
			for _, p := range screens {
				if int(p.c.number)%k == s%k {
					out = append(out, p)
				}
			}
			return out
		}
		for _, p := range inSlice(next) {
			p.tallyAt(r.ID, second)
		}
		deadline := time.Now().Add(slot / 2)
		for s := next + 1; s < next+3; s++ {
			for _, p := range inSlice(s) {
				for !has(p) {
					if time.Now().After(deadline) {
						t.Fatalf("slice %d's slot passed while the flush was held up, and its clients still wait", s%k)
					}
					time.Sleep(time.Millisecond)
				}
			}
		}
	})
}
