package ratelimit

import (
	"testing"

	"go.uber.org/goleak"
	"golang.org/x/time/rate"
)

// janitor names the expiring map's background goroutine, which outlives
// every limiter (see the package doc). This test keeps the goleak filter
// the package doc recommends honest if the library changes.
const janitor = "github.com/hashicorp/golang-lru/v2/expirable.NewLRU[...].func1"

func TestOnlyTheJanitorGoroutineOutlivesALimiter(t *testing.T) {
	NewKeyed(rate.Every(1), 1)
	NewBackoff(3, 1, 2)
	goleak.VerifyNone(t, goleak.IgnoreAnyFunction(janitor))
}
