package main

import (
	"slices"
	"sort"
	"sync/atomic"

	"github.com/HdrHistogram/hdrhistogram-go"
)

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(1, 120_000_000, 3) }

func ms(us int64) float64 { return float64(us) / 1000 }

// acks summarizes a phase's acks: latency from each vote's scheduled time,
// the worst per second of the schedule, and throughput.
func (p *phase) acks(res map[string]any) (acked int) {
	h := newHist()
	secs := int(float64(p.total)/p.rate) + 1
	worst := make([]float64, secs)
	var last int64
	for k := range p.total {
		a := atomic.LoadInt64(&p.ackAt[k])
		if a == 0 {
			continue
		}
		acked++
		last = max(last, a)
		_ = h.RecordValue(max((a-p.sched[k])/1000, 1))
		if sec := int(float64(p.sched[k]-p.t0.UnixNano()) / 1e9); sec >= 0 && sec < secs {
			worst[sec] = max(worst[sec], float64(a-p.sched[k])/1e6)
		}
	}
	res["votes_scheduled"], res["votes_acked"], res["votes_unacked"] = p.total, acked, p.total-acked
	res["ack_p50_ms"], res["ack_p90_ms"], res["ack_p99_ms"] = ms(h.ValueAtQuantile(50)), ms(h.ValueAtQuantile(90)), ms(h.ValueAtQuantile(99))
	res["ack_p999_ms"], res["ack_max_ms"] = ms(h.ValueAtQuantile(99.9)), ms(h.Max())
	res["ack_worst_ms_by_second"] = roundAll(worst)
	if last > 0 {
		res["ack_throughput_per_s"] = float64(acked) / (float64(last-p.t0.UnixNano()) / 1e9)
	}
	return acked
}

// delivery is, for every sampled acked vote, when the last client of a
// group first held a tally with the ack's seq or later (0: some client
// never did), and when the first did.
type delivery struct {
	votes       []int
	last, first []int64
}

// deliver computes delivery over clients (those still connected at the
// end) for every sample-th acked vote of p.
func deliver(p *phase, clients []*client, sample int) delivery {
	snaps := make([][]seqAt, len(clients))
	for i, c := range clients {
		c.mu.Lock()
		snaps[i] = slices.Clone(c.seqs)
		c.mu.Unlock()
	}
	var d delivery
	for k := 0; k < p.total; k += max(sample, 1) {
		if atomic.LoadInt64(&p.ackAt[k]) == 0 {
			continue
		}
		want := atomic.LoadInt64(&p.ackSeq[k])
		var last int64
		first := int64(1<<63 - 1)
		for _, s := range snaps {
			j := sort.Search(len(s), func(j int) bool { return s[j].seq >= want })
			if j == len(s) {
				last = 0
				break
			}
			last, first = max(last, s[j].t), min(first, s[j].t)
		}
		d.votes, d.last, d.first = append(d.votes, k), append(d.last, last), append(d.first, first)
	}
	return d
}

// report adds the tally-delivery figures of d to res, keys prefixed.
func (d delivery) report(p *phase, res map[string]any, prefix string) {
	total, first, spread := newHist(), newHist(), newHist()
	undelivered := 0
	worst := make([]float64, int(float64(p.total)/p.rate)+1)
	for i, k := range d.votes {
		if d.last[i] == 0 {
			undelivered++
			continue
		}
		_ = total.RecordValue(max((d.last[i]-p.sched[k])/1000, 1))
		if sec := int(float64(p.sched[k]-p.t0.UnixNano()) / 1e9); sec >= 0 && sec < len(worst) {
			worst[sec] = max(worst[sec], float64(d.last[i]-p.sched[k])/1e6)
		}
		_ = first.RecordValue(max((d.first[i]-p.ackAt[k])/1000, 1))
		_ = spread.RecordValue(max((d.last[i]-d.first[i])/1000, 1))
	}
	res[prefix+"sampled"], res[prefix+"undelivered"] = len(d.votes), undelivered
	res[prefix+"p50_ms"], res[prefix+"p99_ms"], res[prefix+"max_ms"] = ms(total.ValueAtQuantile(50)), ms(total.ValueAtQuantile(99)), ms(total.Max())
	res[prefix+"ack_to_first_p50_ms"], res[prefix+"ack_to_first_p99_ms"] = ms(first.ValueAtQuantile(50)), ms(first.ValueAtQuantile(99))
	res[prefix+"fanout_spread_p50_ms"], res[prefix+"fanout_spread_p99_ms"] = ms(spread.ValueAtQuantile(50)), ms(spread.ValueAtQuantile(99))
	res[prefix+"worst_ms_by_second"] = roundAll(worst)
}

// crossExtra compares, vote by vote, when the last client of the other
// process held the tally with when the last client of the voting process
// did (other minus same, ms; negative when the other was first).
func crossExtra(same, other delivery) []float64 {
	var diffs []float64
	for i := range same.votes {
		if same.last[i] != 0 && other.last[i] != 0 {
			diffs = append(diffs, float64(other.last[i]-same.last[i])/1e6)
		}
	}
	slices.Sort(diffs)
	return diffs
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(q*float64(len(sorted))), len(sorted)-1)]
}
