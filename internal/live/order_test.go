package live

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A round's seq never goes backwards on one connection: a tally waiting in
// a client's slot while a newer vote is acknowledged must not be written
// after that ack. Nor is it dropped: it goes just before the ack, since the
// room's next tally may be a whole interval away. The writer is held back
// here, as a busy machine holds it back, so the tally of the first vote is
// still waiting when the second vote's ack is queued.
func TestNoTallyOlderThanAnAckOnOneConnection(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		// The first tally goes out at once; the next only after an hour.
		h := newHub(t, f.st, Options{TallyInterval: time.Hour})
		r := f.openRound(store.RoundInput{Kind: tally.Pick, Prompt: "Which night?", Options: []string{"Tue", "Thu"}}, h)
		c, err := h.Join(context.Background(), f.session, Participant, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Start(func() {}) // a writer that is slow to come
		t.Cleanup(func() { c.Close(CloseGoingAway, "test over") })
		waiting := func(what string, cond func() bool) {
			t.Helper()
			testutil.Eventually(t, waitTimeout, what, func() bool {
				c.mu.Lock()
				defer c.mu.Unlock()
				return cond()
			})
		}
		acks := func() (n int) {
			for _, m := range c.queue {
				if m.ack != nil {
					n++
				}
			}
			return n
		}
		for i, choice := range []string{"Tue", "Thu"} {
			c.Handle(context.Background(), fmt.Appendf(nil, `{"type":"vote","vote_id":"v%d","round_id":%q,"choice":%q}`, i, r.ID, choice))
			waiting("the ack of vote "+fmt.Sprint(i), func() bool { return acks() == i+1 })
			if i == 0 {
				waiting("the first tally", func() bool { return len(c.tallies) == 1 && c.tallies[0].msg.seq > 0 })
			}
		}
		var last int64
		tallies := 0
		for _, m := range c.Drain(nil) {
			var msg struct {
				Type string
				Seq  int64
			}
			if err := json.Unmarshal(m.Data(), &msg); err != nil {
				t.Fatal(err)
			}
			if msg.Type != TypeAck && msg.Type != TypeTally {
				continue
			}
			if msg.Seq < last {
				t.Fatalf("a %s with seq %d was written after seq %d", msg.Type, msg.Seq, last)
			}
			last = msg.Seq
			if msg.Type == TypeTally {
				tallies++
			}
		}
		if tallies != 1 {
			t.Fatalf("%d tallies written, want the waiting one before the second ack", tallies)
		}
	})
}
