package main

import (
	"fmt"
	"math"
	"sync/atomic"
	"time"
)

// stepResult is one rate held for one step.
type stepResult struct {
	Rate   float64 `json:"rate"`
	Sent   int     `json:"votes"`
	Acked  int     `json:"acked"`
	Errors int     `json:"errors"`
	// ErrorCodes counts the step's error messages by code (rate_limited:
	// a connection sent more than the server takes from one, 20 a
	// second with a burst of 40).
	ErrorCodes    map[string]int `json:"error_codes,omitempty"`
	AckP99MS      float64        `json:"ack_p99_ms"`
	AckThroughput float64        `json:"ack_throughput_per_s"`
	LateMaxMS     float64        `json:"scheduler_late_max_ms"`
	ServerCores   float64        `json:"server_cpu_cores"`
	Pass          bool           `json:"pass"`
	// CPU per acknowledged vote, µs.
	ChorusUS   float64 `json:"chorus_cpu_us"`
	PostgresUS float64 `json:"postgres_cpu_us"`
	LoadgenUS  float64 `json:"loadgen_cpu_us"`
}

// saturate finds the highest rate whose votes are all acknowledged with
// ack p99 under o.stepAckP99: it doubles the rate from o.startRate until a
// step fails, then bisects between the last pass and the first failure to
// within 10 %. Each step is open loop, like the fixed-rate run, with its
// own vote_ids.
func saturate(o options, tg *target, g *gen, res map[string]any) error {
	var steps []stepResult
	id := 100
	try := func(rate float64) bool {
		id++
		meter := startCPU(tg.pids, tg.dbURL)
		p, late, sendErrs := g.send(id, rate, o.step)
		// Wait for the answers, then for a failing rate's backlog to drain
		// (no ack for 2 s), so the next step starts from an idle server.
		deadline := time.Now().Add(o.drain + 10*time.Second)
		for acked(p) < p.total && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		srv, _, _ := meter.cores()
		usage := meter.usage()
		for n, quiet := acked(p), 0; n < p.total && quiet < 20 && time.Since(deadline) < time.Minute; {
			time.Sleep(100 * time.Millisecond)
			if m := acked(p); m == n {
				quiet++
			} else {
				n, quiet = m, 0
			}
		}
		r := map[string]any{}
		n := p.acks(r)
		codes, errs := g.errorCounts()
		s := stepResult{Rate: rate, Sent: p.total, Acked: n, Errors: errs + int(sendErrs), ErrorCodes: codes, AckP99MS: r["ack_p99_ms"].(float64),
			LateMaxMS: float64(late) / 1e6, ServerCores: srv}
		s.AckThroughput, _ = r["ack_throughput_per_s"].(float64)
		usage.perOp(r, "", n)
		s.ChorusUS, _ = r["chorus_cpu_us"].(float64)
		s.PostgresUS, _ = r["postgres_cpu_us"].(float64)
		s.LoadgenUS, _ = r["loadgen_cpu_us"].(float64)
		s.Pass = s.Acked == s.Sent && s.Errors == 0 && s.AckP99MS <= float64(o.stepAckP99.Milliseconds())
		steps = append(steps, s)
		fmt.Printf("step %6.0f votes/s: acked %d/%d, errors %d %v, ack p99 %.1f ms, %.0f acks/s, server %.2f cores, cpu µs/vote chorus=%.0f pg=%.0f gen=%.0f, late %.0f ms: pass=%v\n",
			rate, s.Acked, s.Sent, s.Errors, s.ErrorCodes, s.AckP99MS, s.AckThroughput, s.ServerCores, s.ChorusUS, s.PostgresUS, s.LoadgenUS, s.LateMaxMS, s.Pass)
		time.Sleep(2 * time.Second)
		return s.Pass
	}
	var pass, fail float64
	for rate := o.startRate; ; rate = math.Min(rate*2, o.maxRate) {
		if !try(rate) {
			fail = rate
			break
		}
		pass = rate
		if rate >= o.maxRate {
			break
		}
	}
	for fail > 0 && pass > 0 && fail-pass > pass/10 {
		mid := math.Round((pass+fail)/2/50) * 50
		if mid <= pass || mid >= fail {
			break
		}
		if try(mid) {
			pass = mid
		} else {
			fail = mid
		}
	}
	res["saturation_steps"] = steps
	res["saturation_step_seconds"] = o.step.Seconds()
	res["saturation_votes_per_s"] = pass
	for _, s := range steps {
		if s.Rate == pass && s.Pass {
			res["saturation_ack_throughput_per_s"] = s.AckThroughput
			res["saturation_ack_p99_ms"] = s.AckP99MS
		}
	}
	if fail > 0 {
		res["saturation_first_failing_rate"] = fail
	}
	return nil
}

func acked(p *phase) int {
	n := 0
	for k := range p.total {
		if atomic.LoadInt64(&p.ackAt[k]) != 0 {
			n++
		}
	}
	return n
}
