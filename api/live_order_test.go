package api

import (
	"fmt"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A round's seq never goes backwards on one socket (docs/live-protocol.md):
// 200 participants change their votes as fast as they can while tallies
// flow every 2 ms, and no socket sees a tally older than an ack (or any
// seq older than one it already saw). Before the fix a coalesced tally
// waiting in a client's slot was written after a newer ack.
func TestNoTallyOlderThanAnAck(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newLiveServer(t, db, WSLimits{})
		id, code := s.startSession()
		round := s.addRound(id, map[string]any{"kind": "pick", "prompt": "Which night?", "options": []string{"Tue", "Thu", "Sat"}})
		const people, changes = 200, 10
		clients := make([]*wsClient, people)
		for i := range clients {
			clients[i] = s.dial("/api/v1/live/"+code+"/ws", nil)
			clients[i].welcome()
		}
		choices := []string{"Tue", "Thu", "Sat"}
		for v := range changes {
			for i, c := range clients {
				c.vote(fmt.Sprintf("p%d-v%d", i, v), round, choices[(i+v)%3])
			}
		}
		for i, c := range clients {
			c.ack(fmt.Sprintf("p%d-v%d", i, changes-1))
		}
		for i, c := range clients {
			c.mu.Lock()
			var last int64
			for _, m := range c.msgs {
				seq, ok := m["seq"].(float64)
				if !ok || (m["type"] != "ack" && (m["type"] != "tally" || m["round_id"] != round)) {
					continue
				}
				if int64(seq) < last {
					c.mu.Unlock()
					t.Fatalf("participant %d got a %s with seq %d after seq %d", i, m["type"], int64(seq), last)
				}
				last = int64(seq)
			}
			c.mu.Unlock()
		}
	})
}
