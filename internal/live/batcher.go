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
}

func newBatcher(h *Hub) *batcher {
	b := &batcher{hub: h, size: h.opts.BatchSize, delay: h.opts.BatchDelay, limit: h.opts.MaxPending,
		signal: make(chan struct{}, 1), stop: make(chan struct{}), exited: make(chan struct{})}
	b.committed = sync.NewCond(&b.mu)
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
	b.once.Do(func() { go b.run() })
	select {
	case b.signal <- struct{}{}:
	default:
	}
	return nil
}

// close refuses new votes and commits every queued one.
func (b *batcher) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
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

// drain commits batches until the queue is empty.
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
		b.commit(batch)
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

// commit stores a batch, then moves the tallies, then acknowledges each
// vote with a seq whose tally includes it, then tells the other processes.
// Publishing happens after the commit, never inside the transaction.
func (b *batcher) commit(batch []pendingVote) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
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
		for _, p := range batch {
			p.client.send(errorMessage(p.in.VoteID, CodeUnavailable, "Your vote was not saved. Please send it again."))
		}
		return
	}
	for _, u := range updates {
		h.applyUpdate(ctx, u)
	}
	for i, p := range batch {
		p.client.answer(p.in, outcomes[i])
		if outcomes[i].Err == nil && !outcomes[i].Replayed {
			h.opts.VotesAccepted.Inc()
		}
	}
	for _, u := range updates {
		h.publish(ctx, eventOf(u))
	}
}
