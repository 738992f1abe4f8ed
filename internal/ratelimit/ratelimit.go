// Package ratelimit holds in-memory limits for anonymous and sign-in
// endpoints: a token bucket per key ([Keyed]) and a growing lock-out after
// failed attempts ([Backoff]).
//
// Keys are usually client addresses or account names, which Chorus must
// never persist. So this package keeps them in memory only, in a map with a
// fixed number of slots that forgets idle keys, and it never logs, returns
// or exports them. Keys are held as seeded 64-bit hashes, which fixes the
// memory a key costs however long the caller's string is, and keeps
// addresses out of plain sight in a heap dump (the seed lives in the same
// process, so this is hygiene, not secrecy).
//
// Every duration this package hands back for a refused request is rounded
// up to a whole second and is at least one second, because callers put it
// in an HTTP Retry-After header, which counts whole seconds: rounding down
// would invite a retry that is refused again.
//
// Each [Keyed] and [Backoff] owns one background goroutine (the janitor of
// the expiring map) that lives as long as the process. Build limiters once
// when wiring the server, never per request. Tests that check for leaked
// goroutines should ignore it:
//
//	goleak.IgnoreAnyFunction("github.com/hashicorp/golang-lru/v2/expirable.NewLRU[...].func1")
package ratelimit

import (
	"time"
)

const (
	// DefaultMaxKeys bounds how many keys a limiter remembers unless
	// [WithMaxKeys] says otherwise. At about 200 bytes a key, a full
	// limiter holds some 20 MB.
	DefaultMaxKeys = 100_000

	// DefaultTTL is how long a [Keyed] remembers a key that has stopped
	// making requests. An idle key is forgotten safely once its bucket has
	// refilled, so the TTL should be at least burst ÷ rate.
	DefaultTTL = time.Hour

	// DefaultQuietPeriod is how long a [Backoff] remembers failures after
	// the last one. A day outlasts the usual maximum lock by far, so a slow
	// guesser who waits out each lock still meets the longest lock on the
	// next miss, while a person who mistyped yesterday starts afresh.
	DefaultQuietPeriod = 24 * time.Hour
)

// Option adjusts a [Keyed] or [Backoff] when it is built.
type Option func(*options)

type options struct {
	maxKeys int
	ttl     time.Duration
	now     func() time.Time
}

// WithMaxKeys bounds how many keys are remembered; when full, the least
// recently used key is forgotten. Values below 1 keep the default.
func WithMaxKeys(n int) Option {
	return func(o *options) {
		if n >= 1 {
			o.maxKeys = n
		}
	}
}

// WithTTL sets how long an idle key is remembered: for [Keyed] since its
// last request, for [Backoff] since its last failure (the quiet period).
// Values of zero or less keep the default.
func WithTTL(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.ttl = d
		}
	}
}

// WithClock replaces time.Now so tests can move time without sleeping.
// A nil function keeps time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}

func buildOptions(defaultTTL time.Duration, opts []Option) options {
	o := options{maxKeys: DefaultMaxKeys, ttl: defaultTTL, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// wholeSeconds turns a wait into what a Retry-After header can promise:
// whole seconds, rounded up, never less than one.
func wholeSeconds(wait time.Duration) time.Duration {
	if wait <= time.Second {
		return time.Second
	}
	whole := wait.Truncate(time.Second)
	if whole < wait {
		whole += time.Second
	}
	return whole
}
