package main

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeStep passes every rate up to limit with a p99 of 10 ms and fails
// above it with a p99 of 200 ms.
func fakeStep(limit float64, tried *[]float64) stepFunc {
	return func(_ context.Context, rate float64) stepResult {
		*tried = append(*tried, rate)
		rec := newRecorder(rate)
		latency := 10 * time.Millisecond
		if rate > limit {
			latency = 200 * time.Millisecond
		}
		for range 100 {
			rec.response(http.StatusCreated, latency)
		}
		return rec.result(time.Second)
	}
}

func TestFindMax(t *testing.T) {
	cfg := searchConfig{Start: 50, Limit: 6400, P99: 50 * time.Millisecond, Precision: 0.08}
	tests := []struct {
		name   string
		limit  float64
		want   float64
		capped bool
	}{
		{"between doublings", 730, 730, false},
		{"exactly a doubling", 400, 400, false},
		{"even the first fails", 20, 0, false},
		{"never fails", 1e9, 6400, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tried []float64
			s := findMax(context.Background(), cfg, fakeStep(tt.limit, &tried), func(stepResult, bool) {})
			got := s.MaxRate()
			// Bisection stops within Precision of the true limit, below it.
			if got > tt.want || got < tt.want*(1-cfg.Precision) {
				t.Errorf("max rate %v, want within %v%% below %v (tried %v)", got, cfg.Precision*100, tt.want, tried)
			}
			if s.Capped != tt.capped {
				t.Errorf("capped = %v, want %v", s.Capped, tt.capped)
			}
			if len(tried) > 14 {
				t.Errorf("tried %d rates, want a short search: %v", len(tried), tried)
			}
			if tt.want > 0 && (s.Best == nil || s.Best.Rate != got) {
				t.Errorf("best step %+v does not match max rate %v", s.Best, got)
			}
		})
	}
}

func TestStepFailsOnErrorsOrSlowP99(t *testing.T) {
	target := 50 * time.Millisecond
	fast := newRecorder(100)
	for range 1000 {
		fast.response(http.StatusCreated, 5*time.Millisecond)
	}
	if r := fast.result(time.Second); !r.Passes(target) {
		t.Fatalf("all fast 201s should pass: %s", r.ErrorSummary())
	}
	fast.response(http.StatusTooManyRequests, time.Millisecond)
	if r := fast.result(time.Second); r.Passes(target) || r.ErrorSummary() != "429×1" {
		t.Errorf("one 429 must fail the step; errors %q", r.ErrorSummary())
	}
	slow := newRecorder(100)
	for i := range 1000 {
		latency := 5 * time.Millisecond
		if i%50 == 0 { // 2% slow: p99 is slow
			latency = 80 * time.Millisecond
		}
		slow.response(http.StatusCreated, latency)
	}
	if r := slow.result(time.Second); r.Passes(target) {
		t.Errorf("p99 %s should fail a %s target", r.Percentile(99), target)
	}
}

func TestParsePgbench(t *testing.T) {
	out := `pgbench (15.20 (Debian 15.20-0+deb12u1))
transaction type: insert.sql
scaling factor: 1
query mode: simple
number of clients: 8
number of threads: 2
maximum number of tries: 1
duration: 30 s
number of transactions actually processed: 183000
number of failed transactions: 0 (0.000%)
latency average = 1.311 ms
initial connection time = 12.345 ms
tps = 6101.234567 (without initial connection time)
`
	r, err := parsePgbench(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.TPS != 6101.234567 || r.Transactions != 183000 || r.LatencyMS != 1.311 {
		t.Errorf("parsed %+v", r)
	}
	if _, err := parsePgbench(strings.Replace(out, "failed transactions: 0", "failed transactions: 3", 1)); err == nil {
		t.Error("failed transactions should be an error")
	}
	if _, err := parsePgbench("connection refused"); err == nil {
		t.Error("output without tps should be an error")
	}
}

func TestBodiesAreValidSubmissions(t *testing.T) {
	bodies := makeBodies(1000, 0.2, rand.New(rand.NewPCG(1, 2)))
	withText := 0
	for _, b := range bodies {
		var s submission
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		if len(s.Needs) == 0 || len(s.Priorities) > 3 {
			t.Errorf("needs %v priorities %v", s.Needs, s.Priorities)
		}
		for _, p := range s.Priorities {
			if !slices.Contains(s.Needs, p) {
				t.Errorf("priority %q is not among the needs %v", p, s.Needs)
			}
		}
		for _, c := range s.Strengths {
			if !slices.Contains(strengthCodes, c) {
				t.Errorf("unknown strength %q", c)
			}
		}
		for q, band := range s.About {
			if !slices.Contains(aboutBands[q], band) {
				t.Errorf("about %s=%s is not a band", q, band)
			}
		}
		if s.Text != nil {
			withText++
			if n := len([]rune(*s.Text)); n < 1 || n > 1000 {
				t.Errorf("text of %d characters", n)
			}
		}
	}
	if withText != 200 {
		t.Errorf("%d of 1000 bodies have text, want 200", withText)
	}
}

func TestKioskBucketModelStaysUnderTheServerLimit(t *testing.T) {
	var b bucket
	b.tokens = kioskBurst - bucketMargin
	start := time.Unix(0, 0)
	sent := 0
	// Ask 10 times a second for 60 seconds.
	for i := range 600 {
		if b.take(start.Add(time.Duration(i) * 100 * time.Millisecond)) {
			sent++
		}
	}
	// The server allows burst + refill × time.
	if limit := int(kioskBurst + 60*kioskRefill); sent > limit {
		t.Errorf("model let %d requests through in 60s; the server allows %d", sent, limit)
	}
	if sent < 60 {
		t.Errorf("model let only %d through in 60s: too strict", sent)
	}
}

func TestSyntheticAddressesAreDistinctPrivateAddresses(t *testing.T) {
	seen := map[string]bool{}
	for i := range 70000 {
		a := syntheticAddress(i)
		if !strings.HasPrefix(a, "10.") || seen[a] {
			t.Fatalf("address %d: %s", i, a)
		}
		seen[a] = true
	}
}

func TestOptions(t *testing.T) {
	if _, err := parseOptions([]string{"-db", "mysql"}, io.Discard); err == nil {
		t.Error("unknown database accepted")
	}
	if _, err := parseOptions([]string{"-kiosks", "10", "-rate", "500", "-duration", "60s"}, io.Discard); err == nil {
		t.Error("a rate that exhausts the kiosks' limits was accepted")
	}
	o, err := parseOptions([]string{"-find-max", "-db", "postgres"}, io.Discard)
	if err != nil || !o.findMax || !slices.Equal(o.dbs, []string{"postgres"}) {
		t.Errorf("options %+v, error %v", o, err)
	}
}

// A burst passes only when every queued submission was stored once and
// nothing else came back: a replay, a refused item, a 429 or a lost
// request each fail it.
func TestBurstPasses(t *testing.T) {
	ok := func() burstResult {
		return burstResult{Tablets: 2, Per: 3, Batch: 2, Items: map[int]int64{201: 6}, Requests: map[int]int64{200: 4}, Failures: map[string]int64{}}
	}
	if r := ok(); !r.Passes() {
		t.Fatal("a clean burst fails")
	}
	for name, spoil := range map[string]func(*burstResult){
		"replay":  func(r *burstResult) { r.Items[201], r.Items[200] = 5, 1 },
		"refused": func(r *burstResult) { r.Items[201], r.Items[422] = 5, 1 },
		"429":     func(r *burstResult) { r.Items[201], r.Requests[429] = 4, 1 },
		"lost":    func(r *burstResult) { r.Items[201], r.Failures["timeout"] = 4, 1 },
		"short":   func(r *burstResult) { r.Items[201] = 5 },
	} {
		r := ok()
		spoil(&r)
		if r.Passes() {
			t.Errorf("%s: passes", name)
		}
	}
}
