package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/chorus-hr/chorus/models"
)

// results is everything the benchmark prints.
type results struct {
	o                 options
	facts             []string
	rows              int64
	load, roll        time.Duration
	through           models.Day
	raw, rolled, http []timing
}

// machineFacts describes where the figures were measured.
func machineFacts(ctx context.Context, f *fixture) ([]string, error) {
	facts := []string{
		fmt.Sprintf("CPU: %s, %d logical CPUs; memory %s; %s %s/%s", cpuModel(), runtime.NumCPU(), memTotal(), runtime.Version(), runtime.GOOS, runtime.GOARCH),
	}
	var pg struct {
		Version, SharedBuffers, WorkMem, Parallel string
		Submissions, Rollups                      string
		RollupRows                                int64
	}
	db := f.db.WithContext(ctx)
	for _, q := range []struct {
		sql  string
		into any
	}{
		{"SELECT version()", &pg.Version},
		{"SELECT current_setting('shared_buffers')", &pg.SharedBuffers},
		{"SELECT current_setting('work_mem')", &pg.WorkMem},
		{"SELECT current_setting('max_parallel_workers_per_gather')", &pg.Parallel},
		{"SELECT pg_size_pretty(pg_total_relation_size('submissions'))", &pg.Submissions},
		{"SELECT pg_size_pretty(pg_total_relation_size('rollups'))", &pg.Rollups},
		{"SELECT COUNT(*) FROM rollups", &pg.RollupRows},
	} {
		if err := db.Raw(q.sql).Row().Scan(q.into); err != nil {
			return nil, fmt.Errorf("%s: %w", q.sql, err)
		}
	}
	version, _, _ := strings.Cut(pg.Version, " on ")
	facts = append(facts,
		fmt.Sprintf("%s on the same machine (shared_buffers %s, work_mem %s, max_parallel_workers_per_gather %s)", version, pg.SharedBuffers, pg.WorkMem, pg.Parallel),
		fmt.Sprintf("submissions table with indexes: %s; rollups: %d rows, %s", pg.Submissions, pg.RollupRows, pg.Rollups))
	return facts, nil
}

func cpuModel() string { return procField("/proc/cpuinfo", "model name", runtime.GOARCH) }

func memTotal() string { return procField("/proc/meminfo", "MemTotal", "unknown") }

// procField reads the first "key: value" line of a /proc file.
func procField(path, key, fallback string) string {
	file, err := os.Open(path)
	if err != nil {
		return fallback
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return fallback
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// printResults writes the figures as Markdown, ready for the notes.
func printResults(w io.Writer, r results) {
	fmt.Fprintf(w, "### Results (%s)\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	for _, f := range r.facts {
		fmt.Fprintf(w, "- %s\n", f)
	}
	fmt.Fprintf(w, "- data: %d submissions over %d days (COPY and ANALYZE: %s); report.Roll over all settled days (through %s): **%s**\n\n",
		r.rows, r.o.days, r.load.Round(time.Millisecond), r.through, r.roll.Round(time.Millisecond))
	fmt.Fprintf(w, "Last twelve months by month; median / p95 of %d runs from the submissions, %d from the rollups and over HTTP, after one warm-up each.\n\n",
		r.o.rawRuns, r.o.runs)
	header := "| report | counted from submissions | from rollups | speed-up (medians) |"
	rule := "| --- | ---: | ---: | ---: |"
	if len(r.http) > 0 {
		header += " HTTP, end to end |"
		rule += " ---: |"
	}
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, rule)
	for i, raw := range r.raw {
		rolled := r.rolled[i]
		line := fmt.Sprintf("| %s | %s / %s | %s / %s | %.0f× |", raw.name, ms(raw.median()), ms(raw.p95()),
			ms(rolled.median()), ms(rolled.p95()), float64(raw.median())/float64(rolled.median()))
		if len(r.http) > i {
			line += fmt.Sprintf(" %s / %s |", ms(r.http[i].median()), ms(r.http[i].p95()))
		}
		fmt.Fprintln(w, line)
	}
}
