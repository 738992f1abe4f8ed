package live

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/internal/store"
)

// commitTimeout bounds one batch's transaction.
const commitTimeout = 15 * time.Second

var (
	errClosed = errors.New("live: shutting down")
	errBusy   = errors.New("live: too many votes waiting")
)

type pendingVote struct {
	client *Client
	in     store.VoteInput
}

// batcher is the group commit: votes from every connection wait in one
// queue, and one goroutine commits what has gathered in a single
// transaction, waiting at most delay for more and taking at most size at a
// time. While a batch commits, the next one gathers.
type batcher struct {
	hub   *Hub
	size  int
	delay time.Duration
	limit int

	mu     sync.Mutex
	queue  []pendingVote
	closed bool
	// queued and done count votes in and out; committed is signalled
	// when done moves.
	queued, done uint64
	committed    *sync.Cond

	once   sync.Once
	signal chan struct{}
	stop   chan struct{}
	exited chan struct{}

	// halt is the parent of every commit's context. It is canceled when
	// the shutdown's deadline passes, so a commit hung on an unreachable
	// database ends then instead of after commitTimeout, and so does
	// everything still queued: shutdown keeps its deadline whatever the
	// database does.
	halt    context.Context
	haltNow context.CancelFunc
}

func newBatcher(h *Hub) *batcher {
	b := &batcher{hub: h, size: h.opts.BatchSize, delay: h.opts.BatchDelay, limit: h.opts.MaxPending,
		signal: make(chan struct{}, 1), stop: make(chan struct{}), exited: make(chan struct{})}
	b.committed = sync.NewCond(&b.mu)
	b.halt, b.haltNow = context.WithCancel(context.Background())
	return b
}

// submit queues a vote; it never blocks.
func (b *batcher) submit(v pendingVote) error {
	b.mu.Lock()
	switch {
	case b.closed:
		b.mu.Unlock()
		return errClosed
	case len(b.queue) >= b.limit:
		b.mu.Unlock()
		return errBusy
	}
	b.queue = append(b.queue, v)
	b.queued++
	b.mu.Unlock()
	b.hub.opts.VotesWaiting.Add(1)
	b.once.Do(func() { go b.run() })
	select {
	case b.signal <- struct{}{}:
	default:
	}
	return nil
}

// close refuses new votes and commits every queued one until ctx ends;
// what it could not commit by then is answered "unavailable" (never
// acknowledged), so its client keeps the vote and sends it again after
// reconnecting.
func (b *batcher) close(ctx context.Context) {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	stopHalt := context.AfterFunc(ctx, b.haltNow)
	defer stopHalt()
	started := true
	b.once.Do(func() { started = false })
	if !started {
		b.drain()
		return
	}
	close(b.stop)
	<-b.exited
}

func (b *batcher) run() {
	defer close(b.exited)
	for {
		select {
		case <-b.signal:
		case <-b.stop:
			b.drain()
			return
		}
		if b.delay > 0 && b.pending() < b.size {
			t := time.NewTimer(b.delay)
			select {
			case <-t.C:
			case <-b.stop:
				t.Stop()
			}
		}
		b.drain()
	}
}

func (b *batcher) pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}

// drain commits batches until the queue is empty; once halted, it answers
// what is left "unavailable" instead.
func (b *batcher) drain() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), b.size)
		batch := make([]pendingVote, n)
		copy(batch, b.queue)
		b.queue = append(b.queue[:0], b.queue[n:]...)
		b.mu.Unlock()
		if n == 0 {
			return
		}
		if b.halt.Err() != nil {
			refuse(batch)
		} else {
			b.commit(batch)
		}
		b.hub.opts.VotesWaiting.Add(-float64(n))
		b.mu.Lock()
		b.done += uint64(n)
		b.committed.Broadcast()
		b.mu.Unlock()
	}
}

// settle waits until every vote queued before the call has been committed
// (or refused). Commits are bounded by commitTimeout, so it returns.
func (b *batcher) settle() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for target := b.queued; b.done < target; {
		b.committed.Wait()
	}
}

// refuse tells each voter that the vote was not saved: the client keeps it
// and sends it again (a vote that did land is then acknowledged as a
// replay of its vote_id).
func refuse(batch []pendingVote) {
	for _, p := range batch {
		p.client.send(errorMessage(p.in.VoteID, CodeUnavailable, "Your vote was not saved. Please send it again."))
	}
}

// commit stores a batch, then moves the tallies, then acknowledges each
// vote with a seq whose tally includes it. The other processes are told
// at the room's next flush (Hub.committed), after the commit, never inside
// the transaction.
func (b *batcher) commit(batch []pendingVote) {
	ctx, cancel := context.WithTimeout(b.halt, commitTimeout)
	defer cancel()
	h := b.hub
	in := make([]store.VoteInput, len(batch))
	for i, p := range batch {
		in[i] = p.in
	}
	outcomes, updates, err := h.opts.Store.CommitVotes(ctx, in)
	if err != nil {
		// The error names no participant and no choice.
		h.log.Warn("live: commit votes", "votes", len(batch), "error", err)
		refuse(batch)
		return
	}
	for _, u := range updates {
		h.committed(ctx, u)
	}
	for i, p := range batch {
		p.client.answer(p.in, outcomes[i])
		if outcomes[i].Err == nil && !outcomes[i].Replayed {
			h.opts.VotesAccepted.Inc()
		}
	}
}
