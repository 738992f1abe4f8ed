package ratelimit

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func newTestKeyed(limit rate.Limit, burst int, clock *fakeClock, opts ...Option) *Keyed {
	return NewKeyed(limit, burst, append([]Option{WithClock(clock.Now)}, opts...)...)
}

// allowN calls Allow n times and fails the test unless every call is allowed.
func allowN(t *testing.T, k *Keyed, key string, n int) {
	t.Helper()
	for i := range n {
		if ok, wait := k.Allow(key); !ok {
			t.Fatalf("Allow(%q) #%d refused (retry after %v), want allowed", key, i+1, wait)
		}
	}
}

func wantRefused(t *testing.T, k *Keyed, key string, wantWait time.Duration) {
	t.Helper()
	ok, wait := k.Allow(key)
	if ok {
		t.Fatalf("Allow(%q) allowed, want refused", key)
	}
	if wait != wantWait {
		t.Fatalf("Allow(%q) retryAfter = %v, want %v", key, wait, wantWait)
	}
}

func TestKeyedBurstThenRefused(t *testing.T) {
	tests := []struct {
		name     string
		limit    rate.Limit
		burst    int
		wantWait time.Duration
	}{
		{"one per second", rate.Every(time.Second), 3, time.Second},
		{"one per two seconds", rate.Every(2 * time.Second), 2, 2 * time.Second},
		{"fast refill still says one second", 10, 5, time.Second},
		{"fractional wait rounds up", rate.Every(1500 * time.Millisecond), 1, 2 * time.Second},
		{"burst below one acts as one", rate.Every(time.Minute), 0, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			k := newTestKeyed(tt.limit, tt.burst, clock)

			allowN(t, k, "client", max(tt.burst, 1))
			wantRefused(t, k, "client", tt.wantWait)
			// A refusal takes no token, so asking again changes nothing
			// and waiting the promised time is enough.
			wantRefused(t, k, "client", tt.wantWait)
			clock.Advance(tt.wantWait)
			allowN(t, k, "client", 1)
		})
	}
}

func TestKeyedRefillsAsTimePasses(t *testing.T) {
	clock := newFakeClock()
	k := newTestKeyed(rate.Every(time.Second), 2, clock)

	allowN(t, k, "client", 2)
	wantRefused(t, k, "client", time.Second)

	clock.Advance(500 * time.Millisecond)
	wantRefused(t, k, "client", time.Second) // 0.5 s left rounds up to 1 s

	clock.Advance(500 * time.Millisecond)
	allowN(t, k, "client", 1)
	wantRefused(t, k, "client", time.Second)

	// A long pause refills the bucket only up to the burst.
	clock.Advance(time.Minute)
	allowN(t, k, "client", 2)
	wantRefused(t, k, "client", time.Second)
}

func TestKeyedKeysAreIndependent(t *testing.T) {
	clock := newFakeClock()
	k := newTestKeyed(rate.Every(time.Minute), 2, clock)

	allowN(t, k, "a", 2)
	wantRefused(t, k, "a", time.Minute)
	allowN(t, k, "b", 2)
	wantRefused(t, k, "b", time.Minute)
	wantRefused(t, k, "a", time.Minute)
}

func TestKeyedEvictionBoundsMemory(t *testing.T) {
	clock := newFakeClock()
	k := newTestKeyed(rate.Every(time.Hour), 1, clock, WithMaxKeys(3))

	for _, key := range []string{"a", "b", "c"} {
		allowN(t, k, key, 1)
	}
	wantRefused(t, k, "a", time.Hour) // a is now the most recently used

	allowN(t, k, "d", 1) // evicts b, the least recently used
	if got := k.Len(); got != 3 {
		t.Fatalf("Len() = %d after 4 keys with max 3, want 3", got)
	}
	wantRefused(t, k, "a", time.Hour)
	allowN(t, k, "b", 1) // b was forgotten and starts with a full bucket

	for i := range 100 {
		k.Allow(string(rune('A' + i)))
	}
	if got := k.Len(); got != 3 {
		t.Fatalf("Len() = %d after 100 more keys, want 3", got)
	}
}

func TestKeyedTTLForgetsIdleKeys(t *testing.T) {
	clock := newFakeClock()
	k := newTestKeyed(rate.Every(24*time.Hour), 1, clock, WithTTL(10*time.Minute))

	allowN(t, k, "idle", 1)
	allowN(t, k, "busy", 1)

	// busy keeps asking: each refusal restarts its idle timer, so it keeps
	// its empty bucket although it has been around longer than the TTL.
	for elapsed := 9 * time.Minute; elapsed <= 27*time.Minute; elapsed += 9 * time.Minute {
		clock.Advance(9 * time.Minute)
		wantRefused(t, k, "busy", 24*time.Hour-elapsed)
	}

	// idle has not asked for longer than the TTL, so it is forgotten and
	// starts again with a full bucket.
	allowN(t, k, "idle", 1)
	wantRefused(t, k, "idle", 24*time.Hour)
}

func TestKeyedConcurrentAllowGivesExactlyTheBurst(t *testing.T) {
	clock := newFakeClock() // never advanced: no refill, so the burst is all there is
	const burst = 50
	k := newTestKeyed(rate.Every(time.Hour), burst, clock)

	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for range 20 {
				if ok, _ := k.Allow("shared"); ok {
					allowed.Add(1)
				}
				k.Allow("other")
			}
		})
	}
	wg.Wait()

	if got := allowed.Load(); got != burst {
		t.Fatalf("%d requests allowed across goroutines, want exactly the burst of %d", got, burst)
	}
}
