package live

import (
	"fmt"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
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
