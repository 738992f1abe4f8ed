package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The server's per-kiosk limit (api/routes.go: one request a second, burst
// 30). The generator keeps its own model of every kiosk's bucket, with a
// small margin, so that it never provokes a 429 itself: when the pool of
// kiosks is too small for a rate it says so instead of blaming the server.
const (
	kioskRefill = 1.0 // tokens per second
	kioskBurst  = 30.0
	// bucketMargin is held back from the model's burst for clock skew
	// between scheduled and actual arrival.
	bucketMargin = 3.0
)

const (
	// requestTimeout bounds one request; a timed-out request is an error
	// and is recorded at this latency.
	requestTimeout = 10 * time.Second
	// maxConns caps open connections; requests beyond it wait inside the
	// client, and that wait counts in their latency.
	maxConns = 2048
	// fellBehind ends a step early once this many seconds' worth of requests
	// are unanswered: the step has failed whatever happens next.
	fellBehind = 1.0
)

// kioskClient is what one simulated kiosk sends with each request.
type kioskClient struct {
	authorization string
	forwardedFor  string
}

// generator sends submissions on a fixed timeline. One generator talks to
// one server; its request counter and kiosk buckets carry over from step to
// step because the server's rate limiters do too.
type generator struct {
	client  *http.Client
	url     string
	kiosks  []kioskClient
	bodies  [][]byte
	runID   string
	seq     int64
	buckets []bucket
	cpu     cpuMeter
}

func newGenerator(baseURL string, tokens []string, bodies [][]byte, runID string, cpu cpuMeter) *generator {
	kiosks := make([]kioskClient, len(tokens))
	buckets := make([]bucket, len(tokens))
	for i, tok := range tokens {
		kiosks[i] = kioskClient{authorization: "Bearer " + tok, forwardedFor: syntheticAddress(i)}
		buckets[i] = bucket{tokens: kioskBurst - bucketMargin}
	}
	transport := &http.Transport{
		Proxy:               nil, // never an environment proxy: loopback only
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        maxConns,
		MaxIdleConnsPerHost: maxConns,
		MaxConnsPerHost:     maxConns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &generator{
		client:  &http.Client{Transport: transport, Timeout: requestTimeout},
		url:     baseURL + "/api/v1/kiosk/submissions",
		kiosks:  kiosks,
		bodies:  bodies,
		runID:   runID,
		buckets: buckets,
		cpu:     cpu,
	}
}

// syntheticAddress gives kiosk i its own client address, 10.a.b.c. It is
// only a header string for the server's X-Forwarded-For handling (trusted
// from 127.0.0.1); no packet goes to it.
func syntheticAddress(i int) string {
	n := i + 1
	return fmt.Sprintf("10.%d.%d.%d", (n>>16)&0xff, (n>>8)&0xff, n&0xff)
}

// close drops idle connections, so the server can shut down promptly.
func (g *generator) close() { g.client.CloseIdleConnections() }

// step sends rate requests per second for d and waits for every answer.
// Request i is scheduled at start + i/rate; its latency runs from that
// moment, so time spent queued behind a stall is counted, not hidden.
func (g *generator) step(ctx context.Context, rate float64, d time.Duration) stepResult {
	rec := newRecorder(rate)
	total := int64(rate * d.Seconds())
	behind := int64(max(rate*fellBehind, 200))
	var (
		wg       sync.WaitGroup
		inflight atomic.Int64
	)
	before := g.cpu.sample()
	start := time.Now()
	for i := range total {
		at := start.Add(time.Duration(float64(i) * float64(time.Second) / rate))
		if wait := time.Until(at); wait > 0 {
			if !sleep(ctx, wait) {
				break
			}
		}
		if inflight.Load() >= behind {
			rec.abort(fmt.Sprintf("stopped after %.1fs: more than %d requests unanswered", time.Since(start).Seconds(), behind))
			break
		}
		n := g.seq
		g.seq++
		k := int(n % int64(len(g.kiosks)))
		if !g.buckets[k].take(at) {
			rec.failure("kiosk_pool_exhausted")
			continue
		}
		wg.Add(1)
		inflight.Add(1)
		go func() {
			defer wg.Done()
			defer inflight.Add(-1)
			g.send(ctx, at, n, k, rec)
		}()
	}
	rec.elapsed = time.Since(start)
	wg.Wait()
	rec.cpu = g.cpu.sample().since(before)
	return rec.result(d)
}

func (g *generator) send(ctx context.Context, at time.Time, n int64, k int, rec *recorder) {
	rec.lag(time.Since(at))
	body := g.bodies[n%int64(len(g.bodies))]
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.url, bytes.NewReader(body))
	if err != nil {
		rec.failure("build_request")
		return
	}
	req.Header["Authorization"] = []string{g.kiosks[k].authorization}
	req.Header["X-Forwarded-For"] = []string{g.kiosks[k].forwardedFor}
	req.Header["Content-Type"] = []string{"application/json"}
	req.Header["Idempotency-Key"] = []string{g.runID + "-" + strconv.FormatInt(n, 10)}
	resp, err := g.client.Do(req)
	if err != nil {
		rec.transportError(err, time.Since(at))
		return
	}
	_, err = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		rec.transportError(err, time.Since(at))
		return
	}
	rec.response(resp.StatusCode, time.Since(at))
}

// sleep waits for d or until ctx is done, and reports whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// bucket models one kiosk's token bucket on the server.
type bucket struct {
	tokens float64
	last   time.Time
}

// take spends a token at now if the server's bucket surely has one.
func (b *bucket) take(now time.Time) bool {
	if !b.last.IsZero() {
		b.tokens = min(kioskBurst-bucketMargin, b.tokens+now.Sub(b.last).Seconds()*kioskRefill)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// errorClass names a transport failure for the report.
func errorClass(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	default:
		return "connection"
	}
}
