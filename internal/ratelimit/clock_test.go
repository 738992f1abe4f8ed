package ratelimit

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand, so nothing here ever sleeps.
// It is locked because the concurrency tests read it from many goroutines.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestWholeSeconds(t *testing.T) {
	tests := []struct {
		wait, want time.Duration
	}{
		{0, time.Second},
		{time.Nanosecond, time.Second},
		{100 * time.Millisecond, time.Second},
		{time.Second, time.Second},
		{time.Second + time.Nanosecond, 2 * time.Second},
		{1500 * time.Millisecond, 2 * time.Second},
		{15 * time.Minute, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := wholeSeconds(tt.wait); got != tt.want {
			t.Errorf("wholeSeconds(%v) = %v, want %v", tt.wait, got, tt.want)
		}
	}
}
