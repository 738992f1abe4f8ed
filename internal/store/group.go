package store

import (
	"context"
	"sync"
	"time"
)

// maxGroup bounds how many submissions one group commit carries, so a
// burst (ten tablets flushing their outboxes at once) becomes several
// transactions of bounded size instead of one that holds every request.
const maxGroup = 256

// groupCommitter gathers concurrent submissions and commits them together:
// a submission that arrives while nothing is being committed is committed
// at once, alone, without waiting; those that arrive while a commit is in
// flight wait for it and then go together, up to maxGroup at a time. The
// window is therefore exactly as long as the previous commit took, and
// grows and shrinks with the load by itself.
//
// There is no goroutine of its own while nothing waits: the first arrival
// commits on its own goroutine; only when others queued behind it does a
// goroutine start to commit them, and it ends when the queue is empty.
type groupCommitter struct {
	commit func(ctx context.Context, rows []*pendingSubmission)

	mu    sync.Mutex
	busy  bool // a commit is in flight
	queue []*groupRequest
	rows  int // rows in queue
}

// groupRequest is one caller's submissions (one, or a kiosk's batch); they
// always travel in the same group.
type groupRequest struct {
	ctx  context.Context
	rows []*pendingSubmission
	done chan struct{}
}

// submit commits rows and returns once they are committed (or refused):
// each row's inserted and err then say what happened to it. When ctx ends
// first, submit returns ctx's error; the rows may still be committed
// later, whole, as a request whose answer was lost may be.
func (g *groupCommitter) submit(ctx context.Context, rows []*pendingSubmission) error {
	req := &groupRequest{ctx: ctx, rows: rows, done: make(chan struct{})}
	g.mu.Lock()
	if g.busy {
		g.queue = append(g.queue, req)
		g.rows += len(rows)
		g.mu.Unlock()
		select {
		case <-req.done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	g.busy = true
	g.mu.Unlock()
	g.run([]*groupRequest{req})
	if next := g.next(); next != nil {
		go g.drain(next)
	}
	return nil
}

// drain commits the queued groups until none is left.
func (g *groupCommitter) drain(reqs []*groupRequest) {
	for reqs != nil {
		g.run(reqs)
		reqs = g.next()
	}
}

// next takes the next group off the queue, or marks the committer idle
// when there is none.
func (g *groupCommitter) next() []*groupRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.busy = false
		return nil
	}
	n, rows := 0, 0
	for n < len(g.queue) && (n == 0 || rows+len(g.queue[n].rows) <= maxGroup) {
		rows += len(g.queue[n].rows)
		n++
	}
	group := g.queue[:n:n]
	g.queue = g.queue[n:]
	if len(g.queue) == 0 {
		g.queue = nil
	}
	g.rows -= rows
	return group
}

// run commits one group and wakes its callers.
func (g *groupCommitter) run(reqs []*groupRequest) {
	ctx, cancel := groupContext(reqs)
	defer cancel()
	var rows []*pendingSubmission
	if len(reqs) == 1 {
		rows = reqs[0].rows
	} else {
		rows = make([]*pendingSubmission, 0, len(reqs))
		for _, r := range reqs {
			rows = append(rows, r.rows...)
		}
	}
	g.commit(ctx, rows)
	for _, r := range reqs {
		close(r.done)
	}
}

// groupContext is the context a group is committed with: it carries the
// first request's values, is not cancelled when one caller gives up (the
// others still wait), and ends at the latest of the callers' deadlines,
// after which nobody is waiting for the answer.
func groupContext(reqs []*groupRequest) (context.Context, context.CancelFunc) {
	var latest time.Time
	for _, r := range reqs {
		d, ok := r.ctx.Deadline()
		if !ok {
			return context.WithoutCancel(reqs[0].ctx), func() {}
		}
		if d.After(latest) {
			latest = d
		}
	}
	return context.WithDeadline(context.WithoutCancel(reqs[0].ctx), latest)
}
