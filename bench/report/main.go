// Command report measures Chorus's reports over a million submissions.
//
// It creates a fresh PostgreSQL database on this machine, migrates it,
// adds a program with two sites through the store, copies in generated
// submissions over about two years, and then times, through
// report.Reporter, the dashboard's main reports over the last twelve
// months: first counting straight from the submissions (no rollup yet),
// then the rollup itself (report.Roll), then the same reports from the
// rollups, and finally the same reports over HTTP from `chorus serve`. It
// prints medians and 95th percentiles and drops the database. See
// docs/benchmarks-reports.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/models"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	pgURL     string
	n         int
	days      int
	runs      int
	rawRuns   int
	seed      uint64
	http      bool
	chorusBin string
	keep      bool
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.pgURL, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL admin URL on this machine; a fresh database is made beside it")
	fs.IntVar(&o.n, "n", 1_000_000, "submissions to generate")
	fs.IntVar(&o.days, "days", 730, "days the submissions span, ending today (UTC)")
	fs.IntVar(&o.runs, "runs", 25, "timed runs of each report from the rollups and over HTTP (after one warm-up)")
	fs.IntVar(&o.rawRuns, "raw-runs", 21, "timed runs of each report counted from the submissions")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed of the generated data")
	fs.BoolVar(&o.http, "http", true, "also time the endpoints end to end through chorus serve")
	fs.StringVar(&o.chorusBin, "chorus", "", "chorus binary for -http (built from ./cmd/chorus when empty)")
	fs.BoolVar(&o.keep, "keep", false, "keep the database instead of dropping it")
	return o, fs.Parse(args)
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bench(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "report bench:", err)
		return 1
	}
	return 0
}

func bench(ctx context.Context, o options, out, log io.Writer) error {
	admin, server, err := openAdmin(ctx, o.pgURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	name := fmt.Sprintf("chorus_report_bench_%d", time.Now().UnixNano())
	step := func(what string) func() time.Duration {
		fmt.Fprintf(log, "%s: %s…\n", time.Now().Format("15:04:05"), what)
		start := time.Now()
		return func() time.Duration { return time.Since(start) }
	}

	done := step("create, migrate and provision " + name)
	f, err := createDatabase(ctx, admin, server, name)
	if !o.keep {
		defer func() {
			if f != nil {
				_ = f.db.Close()
			}
			dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if _, err := admin.ExecContext(dctx, fmt.Sprintf("DROP DATABASE IF EXISTS %q WITH (FORCE)", name)); err != nil {
				fmt.Fprintln(log, "drop database:", err)
			} else {
				fmt.Fprintln(log, "dropped", name)
			}
		}()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "  %s\n", done().Round(time.Millisecond))

	today := models.DayOf(time.Now(), time.UTC)
	done = step(fmt.Sprintf("COPY %d submissions over %d days", o.n, o.days))
	n, err := load(ctx, f, newGenerator(f, o.n, today.AddDays(1-o.days), o.days, o.seed))
	if err != nil {
		return err
	}
	loadTime := done()
	fmt.Fprintf(log, "  %d rows in %s\n", n, loadTime.Round(time.Millisecond))

	rep := report.New(f.db)
	list, err := scenarios(f, rep, today)
	if err != nil {
		return err
	}
	done = step("reports counted from the submissions (no rollup mark)")
	raw, err := measureAll(ctx, list, o.rawRuns)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "  %s\n", done().Round(time.Millisecond))

	done = step("report.Roll")
	through, err := rep.Roll(ctx, f.org.ID)
	if err != nil {
		return err
	}
	rollTime := done()
	fmt.Fprintf(log, "  rolled through %s in %s\n", through, rollTime.Round(time.Millisecond))

	done = step("reports from the rollups")
	rolled, err := measureAll(ctx, list, o.runs)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "  %s\n", done().Round(time.Millisecond))

	var viaHTTP []timing
	if o.http {
		if viaHTTP, err = benchHTTP(ctx, o, f, list); err != nil {
			return err
		}
	}
	facts, err := machineFacts(ctx, f)
	if err != nil {
		return err
	}
	printResults(out, results{o: o, facts: facts, rows: n, load: loadTime, roll: rollTime, through: through,
		raw: raw, rolled: rolled, http: viaHTTP})
	return nil
}

// benchHTTP starts chorus serve on the database, makes a policymaker with
// an API token, and times the endpoints.
func benchHTTP(ctx context.Context, o options, f *fixture, list []scenario) ([]timing, error) {
	bin := o.chorusBin
	if bin == "" {
		dir, err := os.MkdirTemp("", "chorus-report-bench")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		if bin, err = buildChorus(ctx, dir); err != nil {
			return nil, err
		}
	}
	m, _, err := f.st.CreateMember(ctx, f.org.ID, "analyst@bench.test", models.RolePolicymaker, "bench-password-not-used-1", false)
	if err != nil {
		return nil, err
	}
	_, token, err := f.st.CreateAPIToken(ctx, f.org.ID, m.User.ID, "report bench")
	if err != nil {
		return nil, err
	}
	s, err := startServer(ctx, bin, f.url)
	if err != nil {
		return nil, err
	}
	times, err := measureHTTP(s.baseURL, token, list, o.runs)
	if serr := s.stop(); err == nil {
		err = serr
	}
	return times, err
}
