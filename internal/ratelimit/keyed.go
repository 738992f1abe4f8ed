package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Keyed gives every key its own token bucket: each key may make burst
// requests at once and then limit requests per second. It is safe for
// concurrent use.
//
// Buckets live in a bounded map. When it is full, the least recently used
// key is forgotten and starts again with a full bucket if it returns. That
// favours availability over strictness: under a flood of distinct keys a
// limited key may get a fresh burst, but memory stays bounded and honest
// clients are never refused because of keys they have nothing to do with.
type Keyed struct {
	limit rate.Limit
	burst int
	ttl   time.Duration
	now   func() time.Time

	mu      sync.Mutex // guards get-or-create, so one key never gets two buckets
	buckets *store[*rate.Limiter]
}

// NewKeyed returns a limiter allowing each key limit requests per second
// with bursts of up to burst. A burst below 1 is raised to 1, since it
// would otherwise refuse everything forever. Defaults: [DefaultMaxKeys]
// keys, forgotten after [DefaultTTL] without a request.
func NewKeyed(limit rate.Limit, burst int, opts ...Option) *Keyed {
	o := buildOptions(DefaultTTL, opts)
	return &Keyed{
		limit:   limit,
		burst:   max(burst, 1),
		ttl:     o.ttl,
		now:     o.now,
		buckets: newStore[*rate.Limiter](o),
	}
}

// Allow takes one token from key's bucket. When none is left it refuses
// and says how long until one will be, in whole seconds and at least one
// (see the package doc); a refused request takes nothing, so retrying
// after retryAfter succeeds unless others spent the token first.
func (k *Keyed) Allow(key string) (ok bool, retryAfter time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()

	now := k.now()
	bucket, found := k.buckets.get(key, now)
	if !found {
		bucket = rate.NewLimiter(k.limit, k.burst)
	}
	// Every request, refused or not, restarts the idle timer: a key that
	// keeps hammering must keep its empty bucket rather than be forgotten.
	k.buckets.put(key, bucket, now)

	return k.take(bucket, now)
}

func (k *Keyed) take(bucket *rate.Limiter, now time.Time) (bool, time.Duration) {
	r := bucket.ReserveN(now, 1)
	if !r.OK() {
		// Only a zero limit gets here: the bucket never refills, so the
		// honest answer is "once you have been forgotten".
		return false, wholeSeconds(k.ttl)
	}
	wait := r.DelayFrom(now)
	if wait == 0 {
		return true, 0
	}
	// Give the token back: a refusal must not push the next success
	// further away.
	r.CancelAt(now)
	return false, wholeSeconds(wait)
}

// Len reports how many keys are remembered, for metrics and tests. It may
// count idle keys not yet purged; it never reveals the keys themselves.
func (k *Keyed) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.buckets.len()
}
