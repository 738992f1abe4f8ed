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
	if r.slices > 1 && r.pubTimer == nil {
		// A room sent to in slices flushes a slice at a time: the other
		// processes hear of the change now, not at the next slot, so that
		// their clients wait no longer than these (their own slots
		// follow).
		r.pubTimer = time.AfterFunc(publishSoon, r.publishCommitted)
	}
	return true
}

// publishSoon is how long a room sent to in slices waits before telling
// the other processes of its commits: no longer than it takes to leave the
// committing goroutine (the batcher's), which must not wait for PostgreSQL's
// NOTIFY; commits made meanwhile go in the same notification.
const publishSoon = 0

// publishCommitted tells the other processes of the tallies committed here
// that they have not heard of yet.
func (r *room) publishCommitted() {
	r.mu.Lock()
	r.pubTimer = nil
	events := r.takeUnpublished()
	r.mu.Unlock()
	r.publish(events)
}

// A large room sends a busy round's tallies in slices (staggered
// flushes). Sent to all its clients at once, a tally's last client got it
// a whole fan-out after the first (5,000 clients: 120 ms on two cores), on
// top of the interval it waited for. The room's clients are dealt into k
// slices as they join, and a busy room sends to one slice at a time, a
// slice every interval/k (a slot), each slice in turn: every client still
// gets at most about one tally per interval, and the writes of an interval
// are spread over it, so a change waits at most an interval and one
// slice's writes for every client. The first change after a quiet interval
// still goes to every client at once, and starts the slot clock.
const (
	// minSlicedClients is the smallest room sent to in slices.
	minSlicedClients = 500
	// sliceClients is about the fewest clients in a slice, and minSlot
	// the shortest slot: slices are fewer in a small room and a short
	// interval. maxSlices bounds them.
	sliceClients = 50
	minSlot      = 5 * time.Millisecond
	maxSlices    = 16
)

// slicesFor is how many slices a room of clients with interval sends in:
// a power of two (a client's slice is its number modulo it), 1 for a room
// sent to whole.
func slicesFor(clients int, interval time.Duration) int {
	if clients < minSlicedClients {
		return 1
	}
	k := min(clients/sliceClients, int(interval/minSlot), maxSlices)
	p := 1
	for p*2 <= k {
		p *= 2
	}
	return p
}

// dirtied marks a round's tally as changed: every slice needs it, and the
// flush is armed.
func (r *room) dirtied(id string) {
	r.dirty[id] = true
	r.due = 1<<r.slices - 1
	r.schedule()
}

// schedule arms the flush: at once when the last one is older than the
// interval, otherwise when the interval has passed, or, for a room sent
// to in slices, at the next slot. Many votes in between make one
// broadcast carrying the latest seq.
func (r *room) schedule() {
	if r.timer != nil || r.closed {
		return
	}
	now := time.Now()
	interval := r.hub.tallyInterval(len(r.clients))
	wait := max(r.lastFlush.Add(interval).Sub(now), 0)
	if slicesFor(len(r.clients), interval) > 1 && wait > 0 {
		wait = max(r.slotAt.Sub(now), 0)
	}
	r.timer = time.AfterFunc(wait, r.flush)
}

// flush sends the changed tallies to the room's clients (all of them, or
// the slice whose slot it is), then tells the other processes of those
// committed here.
func (r *room) flush() {
	r.mu.Lock()
	r.timer = nil
	if r.closed {
		r.mu.Unlock()
		return
	}
	now := time.Now()
	interval := r.hub.tallyInterval(len(r.clients))
	k := slicesFor(len(r.clients), interval)
	if k != r.slices {
		// Clients are dealt anew: every slice may lack the change.
		r.slices, r.cursor = k, r.cursor%k
		if r.due != 0 {
			r.due = 1<<k - 1
		}
	}
	slot := interval / time.Duration(k)
	if k == 1 || now.Sub(r.lastFlush) >= interval {
		for id := range r.dirty {
			r.broadcastTally(id, 0, 1)
		}
		// The slot clock starts: slice 1 is next, a slot from now.
		r.due, r.cursor, r.slotAt = 0, 1%k, now.Add(slot)
	} else {
		// Every slot that has come since the last flush, in turn: a
		// timer late by a slot or more (a busy machine) must not leave a
		// slice waiting a whole interval for its next turn.
		n := min(1+int(max(now.Sub(r.slotAt), 0)/slot), k)
		for range n {
			if s := r.cursor; r.due&(1<<s) != 0 {
				for id := range r.dirty {
					r.broadcastTally(id, s, k)
				}
				r.due &^= 1 << s
			}
			r.cursor = (r.cursor + 1) % k
		}
		r.slotAt = r.slotAt.Add(time.Duration(n) * slot)
		if r.slotAt.Before(now) {
			r.slotAt = now.Add(slot)
		}
	}
	if r.due == 0 {
		clear(r.dirty)
	}
	r.lastFlush = now
	events := r.takeUnpublished()
	if r.due != 0 {
		r.schedule()
	}
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

// broadcastTally hands round id's tally to the clients of slice s of k
// (k = 1: every client).
func (r *room) broadcastTally(id string, s, k int) {
	rs := r.rounds[id]
	public, full := rs.message(Participant, r.minVoters), rs.message(Facilitator, r.minVoters)
	for c := range r.clients {
		if k > 1 && int(c.number)%k != s {
			continue
		}
		if c.role == Facilitator {
			c.setTally(id, full)
		} else {
			c.setTally(id, public)
		}
	}
}
