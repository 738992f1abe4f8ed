package ratelimit

import (
	"sync"
	"time"
)

// Backoff locks a key out for longer and longer after repeated failures,
// for sign-in: keep one Backoff keyed by account and another by client, so
// guessing is slow whichever the attacker varies. It is safe for
// concurrent use.
//
// The first free consecutive failures cost nothing, so a person who
// mistypes is never made to wait. After that, failure n locks the key for
// base·2^(n−free−1), capped at ceiling. With free=3, base=1s, ceiling=15m:
// failures 1–3 no wait, the 4th 1s, the 5th 2s, the 6th 4s, and from the
// 14th on 15m.
//
// Failures are forgotten after a quiet period without any
// ([DefaultQuietPeriod] unless [WithTTL] says otherwise, and never shorter
// than ceiling so a lock always runs its course). Like [Keyed] the map is
// bounded: when full, the least recently used key is forgotten, favouring
// availability over strictness.
type Backoff struct {
	free    int
	base    time.Duration
	ceiling time.Duration
	now     func() time.Time

	mu    sync.Mutex // guards read-modify-write of a key's failures
	state *store[*failures]
}

type failures struct {
	count       int
	lockedUntil time.Time
}

// NewBackoff returns a Backoff that forgives free failures and then locks
// for base, doubling up to ceiling. A negative free counts as 0; a base of
// zero or less becomes one second; a ceiling below base becomes base.
func NewBackoff(free int, base, ceiling time.Duration, opts ...Option) *Backoff {
	if base <= 0 {
		base = time.Second
	}
	ceiling = max(ceiling, base)
	o := buildOptions(DefaultQuietPeriod, opts)
	o.ttl = max(o.ttl, ceiling)
	return &Backoff{
		free:    max(free, 0),
		base:    base,
		ceiling: ceiling,
		now:     o.now,
		state:   newStore[*failures](o),
	}
}

// Check reports whether key may try now. While it is locked out, ok is
// false and retryAfter says how long the lock has left, in whole seconds
// and at least one (see the package doc). Checking is not a failure and
// does not extend the quiet period.
func (b *Backoff) Check(key string) (retryAfter time.Duration, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()

	now := b.now()
	f, found := b.state.get(key, now)
	if !found || !now.Before(f.lockedUntil) {
		return 0, true
	}
	return wholeSeconds(f.lockedUntil.Sub(now)), false
}

// Fail records a failure for key and returns the lock it imposed: zero
// during the free failures, then the growing delay. The lock runs from now.
func (b *Backoff) Fail(key string) (lockedFor time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()

	now := b.now()
	f, found := b.state.get(key, now)
	if !found {
		f = &failures{}
	}
	f.count++
	lockedFor = b.lockFor(f.count)
	if until := now.Add(lockedFor); until.After(f.lockedUntil) {
		f.lockedUntil = until
	}
	b.state.put(key, f, now)
	return lockedFor
}

// Succeed forgets key's failures. Call it for the account after a good
// sign-in. Think twice before calling it for the client: an attacker who
// owns one account could then sign into it between guesses to reset the
// client's back-off.
func (b *Backoff) Succeed(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state.remove(key)
}

// Len reports how many keys are remembered, for metrics and tests. It may
// count keys past their quiet period not yet purged; it never reveals the
// keys themselves.
func (b *Backoff) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state.len()
}

// lockFor doubles by loop rather than by shift so a long run of failures
// can neither overflow nor loop for long: it stops once the ceiling is met.
func (b *Backoff) lockFor(count int) time.Duration {
	over := count - b.free
	if over <= 0 {
		return 0
	}
	lock := b.base
	for i := 1; i < over; i++ {
		if lock > b.ceiling/2 {
			return b.ceiling
		}
		lock *= 2
	}
	return min(lock, b.ceiling)
}
