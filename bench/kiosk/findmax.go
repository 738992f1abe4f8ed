package main

import (
	"context"
	"math"
	"time"
)

// searchConfig steers -find-max.
type searchConfig struct {
	Start, Limit float64
	Step         time.Duration
	P99          time.Duration
	// Precision ends the bisection once the gap between the best passing
	// and the lowest failing rate is below this fraction of the former.
	Precision float64
}

// stepFunc holds one rate for one step and measures it.
type stepFunc func(ctx context.Context, rate float64) stepResult

// search is -find-max's outcome.
type search struct {
	// Best is the highest passing step; nil when even the first failed.
	Best  *stepResult
	Steps []stepResult
	// Capped is true when every rate up to the limit passed.
	Capped bool
}

// MaxRate is the highest passing rate, or 0.
func (s search) MaxRate() float64 {
	if s.Best == nil {
		return 0
	}
	return s.Best.Rate
}

// findMax doubles the rate from cfg.Start until a step fails, then bisects
// between the last pass and the first failure. It assumes that a rate
// passes when a higher one did: noise can break that, which is why the
// whole search is repeated and the median quoted.
func findMax(ctx context.Context, cfg searchConfig, step stepFunc, progress func(stepResult, bool)) search {
	var (
		s          search
		pass, fail float64
	)
	try := func(rate float64) bool {
		r := step(ctx, rate)
		ok := r.Passes(cfg.P99)
		s.Steps = append(s.Steps, r)
		progress(r, ok)
		return ok
	}
	for rate := cfg.Start; ctx.Err() == nil; rate = min(rate*2, cfg.Limit) {
		if !try(rate) {
			fail = rate
			break
		}
		pass = rate
		if rate >= cfg.Limit {
			s.Capped = true
			break
		}
	}
	for ctx.Err() == nil && pass > 0 && fail-pass > math.Max(pass*cfg.Precision, 1) {
		mid := roundRate((pass + fail) / 2)
		if mid <= pass || mid >= fail {
			break
		}
		if try(mid) {
			pass = mid
		} else {
			fail = mid
		}
	}
	s.markBest(pass, cfg.P99)
	return s
}

func (s *search) markBest(rate float64, target time.Duration) {
	for i := range s.Steps {
		if s.Steps[i].Rate == rate && s.Steps[i].Passes(target) {
			s.Best = &s.Steps[i]
		}
	}
}

// roundRate keeps tried rates to two significant figures' worth of
// resolution (steps of 5 below 200, 10 below 1000, 25 above), which is all
// the noise on a shared machine allows.
func roundRate(r float64) float64 {
	unit := 25.0
	switch {
	case r < 200:
		unit = 5
	case r < 1000:
		unit = 10
	}
	return math.Round(r/unit) * unit
}
