package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// burstConfig is -burst: tablets that come back online at the same moment,
// each with per submissions queued, emptying their outboxes as the kiosk
// app does (frontend/src/routes/kiosk/sync.ts): batches of at most batch
// items to POST /api/v1/kiosk/submissions:batch, one at a time per tablet,
// the next once the last is answered.
type burstConfig struct {
	Tablets, Per, Batch int
}

// burstResult is what one burst measured.
type burstResult struct {
	Tablets, Per, Batch int
	// Drained is from the first batch sent to the last answered.
	Drained time.Duration
	// Items counts the items by the status their batch answered for each
	// (201 stored, 200 a replay, anything else an error); Requests counts
	// the batch requests by HTTP status (429 is a refusal for the rate).
	Items, Requests map[int]int64
	Failures        map[string]int64
	// Latency is per batch request.
	Latency *hdrhistogram.Histogram
	CPU     cpuUsage
}

// Stored is the number of items stored (201).
func (r burstResult) Stored() int64 { return r.Items[http.StatusCreated] }

// Passes holds when every queued submission was stored once, with no other
// answer and no failed request.
func (r burstResult) Passes() bool {
	var other int64
	for status, n := range r.Items {
		if status != http.StatusCreated {
			other += n
		}
	}
	for status, n := range r.Requests {
		if status != http.StatusOK {
			other += n
		}
	}
	for _, n := range r.Failures {
		other += n
	}
	return other == 0 && r.Stored() == int64(r.Tablets*r.Per)
}

type batchItemBody struct {
	IdempotencyKey string          `json:"idempotency_key"`
	Submission     json.RawMessage `json:"submission"`
}

type batchAnswer struct {
	Results []struct {
		Status int `json:"status"`
	} `json:"results"`
}

// burst sends every tablet's queue at once and waits until all are empty.
func (g *generator) burst(ctx context.Context, c burstConfig) burstResult {
	res := burstResult{Tablets: c.Tablets, Per: c.Per, Batch: c.Batch, Items: map[int]int64{}, Requests: map[int]int64{},
		Failures: map[string]int64{}, Latency: newHistogram()}
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	url := g.url + ":batch"
	before := g.cpu.sample()
	start := time.Now()
	for t := range c.Tablets {
		wg.Go(func() {
			for first := 0; first < c.Per && ctx.Err() == nil; first += c.Batch {
				items := make([]batchItemBody, 0, c.Batch)
				for i := first; i < min(first+c.Batch, c.Per); i++ {
					n := t*c.Per + i
					items = append(items, batchItemBody{IdempotencyKey: fmt.Sprintf("%s-burst-%d-%d", g.runID, t, i),
						Submission: g.bodies[n%len(g.bodies)]})
				}
				body, _ := json.Marshal(map[string]any{"items": items}) // plain structs: cannot fail
				sent := time.Now()
				status, answer, err := g.postBatch(ctx, url, t, body)
				mu.Lock()
				_ = res.Latency.RecordValue(micros(time.Since(sent)))
				switch {
				case err != nil:
					res.Failures[errorClass(err)]++
				default:
					res.Requests[status]++
					for _, r := range answer.Results {
						res.Items[r.Status]++
					}
				}
				mu.Unlock()
				if err != nil || status != http.StatusOK {
					return // the app would back off and try later; here it counts as not drained
				}
			}
		})
	}
	wg.Wait()
	res.Drained = time.Since(start)
	res.CPU = g.cpu.sample().since(before)
	return res
}

func (g *generator) postBatch(ctx context.Context, url string, tablet int, body []byte) (int, batchAnswer, error) {
	var answer batchAnswer
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, answer, err
	}
	req.Header["Authorization"] = []string{g.kiosks[tablet].authorization}
	req.Header["X-Forwarded-For"] = []string{g.kiosks[tablet].forwardedFor}
	req.Header["Content-Type"] = []string{"application/json"}
	resp, err := g.client.Do(req)
	if err != nil {
		return 0, answer, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, answer, err
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, &answer); err != nil {
			return resp.StatusCode, answer, fmt.Errorf("batch answer: %w", err)
		}
	}
	return resp.StatusCode, answer, nil
}

func printBurst(w io.Writer, label string, r burstResult) {
	n := int64(r.Tablets * r.Per)
	fmt.Fprintf(w, "%s  burst %d tablets × %d (batches of %d)  drained in %s  stored=%d/%d  items=%v requests=%v failures=%v  batch p50=%s p99=%s max=%s  cpu µs/submission chorus=%.0f pg=%.0f gen=%.0f  machine=%.2f cores (other work %.2f)  %s\n",
		label, r.Tablets, r.Per, r.Batch, r.Drained.Round(time.Millisecond), r.Stored(), n, r.Items, r.Requests, r.Failures,
		ms(time.Duration(r.Latency.ValueAtPercentile(50))*time.Microsecond), ms(time.Duration(r.Latency.ValueAtPercentile(99))*time.Microsecond),
		ms(time.Duration(r.Latency.Max())*time.Microsecond),
		PerRequest(r.CPU.Server, n), PerRequest(r.CPU.Postgres, n), PerRequest(r.CPU.Self, n),
		r.CPU.Cores(r.CPU.Busy), r.CPU.Cores(r.CPU.Other()), verdict(r.Passes()))
}
