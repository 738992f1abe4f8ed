package ratelimit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func newTestBackoff(clock *fakeClock, opts ...Option) *Backoff {
	return NewBackoff(3, time.Second, 15*time.Minute, append([]Option{WithClock(clock.Now)}, opts...)...)
}

func wantAllowed(t *testing.T, b *Backoff, key string) {
	t.Helper()
	if wait, ok := b.Check(key); !ok {
		t.Fatalf("Check(%q) locked for %v, want allowed", key, wait)
	}
}

func wantLocked(t *testing.T, b *Backoff, key string, wantWait time.Duration) {
	t.Helper()
	wait, ok := b.Check(key)
	if ok {
		t.Fatalf("Check(%q) allowed, want locked for %v", key, wantWait)
	}
	if wait != wantWait {
		t.Fatalf("Check(%q) retryAfter = %v, want %v", key, wait, wantWait)
	}
}

// failN records n failures, waiting out each lock so every one counts
// as a real attempt.
func failN(t *testing.T, b *Backoff, clock *fakeClock, key string, n int) {
	t.Helper()
	for range n {
		clock.Advance(b.Fail(key))
	}
}

func TestBackoffSchedule(t *testing.T) {
	tests := []struct {
		failure int
		want    time.Duration
	}{
		{1, 0}, {2, 0}, {3, 0},
		{4, time.Second}, {5, 2 * time.Second}, {6, 4 * time.Second}, {7, 8 * time.Second},
		{13, 512 * time.Second},
		{14, 15 * time.Minute}, // 1024 s would pass the ceiling
		{15, 15 * time.Minute},
		{100, 15 * time.Minute},
	}
	clock := newFakeClock()
	b := newTestBackoff(clock)
	done := 0
	for _, tt := range tests {
		failN(t, b, clock, "account", tt.failure-1-done)
		got := b.Fail("account")
		done = tt.failure
		if got != tt.want {
			t.Fatalf("failure %d locked for %v, want %v", tt.failure, got, tt.want)
		}
		if tt.want == 0 {
			wantAllowed(t, b, "account")
			continue
		}
		wantLocked(t, b, "account", tt.want)
		clock.Advance(tt.want)
		wantAllowed(t, b, "account")
	}
}

func TestBackoffCheckDuringLock(t *testing.T) {
	tests := []struct {
		elapsed  time.Duration
		wantWait time.Duration // zero means allowed
	}{
		{0, 4 * time.Second},
		{time.Second, 3 * time.Second},
		{1500 * time.Millisecond, 3 * time.Second}, // 2.5 s left rounds up
		{3999 * time.Millisecond, time.Second},
		{4 * time.Second, 0},
		{time.Hour, 0},
	}
	for _, tt := range tests {
		t.Run(tt.elapsed.String(), func(t *testing.T) {
			clock := newFakeClock()
			b := newTestBackoff(clock)
			failN(t, b, clock, "account", 5)
			if got := b.Fail("account"); got != 4*time.Second {
				t.Fatalf("6th failure locked for %v, want 4s", got)
			}
			clock.Advance(tt.elapsed)
			if tt.wantWait == 0 {
				wantAllowed(t, b, "account")
			} else {
				wantLocked(t, b, "account", tt.wantWait)
			}
		})
	}
}

func TestBackoffSucceedResets(t *testing.T) {
	clock := newFakeClock()
	b := newTestBackoff(clock)
	failN(t, b, clock, "account", 5)
	b.Fail("account")
	wantLocked(t, b, "account", 4*time.Second)

	b.Succeed("account")
	wantAllowed(t, b, "account")
	for i := 1; i <= 3; i++ {
		if got := b.Fail("account"); got != 0 {
			t.Fatalf("failure %d after Succeed locked for %v, want the free failures again", i, got)
		}
	}
	if got := b.Fail("account"); got != time.Second {
		t.Fatalf("4th failure after Succeed locked for %v, want 1s", got)
	}
}

func TestBackoffKeysAreIndependent(t *testing.T) {
	clock := newFakeClock()
	b := newTestBackoff(clock)
	failN(t, b, clock, "a", 5)
	b.Fail("a")
	wantLocked(t, b, "a", 4*time.Second)
	wantAllowed(t, b, "b")
	if got := b.Fail("b"); got != 0 {
		t.Fatalf("first failure of b locked for %v, want 0", got)
	}
}

func TestBackoffQuietPeriodForgets(t *testing.T) {
	tests := []struct {
		name    string
		quiet   time.Duration
		pause   time.Duration
		wantRun time.Duration // lock of the next failure after the pause
	}{
		{"within the quiet period failures count on", time.Hour, 59 * time.Minute, 8 * time.Second},
		{"after the quiet period they are forgotten", time.Hour, time.Hour, 0},
		{"default quiet period is a day", 0, 24*time.Hour - time.Second, 8 * time.Second},
		{"default quiet period forgets after a day", 0, 24 * time.Hour, 0},
		{"quiet period is never shorter than the ceiling", time.Minute, 14 * time.Minute, 8 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			b := newTestBackoff(clock, WithTTL(tt.quiet))
			failN(t, b, clock, "account", 5)
			b.Fail("account") // 6th failure: locked for 4 s, from now
			clock.Advance(tt.pause)
			if got := b.Fail("account"); got != tt.wantRun {
				t.Fatalf("failure after %v quiet locked for %v, want %v", tt.pause, got, tt.wantRun)
			}
		})
	}
}

func TestBackoffEvictionBoundsMemory(t *testing.T) {
	clock := newFakeClock()
	b := newTestBackoff(clock, WithMaxKeys(3))
	for i := range 50 {
		b.Fail(fmt.Sprintf("client-%d", i))
	}
	if got := b.Len(); got != 3 {
		t.Fatalf("Len() = %d after 50 keys with max 3, want 3", got)
	}
}

func TestBackoffConcurrentFailAndCheck(t *testing.T) {
	const goroutines, perGoroutine = 40, 25
	keys := []string{"a", "b", "c", "d"}
	perKey := goroutines * perGoroutine / len(keys) // 250

	// Free failures end just before perKey, so the lock after the run
	// tells exactly how many failures were counted: one lost to a race
	// would halve it.
	clock := newFakeClock() // frozen: every failure belongs to one run
	b := NewBackoff(perKey-2, time.Second, time.Hour, WithClock(clock.Now))

	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range perGoroutine {
				key := keys[(g+i)%len(keys)]
				b.Fail(key)
				b.Check(key)
			}
		})
	}
	wg.Wait()

	for _, key := range keys {
		wantLocked(t, b, key, 2*time.Second)
		if got := b.Fail(key); got != 4*time.Second {
			t.Errorf("Fail(%q) after %d concurrent failures locked for %v, want 4s", key, perKey, got)
		}
	}
}
