package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// runRecord is one run of one database: a search or a fixed-rate step.
type runRecord struct {
	dialect string
	run     int
	search  search
	fixed   stepResult
	burst   *burstResult
}

// summary gathers every run for the final tables.
type summary struct {
	o       options
	runs    map[string][]runRecord
	pgbench []pgbenchResult
}

func newSummary(o options) *summary { return &summary{o: o, runs: map[string][]runRecord{}} }

func (s *summary) add(db string, r runRecord) { s.runs[db] = append(s.runs[db], r) }

func (s *summary) wantsPgbench() bool {
	return s.o.findMax && s.o.pgbench && slices.Contains(s.o.dbs, dialectPostgres)
}

// printStep prints one step as it ends.
func printStep(w io.Writer, label string, r stepResult, verdict string) {
	n := r.Count()
	fmt.Fprintf(w, "%s  %6.0f/s  n=%-6d p50=%-7s p90=%-7s p99=%-7s p99.9=%-7s max=%-7s errors=%s  lag.p99=%s  cpu µs/req chorus=%.0f pg=%.0f gen=%.0f  machine=%.2f cores (other work %.2f, steal %.2f)  %s\n",
		label, r.Rate, n, ms(r.Percentile(50)), ms(r.Percentile(90)), ms(r.Percentile(99)), ms(r.Percentile(99.9)), ms(r.Max()),
		r.ErrorSummary(), ms(time.Duration(r.Lag.ValueAtPercentile(99))*time.Microsecond),
		PerRequest(r.CPU.Server, n), PerRequest(r.CPU.Postgres, n), PerRequest(r.CPU.Self, n),
		r.CPU.Cores(r.CPU.Busy), r.CPU.Cores(r.CPU.Other()), r.CPU.Cores(r.CPU.Steal), verdict)
	if r.Aborted != "" {
		fmt.Fprintf(w, "%s  %s\n", label, r.Aborted)
	}
}

// ms formats a latency in milliseconds, to a precision that fits it.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 100:
		return fmt.Sprintf("%.1fms", v)
	default:
		return fmt.Sprintf("%.0fms", v)
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func joinRates(xs []float64, unit string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.0f%s", x, unit)
	}
	return strings.Join(parts, ", ")
}

func (s *summary) print(w io.Writer) {
	if s.o.burst.Tablets > 0 {
		s.printBursts(w)
		return
	}
	if s.o.findMax {
		s.printSearch(w)
		return
	}
	fmt.Fprintf(w, "\n== Kiosk submissions at %.0f/s for %s (latency from scheduled send time)\n", s.o.rate, s.o.duration)
	t := newTable(w)
	for _, db := range s.o.dbs {
		for _, r := range s.runs[db] {
			t.row(db, r.run, r.fixed)
		}
	}
	t.flush()
}

func (s *summary) printSearch(w io.Writer) {
	fmt.Fprintf(w, "\n== Kiosk submissions: highest steady rate with p99 < %s and no errors (%s steps, median of %d)\n",
		s.o.search.P99, s.o.search.Step, s.o.runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "config\tmedian\truns")
	medians := map[string]float64{}
	for _, db := range s.o.dbs {
		var rates []float64
		capped := ""
		for _, r := range s.runs[db] {
			rates = append(rates, r.search.MaxRate())
			if r.search.Capped {
				capped = fmt.Sprintf(" (capped at -max-rate %.0f)", s.o.search.Limit)
			}
		}
		medians[db] = median(rates)
		fmt.Fprintf(tw, "chorus %s\t%.0f req/s\t%s%s\n", db, medians[db], joinRates(rates, ""), capped)
	}
	if len(s.pgbench) > 0 {
		var tps []float64
		for _, p := range s.pgbench {
			tps = append(tps, p.TPS)
		}
		medians["pgbench"] = median(tps)
		fmt.Fprintf(tw, "pgbench single-row INSERT\t%.0f tps\t%s\t(%s)\n", medians["pgbench"], joinRates(tps, ""), s.pgbench[0].Command)
	}
	_ = tw.Flush()
	if pg, ok := medians[dialectPostgres]; ok && medians["pgbench"] > 0 {
		ratio := pg / medians["pgbench"]
		met := "met"
		if ratio < 0.5 {
			met = "MISSED"
		}
		fmt.Fprintf(w, "chorus postgres / pgbench = %.3f (target ≥ 0.5: %s)\n", ratio, met)
	}
	fmt.Fprintf(w, "\n== Each run at its highest passing rate\n")
	t := newTable(w)
	for _, db := range s.o.dbs {
		for _, r := range s.runs[db] {
			if r.search.Best != nil {
				t.row(db, r.run, *r.search.Best)
			}
		}
	}
	t.flush()
}

func (s *summary) printBursts(w io.Writer) {
	b := s.o.burst
	fmt.Fprintf(w, "\n== Burst: %d tablets × %d queued submissions, batches of %d, all at once (median of %d)\n", b.Tablets, b.Per, b.Batch, s.o.runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "db\trun\tdrained\tstored\tanswers: items, requests, failures\tbatch p50\tbatch p99\tchorus µs/sub\tpg µs/sub\tgen µs/sub\tother work\tverdict\t")
	for _, db := range s.o.dbs {
		var drained []float64
		for _, r := range s.runs[db] {
			if r.burst == nil {
				continue
			}
			x := *r.burst
			n := int64(x.Tablets * x.Per)
			other := fmt.Sprint(x.Items, " ", x.Requests, " ", x.Failures)
			drained = append(drained, x.Drained.Seconds())
			fmt.Fprintf(tw, "%s\t%d\t%.2fs\t%d/%d\t%s\t%s\t%s\t%.0f\t%.0f\t%.0f\t%.2f\t%s\t\n", db, r.run, x.Drained.Seconds(), x.Stored(), n, other,
				ms(time.Duration(x.Latency.ValueAtPercentile(50))*time.Microsecond), ms(time.Duration(x.Latency.ValueAtPercentile(99))*time.Microsecond),
				PerRequest(x.CPU.Server, n), PerRequest(x.CPU.Postgres, n), PerRequest(x.CPU.Self, n), x.CPU.Cores(x.CPU.Other()), verdict(x.Passes()))
		}
		if len(drained) > 0 {
			fmt.Fprintf(tw, "%s\tmedian\t%.2fs\t\t\t\t\t\t\t\t\t\t\n", db, median(drained))
		}
	}
	_ = tw.Flush()
}

type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer) table {
	t := table{tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)}
	fmt.Fprintln(t.tw, "db\trun\trate/s\tcount\terrors\tp50\tp90\tp99\tp99.9\tmax\tchorus µs/req\tpg µs/req\tgen µs/req\tmachine cores\tother work\t")
	return t
}

func (t table) row(db string, run int, r stepResult) {
	n := r.Count()
	fmt.Fprintf(t.tw, "%s\t%d\t%.0f\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t%.0f\t%.2f\t%.2f\t\n", db, run, r.Rate, n, r.ErrorSummary(),
		ms(r.Percentile(50)), ms(r.Percentile(90)), ms(r.Percentile(99)), ms(r.Percentile(99.9)), ms(r.Max()),
		PerRequest(r.CPU.Server, n), PerRequest(r.CPU.Postgres, n), PerRequest(r.CPU.Self, n), r.CPU.Cores(r.CPU.Busy), r.CPU.Cores(r.CPU.Other()))
}

func (t table) flush() { _ = t.tw.Flush() }

// printMachine notes what the numbers were measured on.
func printMachine(w io.Writer) {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	pg := "pgbench not found"
	if out, err := exec.Command("pgbench", "--version").Output(); err == nil {
		pg = strings.TrimSpace(string(out))
	}
	fmt.Fprintf(w, "machine: %d CPUs (%s), %s, %s/%s; %s\n", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH, pg)
}
