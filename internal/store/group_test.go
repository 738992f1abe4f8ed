package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/testutil"
)

// recordingCommitter commits nothing: it records each group's size and
// holds the first commit until released, as a slow fsync would.
type recordingCommitter struct {
	mu      sync.Mutex
	groups  []int
	started chan struct{}
	release chan struct{}
}

func (r *recordingCommitter) commit(_ context.Context, rows []*pendingSubmission) {
	r.mu.Lock()
	first := len(r.groups) == 0
	r.groups = append(r.groups, len(rows))
	r.mu.Unlock()
	for _, p := range rows {
		p.inserted = true
	}
	if first {
		close(r.started)
		<-r.release
	}
}

func rowsOf(n int) []*pendingSubmission {
	rows := make([]*pendingSubmission, n)
	for i := range rows {
		rows[i] = &pendingSubmission{}
	}
	return rows
}

// A lone submission is committed by its own caller at once; those that
// arrive during that commit go together after it, at most maxGroup rows at
// a time and a caller's batch never split.
func TestGroupCommitGathersWhatArrivesDuringACommit(t *testing.T) {
	rc := &recordingCommitter{started: make(chan struct{}), release: make(chan struct{})}
	g := &groupCommitter{commit: rc.commit}
	ctx := context.Background()

	var wg sync.WaitGroup
	wg.Go(func() {
		if err := g.submit(ctx, rowsOf(1)); err != nil {
			t.Error(err)
		}
	})
	<-rc.started
	// While the first commit is in flight: 300 single submissions and a
	// batch of 100.
	for i := range 301 {
		rows := rowsOf(1)
		if i == 150 {
			rows = rowsOf(100)
		}
		wg.Go(func() {
			if err := g.submit(ctx, rows); err != nil {
				t.Error(err)
			}
			for _, p := range rows {
				if !p.inserted {
					t.Error("answered before its commit")
				}
			}
		})
	}
	testutil.Eventually(t, 10*time.Second, "400 rows queued", func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.rows == 400
	})
	close(rc.release)
	wg.Wait()
	testutil.Eventually(t, 10*time.Second, "the committer idle", func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return !g.busy
	})

	total := 0
	for i, n := range rc.groups {
		if i > 0 && (n > maxGroup || n < 1) {
			t.Fatalf("group %d holds %d rows (at most %d)", i, n, maxGroup)
		}
		total += n
	}
	if rc.groups[0] != 1 || total != 401 || len(rc.groups) != 3 {
		t.Fatalf("groups %v: want the lone one alone, then 400 in two groups", rc.groups)
	}
}

// A caller that gives up is answered with its context's error; the others
// in its group are still committed.
func TestGroupCommitCallerThatGivesUp(t *testing.T) {
	rc := &recordingCommitter{started: make(chan struct{}), release: make(chan struct{})}
	g := &groupCommitter{commit: rc.commit}
	var wg sync.WaitGroup
	wg.Go(func() { _ = g.submit(context.Background(), rowsOf(1)) })
	<-rc.started
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() { gaveUp <- g.submit(ctx, rowsOf(1)) }()
	stays := rowsOf(1)
	wg.Go(func() { _ = g.submit(context.Background(), stays) })
	testutil.Eventually(t, 10*time.Second, "2 rows queued", func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.rows == 2
	})
	cancel()
	if err := <-gaveUp; err != context.Canceled {
		t.Fatalf("gave up with %v", err)
	}
	close(rc.release)
	wg.Wait()
	if !stays[0].inserted {
		t.Fatal("the caller that stayed was not committed")
	}
}
