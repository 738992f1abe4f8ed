package ratelimit

import (
	"hash/maphash"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// store is a bounded map from key to V that forgets a key ttl after it was
// last written. It is not safe for concurrent use on its own: its callers
// hold a mutex across read-modify-write so two requests cannot both create
// a fresh entry for one key.
//
// The expiring LRU enforces the bound and purges idle entries in the
// background by wall-clock time, which is what keeps addresses from lingering
// in a quiet process. It cannot take an injected clock, so each entry also
// records when it was written on our clock and get treats older entries as
// gone; in production both clocks agree, in tests ours is the one that moves.
type store[V any] struct {
	seed maphash.Seed
	ttl  time.Duration
	lru  *expirable.LRU[uint64, entry[V]]
}

type entry[V any] struct {
	value   V
	written time.Time
}

func newStore[V any](o options) *store[V] {
	return &store[V]{
		seed: maphash.MakeSeed(),
		ttl:  o.ttl,
		lru:  expirable.NewLRU[uint64, entry[V]](o.maxKeys, nil, o.ttl),
	}
}

// hash keeps the caller's string out of the map. A collision would merely
// make two keys share a limit; with 64 bits and a secret per-process seed it
// is both negligible and impossible to aim for.
func (s *store[V]) hash(key string) uint64 {
	return maphash.String(s.seed, key)
}

// get returns the value for key unless it is missing or was written ttl or
// more before now.
func (s *store[V]) get(key string, now time.Time) (V, bool) {
	h := s.hash(key)
	e, ok := s.lru.Get(h)
	if ok && now.Sub(e.written) < s.ttl {
		return e.value, true
	}
	if ok {
		s.lru.Remove(h)
	}
	var zero V
	return zero, false
}

// put stores value for key and restarts its idle timer; when the map is
// full the least recently used key makes room.
func (s *store[V]) put(key string, value V, now time.Time) {
	s.lru.Add(s.hash(key), entry[V]{value: value, written: now})
}

func (s *store[V]) remove(key string) {
	s.lru.Remove(s.hash(key))
}

func (s *store[V]) len() int {
	return s.lru.Len()
}
