// Command live is a load generator for Chorus live sessions (docs/live-protocol.md).
//
// It builds ./cmd/chorus, starts `chorus serve` on a fresh PostgreSQL
// database (or a temp SQLite file), seeds an organization, a site and an
// API token, opens a `pick` round, connects N participant websockets and
// sends votes open-loop at R votes/s. It reports ack latency and
// tally-delivery latency (HDR histograms, measured from each vote's
// scheduled send time) and server RSS per idle connection.
//
//	-baseline     also run the same load against a bare gorilla/websocket
//	              server that broadcasts every vote (bench/live/baseline),
//	              and report Chorus's figures as ratios to it
//	-find-max     instead of one rate, find the highest rate whose votes are
//	              all acknowledged (open-loop steps), then run pgbench's
//	              single-row inserts with 8 clients on the same database
//	-servers 2    two chorus serve processes on one PostgreSQL database,
//	              participants split between them, votes sent to the first;
//	              reports the extra latency on the second
//
// Run from the repository root:
//
//	go run ./bench/live -db postgres -n 5000 -rate 1000 -duration 60s
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"
)

type options struct {
	db       string
	pgAdmin  string
	n        int
	rate     float64
	duration time.Duration
	ramp     float64
	settle   time.Duration
	drain    time.Duration
	sample   int
	chorus   string
	jsonOut  string
	baseline bool
	servers  int

	findMax        bool
	startRate      float64
	maxRate        float64
	step           time.Duration
	stepAckP99     time.Duration
	pgbenchClients int
	pgbenchTime    time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.db, "db", "postgres", "postgres or sqlite")
	flag.StringVar(&o.pgAdmin, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL maintenance URL (a fresh database is created and dropped)")
	flag.IntVar(&o.n, "n", 1000, "participant websockets")
	flag.Float64Var(&o.rate, "rate", 500, "votes per second in total (open loop)")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "load duration")
	flag.Float64Var(&o.ramp, "ramp", 500, "new connections per second while connecting")
	flag.DurationVar(&o.settle, "settle", 5*time.Second, "idle time after connecting, before reading RSS")
	flag.DurationVar(&o.drain, "drain", 5*time.Second, "time to wait for acks and tallies after the last scheduled vote")
	flag.IntVar(&o.sample, "sample", 20, "compute tally delivery for every k-th vote")
	flag.StringVar(&o.chorus, "chorus", "", "prebuilt chorus binary (default: go build ./cmd/chorus)")
	flag.StringVar(&o.jsonOut, "json", "", "also write the result as JSON here")
	flag.BoolVar(&o.baseline, "baseline", false, "also run the same load against the bare gorilla/websocket broadcast server")
	flag.IntVar(&o.servers, "servers", 1, "chorus serve processes sharing the database (2 needs -db postgres)")
	flag.BoolVar(&o.findMax, "find-max", false, "find the highest rate whose votes are all acknowledged, and run pgbench")
	flag.Float64Var(&o.startRate, "start-rate", 1000, "-find-max: first rate tried (doubled until a step fails, then bisected)")
	flag.Float64Var(&o.maxRate, "max-rate", 64000, "-find-max: highest rate tried")
	flag.DurationVar(&o.step, "step", 10*time.Second, "-find-max: length of one step")
	flag.DurationVar(&o.stepAckP99, "step-ack-p99", time.Second, "-find-max: a step passes when every vote is acked, with no error, and ack p99 is under this")
	flag.IntVar(&o.pgbenchClients, "pgbench-clients", 8, "-find-max: pgbench clients")
	flag.DurationVar(&o.pgbenchTime, "pgbench-time", 20*time.Second, "-find-max: pgbench duration")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	fmt.Printf("RLIMIT_NOFILE=%d GOMAXPROCS=%d\n", raiseNofile(), runtime.GOMAXPROCS(0))
	dir, err := os.MkdirTemp("", "chorus-live-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.chorus
	if bin == "" {
		bin = filepath.Join(dir, "chorus")
		if err := build(bin, "./cmd/chorus"); err != nil {
			return err
		}
	}
	out := map[string]any{}
	tg, err := startChorus(o, dir, bin)
	if err != nil {
		return err
	}
	res, err := runTarget(o, tg, dir)
	tg.stop()
	if err != nil {
		return err
	}
	out["chorus"] = res
	if o.baseline {
		bt, err := startBaseline(dir)
		if err != nil {
			return err
		}
		bres, err := runTarget(o, bt, dir)
		bt.stop()
		if err != nil {
			return err
		}
		out["baseline"] = bres
		out["chorus_to_baseline"] = ratios(res, bres)
	}
	for _, k := range []string{"chorus", "baseline", "chorus_to_baseline"} {
		if v, ok := out[k]; ok {
			fmt.Printf("=== %s ===\n", k)
			printSorted(v.(map[string]any))
		}
	}
	if o.jsonOut != "" {
		b, _ := json.MarshalIndent(out, "", "  ")
		if err := os.WriteFile(o.jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runTarget connects the participants, measures idle memory, then runs
// the fixed-rate load or the saturation search.
func runTarget(o options, tg *target, dir string) (map[string]any, error) {
	res := map[string]any{"target": tg.name, "db": o.db, "servers": len(tg.pids), "participants": o.n}
	time.Sleep(time.Second)
	rssBefore := rssAll(tg.pids)
	g, dialErrs, connDur := connect(tg, o.n, o.ramp)
	defer g.close()
	connected := g.connected()
	fmt.Printf("%s: connected %d/%d in %s (dial errors %d)\n", tg.name, connected, o.n, connDur.Round(time.Millisecond), dialErrs)
	if connected == 0 {
		return nil, fmt.Errorf("no connections")
	}
	time.Sleep(o.settle)
	rssIdle := rssAll(tg.pids)
	var grown int64
	for i := range tg.pids {
		grown += rssIdle[i] - rssBefore[i]
	}
	res["connected"], res["dial_errors"], res["connect_seconds"] = connected, dialErrs, connDur.Seconds()
	res["rss_before_kib"], res["rss_idle_kib"] = rssBefore, rssIdle
	res["kib_per_idle_conn"] = float64(grown) / float64(connected)
	fmt.Printf("%s: server RSS %v KiB before, %v KiB idle with %d connections: %.1f KiB per connection\n",
		tg.name, rssBefore, rssIdle, connected, res["kib_per_idle_conn"])
	if o.findMax {
		if err := saturate(o, tg, g, res); err != nil {
			return nil, err
		}
		if tg.dbURL != "" {
			pg, err := runPgbench(o, dir, tg.dbURL)
			if err != nil {
				return nil, err
			}
			res["pgbench"] = pg
			if best, ok := res["saturation_ack_throughput_per_s"].(float64); ok && pg.TPS > 0 {
				res["saturation_to_pgbench"] = best / pg.TPS
			}
		}
		return res, nil
	}
	fixedRate(o, tg, g, res)
	return res, nil
}

func rssAll(pids []int) []int64 {
	out := make([]int64, len(pids))
	for i, p := range pids {
		out[i] = rssKiB(p)
	}
	return out
}

// fixedRate sends o.rate votes/s for o.duration and measures.
func fixedRate(o options, tg *target, g *gen, res map[string]any) {
	meter := startCPU(tg.pids, tg.dbURL)
	ckpt0 := checkpoints(o.pgAdmin)
	p, late, sendErrs := g.send(1, o.rate, o.duration)
	time.Sleep(o.drain)
	srv, self, other := meter.cores()
	usage := meter.usage()
	res["server_cpu_cores"], res["loadgen_cpu_cores"], res["other_cpu_cores"] = srv, self, other
	res["pg_checkpoints_during_run"] = checkpoints(o.pgAdmin) - ckpt0
	res["rate"], res["duration_s"] = o.rate, o.duration.Seconds()
	res["send_errors"], res["scheduler_late_max_ms"] = sendErrs, float64(late)/1e6
	res["rss_after_load_kib"] = rssAll(tg.pids)
	usage.perOp(res, "per_vote_", p.acks(res))
	codes, n := g.errorCounts()
	res["error_messages"], res["error_codes"] = n, fmt.Sprint(codes)

	// Tally delivery over every client still connected at the end, and
	// per process when there are several.
	perServer := make([][]*client, len(tg.pids))
	var alive []*client
	dropped := 0
	var tallies int64
	for _, c := range g.clients {
		if c == nil {
			continue
		}
		tallies += c.tallies.Load()
		if c.closed.Load() {
			dropped++
			continue
		}
		alive = append(alive, c)
		perServer[c.server] = append(perServer[c.server], c)
	}
	res["clients_dropped_during_run"], res["tallies_received"] = dropped, tallies
	deliver(p, alive, o.sample).report(p, res, "tally_")
	if len(tg.pids) > 1 {
		same, other := deliver(p, perServer[0], o.sample), deliver(p, perServer[1], o.sample)
		same.report(p, res, "tally_voting_process_")
		other.report(p, res, "tally_other_process_")
		diffs := crossExtra(same, other)
		res["cross_p99_difference_ms"] = res["tally_other_process_p99_ms"].(float64) - res["tally_voting_process_p99_ms"].(float64)
		res["cross_per_vote_extra_p50_ms"], res["cross_per_vote_extra_p99_ms"] = quantile(diffs, 0.5), quantile(diffs, 0.99)
	}
}

// ratios are Chorus's figures divided by the baseline's.
func ratios(c, b map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"ack_p50_ms", "ack_p99_ms", "tally_p50_ms", "tally_p99_ms", "tally_fanout_spread_p99_ms",
		"kib_per_idle_conn", "server_cpu_cores", "ack_throughput_per_s", "tallies_received"} {
		cv, ok1 := toFloat(c[k])
		bv, ok2 := toFloat(b[k])
		if ok1 && ok2 && bv != 0 {
			out[k] = cv / bv
		}
	}
	if ci, ok := c["clients_dropped_during_run"].(int); ok {
		out["clients_dropped_chorus_baseline"] = fmt.Sprintf("%d vs %v", ci, b["clients_dropped_during_run"])
	}
	return out
}

func printSorted(m map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%-36s %v\n", k, m[k])
	}
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}
