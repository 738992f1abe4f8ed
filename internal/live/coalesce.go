package live

import (
	"context"
	"time"

	"github.com/chorus-hr/chorus/internal/store"
)

// Coalescing: a room sends a changed tally to its clients at most once per
// interval (Hub.tallyInterval, by the room's size), the first change after
// a quiet interval at once. Tallies committed here reach the other
// processes at the same flush; tallies from another process, coalesced
// there already, are sent on at once (room.receive).

// committed applies a tally change this process committed. It is sent to
// the room's clients at the next flush, and to the other processes then
// too, once per flush rather than once per commit. It returns false when
// the change is not a tally change the room can hold: the caller then
// publishes it at once.
func (r *room) committed(u store.RoundUpdate) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	rs := r.rounds[u.RoundID]
	if !r.loaded || r.closed || rs == nil || u.Seq <= rs.seq || rs.round.State != u.State {
		return false
	}
	r.update(rs, u)
	r.unpublished[u.RoundID] = true
	return true
}

// schedule arms the flush: at once when the last one is older than the
// interval, otherwise when the interval has passed. Many votes in between
// make one broadcast carrying the latest seq.
func (r *room) schedule() {
	if r.timer != nil || r.closed {
		return
	}
	interval := r.hub.tallyInterval(len(r.clients))
	wait := max(time.Until(r.lastFlush.Add(interval)), 0)
	r.timer = time.AfterFunc(wait, r.flush)
}

// flush sends the changed tallies to the room's clients, then tells the
// other processes of those committed here.
func (r *room) flush() {
	r.mu.Lock()
	r.timer = nil
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.lastFlush = time.Now()
	for id := range r.dirty {
		r.broadcastTally(id)
	}
	clear(r.dirty)
	events := r.takeUnpublished()
	r.mu.Unlock()
	r.publish(events)
}

// takeUnpublished returns the events of the rounds committed here since
// the last flush, at their latest seq.
func (r *room) takeUnpublished() []Event {
	if len(r.unpublished) == 0 {
		return nil
	}
	events := make([]Event, 0, len(r.unpublished))
	for id := range r.unpublished {
		if rs := r.rounds[id]; rs != nil {
			events = append(events, Event{Kind: EventRound, Session: r.id, Round: id, Seq: rs.seq, State: rs.round.State, Tally: new(rs.tally)})
		}
	}
	clear(r.unpublished)
	return events
}

// publish tells the other processes, without the room's lock held.
func (r *room) publish(events []Event) {
	for _, ev := range events {
		r.hub.publish(context.Background(), ev)
	}
}

func (r *room) broadcastTally(id string) {
	rs := r.rounds[id]
	public, full := rs.message(Participant, r.minVoters), rs.message(Facilitator, r.minVoters)
	for c := range r.clients {
		if c.role == Facilitator {
			c.setTally(id, full)
		} else {
			c.setTally(id, public)
		}
	}
}
