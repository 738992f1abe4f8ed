// Command kiosk is an open-loop load generator for Chorus's kiosk
// submission endpoint (POST /api/v1/kiosk/submissions).
//
// It starts the chorus binary itself on a fresh database (an SQLite file in
// a temporary folder, or a new PostgreSQL database that is dropped
// afterwards), provisions an organization, a site and many kiosks, sends
// submissions on a fixed timeline whatever the server answers, and reports
// latency measured from each request's scheduled send time. With -find-max
// it searches for the highest steady rate whose p99 stays under a target
// with no errors, and compares it with pgbench's single-row insert rate on
// the same PostgreSQL server. See README.md beside this file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line settings.
type options struct {
	chorusBin    string
	dbs          []string
	pgURL        string
	kiosks       int
	jobs         int
	noisyRetries int
	runs         int
	textShare    float64
	keep         bool

	// Fixed-rate mode.
	rate     float64
	duration time.Duration

	// -find-max mode.
	findMax bool
	search  searchConfig

	// -burst mode.
	burst burstConfig

	warmup    time.Duration
	waitQuiet time.Duration

	pgbench        bool
	pgbenchTime    time.Duration
	pgbenchClients int
	pgbenchThreads int
}

const usageHeader = `kiosk: open-loop load generator for POST /api/v1/kiosk/submissions.

It builds (or takes) the chorus binary, starts it on a fresh database with
CHORUS_TRUSTED_PROXIES=127.0.0.1, provisions kiosks, and sends submissions at
a fixed rate, each with a synthetic X-Forwarded-For header (10.x.y.z, one per
kiosk) so the per-address rate limit sees many clients. All traffic goes to
127.0.0.1 only.

  go run ./bench/kiosk -rate 200 -duration 30s          # one fixed rate
  go run ./bench/kiosk -find-max -runs 3                # highest rate with p99 < 50ms, no errors
  go run ./bench/kiosk -burst 10 -runs 3                # 10 tablets × 500 queued submissions at once

Flags:
`

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageHeader)
		fs.PrintDefaults()
	}
	dbs := fs.String("db", "sqlite,postgres", "databases to run on, comma-separated: sqlite, postgres")
	fs.StringVar(&o.chorusBin, "chorus", "", "chorus binary to run (default: go build ./cmd/chorus into the temporary folder)")
	fs.StringVar(&o.pgURL, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server to create scratch databases on (must be on this machine)")
	fs.IntVar(&o.kiosks, "kiosks", 1000, "kiosks to provision; each may send about 1 request/s (burst 30), so the sustained rate must stay below this")
	fs.IntVar(&o.jobs, "provision-jobs", 4, "parallel \"chorus admin kiosk add\" processes while provisioning")
	fs.IntVar(&o.runs, "runs", 1, "repeat every configuration this many times (fresh database each time) and report the median")
	fs.Float64Var(&o.textShare, "text-share", 0.2, "share of submissions that carry free text")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary folder (server logs, SQLite files)")
	fs.Float64Var(&o.rate, "rate", 100, "fixed-rate mode: requests per second")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "fixed-rate mode: how long to send")
	fs.BoolVar(&o.findMax, "find-max", false, "step the rate up, then bisect, to find the highest rate that meets -p99 with no errors")
	fs.Float64Var(&o.search.Start, "start-rate", 50, "find-max: first rate; it doubles until a step fails")
	fs.Float64Var(&o.search.Limit, "max-rate", 6400, "find-max: never try above this rate")
	fs.DurationVar(&o.search.Step, "step", 10*time.Second, "find-max: how long each rate is held")
	fs.DurationVar(&o.search.P99, "p99", 50*time.Millisecond, "find-max: a step passes when its p99 is below this and nothing failed")
	fs.Float64Var(&o.search.Precision, "precision", 0.08, "find-max: stop bisecting when the gap is below this fraction of the passing rate")
	fs.IntVar(&o.burst.Tablets, "burst", 0, "burst mode: this many tablets empty their outboxes at once (0: off)")
	fs.IntVar(&o.burst.Per, "burst-queued", 500, "burst mode: submissions queued on each tablet")
	fs.IntVar(&o.burst.Batch, "burst-batch", 100, "burst mode: items per batch request (the kiosk app sends 100)")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "unrecorded warm-up at the first rate before measuring")
	fs.DurationVar(&o.waitQuiet, "wait-quiet", 3*time.Minute, "before each run, wait up to this long for other work on the machine to stop (0: don't wait)")
	fs.IntVar(&o.noisyRetries, "noisy-retries", 2, "how often a step that failed amid other work (and a pgbench run amid it) is measured again")
	fs.BoolVar(&o.pgbench, "pgbench", true, "with -db postgres and -find-max: also run pgbench single-row inserts on the same server")
	fs.DurationVar(&o.pgbenchTime, "pgbench-time", 30*time.Second, "pgbench -T")
	fs.IntVar(&o.pgbenchClients, "pgbench-clients", 8, "pgbench -c")
	fs.IntVar(&o.pgbenchThreads, "pgbench-threads", 2, "pgbench -j")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, db := range strings.Split(*dbs, ",") {
		switch db = strings.TrimSpace(db); db {
		case dialectSQLite, dialectPostgres:
			o.dbs = append(o.dbs, db)
		case "":
		default:
			return o, fmt.Errorf("-db: unknown database %q (want sqlite or postgres)", db)
		}
	}
	return o, o.validate()
}

func (o options) validate() error {
	switch {
	case len(o.dbs) == 0:
		return errors.New("-db: name at least one database")
	case o.kiosks < 1 || o.runs < 1 || o.jobs < 1:
		return errors.New("-kiosks, -runs and -provision-jobs must be at least 1")
	case o.rate <= 0 || o.search.Start <= 0 || o.search.Limit < o.search.Start:
		return errors.New("rates must be positive and -max-rate at least -start-rate")
	case o.burst.Tablets < 0 || o.burst.Tablets > o.kiosks || (o.burst.Tablets > 0 && (o.burst.Per < 1 || o.burst.Batch < 1 || o.burst.Batch > 100 || o.findMax)):
		return errors.New("-burst must be at most -kiosks, with -burst-queued ≥ 1 and -burst-batch 1–100, and not with -find-max")
	case o.textShare < 0 || o.textShare > 1:
		return errors.New("-text-share must be between 0 and 1")
	case !o.findMax && o.burst.Tablets == 0 && o.rate > float64(o.kiosks)*kioskRefill && o.duration.Seconds()*(o.rate/float64(o.kiosks)-kioskRefill) > kioskBurst:
		return fmt.Errorf("-rate %.0f for %s would exhaust %d kiosks' rate limits: raise -kiosks", o.rate, o.duration, o.kiosks)
	}
	return nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bench(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return 1
	}
	return 0
}
