package main

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Latency histograms hold microseconds from 1 µs to 60 s with three
// significant digits: a reported percentile is within 0.1% of the truth.
const (
	histogramMin    = 1
	histogramMax    = int64(60 * time.Second / time.Microsecond)
	histogramDigits = 3
)

func newHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histogramMin, histogramMax, histogramDigits)
}

// recorder collects one step's outcomes from many goroutines.
type recorder struct {
	mu       sync.Mutex
	rate     float64
	latency  *hdrhistogram.Histogram
	lags     *hdrhistogram.Histogram
	statuses map[int]int64
	failures map[string]int64
	aborted  string
	elapsed  time.Duration
	cpu      cpuUsage
}

func newRecorder(rate float64) *recorder {
	return &recorder{rate: rate, latency: newHistogram(), lags: newHistogram(),
		statuses: map[int]int64{}, failures: map[string]int64{}}
}

func micros(d time.Duration) int64 {
	return min(max(d.Microseconds(), histogramMin), histogramMax)
}

func (r *recorder) response(status int, latency time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses[status]++
	_ = r.latency.RecordValue(micros(latency)) // micros clamps to the histogram's range
}

func (r *recorder) transportError(err error, latency time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures[errorClass(err)]++
	_ = r.latency.RecordValue(micros(latency))
}

// failure counts a request that was never sent.
func (r *recorder) failure(class string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures[class]++
}

// lag records how late a request left compared with its schedule: the
// generator's own delay, included in the latency but shown apart.
func (r *recorder) lag(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.lags.RecordValue(micros(d))
}

func (r *recorder) abort(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.aborted = reason
}

func (r *recorder) result(planned time.Duration) stepResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return stepResult{Rate: r.rate, Planned: planned, Elapsed: r.elapsed, Statuses: r.statuses,
		Failures: r.failures, Aborted: r.aborted, Latency: r.latency, Lag: r.lags, CPU: r.cpu}
}

// stepResult is what one step at one rate measured.
type stepResult struct {
	Rate     float64
	Planned  time.Duration
	Elapsed  time.Duration
	Statuses map[int]int64
	// Failures are requests without an HTTP answer, by class.
	Failures map[string]int64
	// Aborted says why the step stopped early; such a step fails.
	Aborted string
	Latency *hdrhistogram.Histogram
	Lag     *hdrhistogram.Histogram
	CPU     cpuUsage
}

// Count is the number of requests that were sent and ended (answered or
// timed out).
func (r stepResult) Count() int64 { return r.Latency.TotalCount() }

// Errors counts every request that was not a 201.
func (r stepResult) Errors() int64 {
	var n int64
	for status, c := range r.Statuses {
		if status != http.StatusCreated {
			n += c
		}
	}
	for _, c := range r.Failures {
		n += c
	}
	return n
}

// Percentile returns the latency at p (0–100).
func (r stepResult) Percentile(p float64) time.Duration {
	return time.Duration(r.Latency.ValueAtPercentile(p)) * time.Microsecond
}

// Max returns the slowest request's latency.
func (r stepResult) Max() time.Duration {
	return time.Duration(r.Latency.Max()) * time.Microsecond
}

// Passes reports whether the step held its rate with no errors and a p99
// below target.
func (r stepResult) Passes(target time.Duration) bool {
	return r.Aborted == "" && r.Count() > 0 && r.Errors() == 0 && r.Percentile(99) < target
}

// ErrorSummary lists errors by status or class, such as "429×3 timeout×1".
func (r stepResult) ErrorSummary() string {
	var parts []string
	for _, status := range slices.Sorted(maps.Keys(r.Statuses)) {
		if status != http.StatusCreated {
			parts = append(parts, fmt.Sprintf("%d×%d", status, r.Statuses[status]))
		}
	}
	for _, class := range slices.Sorted(maps.Keys(r.Failures)) {
		parts = append(parts, fmt.Sprintf("%s×%d", class, r.Failures[class]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
