package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// bodyPool is how many distinct request bodies the generator cycles
// through.
const bodyPool = 1000

// coolDown separates steps, so one step's backlog does not spill into the
// next.
const coolDown = 2 * time.Second

// bench provisions each database once, then runs every configuration
// o.runs times, interleaved so that a noisy minute on the machine does not
// land on one configuration only.
func bench(ctx context.Context, o options, stdout, stderr io.Writer) error {
	dir, err := os.MkdirTemp("", "chorus-kiosk-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(stderr, "keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := o.chorusBin
	if bin == "" {
		fmt.Fprintln(stdout, "building ./cmd/chorus …")
		if bin, err = buildChorus(ctx, dir); err != nil {
			return err
		}
	}
	id := randomID()
	fixtures := map[string]fixture{}
	defer func() {
		for _, fx := range fixtures {
			if err := fx.close(); err != nil {
				fmt.Fprintln(stderr, "kiosk: clean up:", err)
			}
		}
	}()
	if err := provisionAll(ctx, o, bin, dir, id, fixtures, stdout); err != nil {
		return err
	}
	sum := newSummary(o)
	printMachine(stdout)
	for r := 1; r <= o.runs; r++ {
		for _, db := range o.dbs {
			res, err := runOnce(ctx, o, bin, dir, fixtures[db], db, r, stdout)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", db, r, err)
			}
			sum.add(db, res)
		}
		if sum.wantsPgbench() {
			pr, err := pgbenchUnlessNoisy(ctx, o, dir, fmt.Sprintf("chorus_bench_%s_pgbench%d", id, r), fmt.Sprintf("pgbench run %d/%d", r, o.runs), stdout)
			if err != nil {
				return err
			}
			sum.pgbench = append(sum.pgbench, pr)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	sum.print(stdout)
	return nil
}

// provisionAll provisions every database at once: SQLite is provisioned by
// one process at a time, so PostgreSQL's provisioning fits beside it.
func provisionAll(ctx context.Context, o options, bin, dir, id string, into map[string]fixture, out io.Writer) error {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	for _, db := range o.dbs {
		wg.Go(func() {
			fx, err := provision(ctx, o, db, bin, dir, id, out)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			into[db] = fx
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// runOnce copies the template, starts chorus on the copy, warms up, and
// measures: one fixed rate, or a -find-max search.
func runOnce(ctx context.Context, o options, bin, dir string, fx fixture, db string, run int, out io.Writer) (runRecord, error) {
	if o.waitQuiet > 0 {
		waitQuiet(ctx, o.waitQuiet, out)
	}
	name := fmt.Sprintf("run%d", run)
	dbURL, drop, err := fx.clone(ctx, name)
	if err != nil {
		return runRecord{}, err
	}
	defer func() { _ = drop() }()
	srv, err := startServer(ctx, bin, dbURL, filepath.Join(dir, fmt.Sprintf("chorus-%s-%s.log", db, name)))
	if err != nil {
		return runRecord{}, err
	}
	bodies := makeBodies(bodyPool, o.textShare, mrand.New(mrand.NewPCG(uint64(run), 7)))
	gen := newGenerator(srv.baseURL, fx.tokens(), bodies, randomID(),
		cpuMeter{serverPID: srv.pid(), database: postgresDatabase(db, dbURL)})
	defer gen.close()
	label := fmt.Sprintf("%s run %d/%d", db, run, o.runs)
	first := o.rate
	if o.findMax {
		first = o.search.Start
	}
	if o.warmup > 0 {
		gen.step(ctx, first, o.warmup)
		sleep(ctx, coolDown)
	}
	rec := runRecord{dialect: db, run: run}
	if o.burst.Tablets > 0 {
		b := gen.burst(ctx, o.burst)
		rec.burst = &b
		printBurst(out, label, b)
	} else if o.findMax {
		step := func(ctx context.Context, rate float64) stepResult {
			return stepUnlessNoisy(ctx, o, gen, rate, out, label)
		}
		rec.search = findMax(ctx, o.search, step, func(r stepResult, ok bool) { printStep(out, label, r, verdict(ok)) })
		fmt.Fprintf(out, "%s: highest passing rate %.0f/s\n", label, rec.search.MaxRate())
	} else {
		rec.fixed = gen.step(ctx, o.rate, o.duration)
		printStep(out, label, rec.fixed, "")
	}
	gen.close()
	if err := srv.stop(); err != nil {
		return rec, err
	}
	return rec, ctx.Err()
}

// noisy is how much other work, in cores, makes a failed step suspect.
const noisy = 0.25

// stepUnlessNoisy holds rate for one step. A step that failed while other
// work took a noticeable share of the machine says more about the other
// work than about chorus, so it is measured again once the machine is
// quiet (up to -noisy-retries times); a step that passed despite the noise
// stands.
func stepUnlessNoisy(ctx context.Context, o options, gen *generator, rate float64, out io.Writer, label string) stepResult {
	for attempt := 0; ; attempt++ {
		r := gen.step(ctx, rate, o.search.Step)
		sleep(ctx, coolDown)
		if r.Passes(o.search.P99) || r.CPU.Cores(r.CPU.Other()) < noisy || attempt == o.noisyRetries || ctx.Err() != nil {
			return r
		}
		printStep(out, label, r, "failed amid other work: measuring again")
		if o.waitQuiet > 0 {
			waitQuiet(ctx, o.waitQuiet, out)
		}
	}
}

// pgbenchUnlessNoisy runs pgbench, again if other work took a noticeable
// share of the machine meanwhile (up to -noisy-retries times), and keeps the
// attempt with the least other work.
func pgbenchUnlessNoisy(ctx context.Context, o options, dir, database, label string, out io.Writer) (pgbenchResult, error) {
	var (
		best      pgbenchResult
		bestNoise = math.Inf(1)
	)
	for attempt := 0; attempt <= o.noisyRetries && ctx.Err() == nil; attempt++ {
		if o.waitQuiet > 0 {
			waitQuiet(ctx, o.waitQuiet, out)
		}
		fmt.Fprintf(out, "%s: %d clients, %s …\n", label, o.pgbenchClients, o.pgbenchTime)
		pr, err := runPgbench(ctx, o, dir, database)
		if err != nil {
			return pr, err
		}
		other := pr.CPU.Cores(max(pr.CPU.Other()-pr.Client, 0))
		fmt.Fprintf(out, "%s: %.0f tps, latency average %.2f ms; CPU µs/tx postgres=%.0f pgbench=%.0f; machine=%.2f cores (other work %.2f)\n",
			label, pr.TPS, pr.LatencyMS, PerRequest(pr.CPU.Postgres, pr.Transactions), PerRequest(pr.Client, pr.Transactions),
			pr.CPU.Cores(pr.CPU.Busy), other)
		if other < bestNoise {
			best, bestNoise = pr, other
		}
		if other < noisy || attempt == o.noisyRetries {
			break
		}
		fmt.Fprintf(out, "%s: other work on the machine; measuring again\n", label)
	}
	return best, ctx.Err()
}

// postgresDatabase names the PostgreSQL database a run uses, or "" for
// SQLite.
func postgresDatabase(dialect, databaseURL string) string {
	if dialect != dialectPostgres {
		return ""
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

func verdict(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}

func randomID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
