package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// pgbenchTable is shaped like live_votes (migrations/postgres/00004_live.sql),
// without the foreign keys. It is created in the benchmark's own database.
const pgbenchTable = `CREATE TABLE bench_pgbench_votes (
    round_id        uuid NOT NULL,
    participant_id  uuid NOT NULL,
    vote_id         text NOT NULL CHECK (length(vote_id) BETWEEN 1 AND 64),
    choice          jsonb NOT NULL,
    PRIMARY KEY (round_id, participant_id)
)`

// pgbenchScript is one single-row insert per transaction: a vote.
const pgbenchScript = `INSERT INTO bench_pgbench_votes (round_id, participant_id, vote_id, choice)
VALUES ('00000000-0000-4000-8000-000000000001', gen_random_uuid(), md5(random()::text), '"Tue"');
`

// pgbenchResult is what pgbench reported.
type pgbenchResult struct {
	TPS          float64 `json:"tps"`
	Transactions int64   `json:"transactions"`
	LatencyMS    float64 `json:"latency_avg_ms"`
	Command      string  `json:"command"`
	// PostgresUS and ClientUS are PostgreSQL's and pgbench's CPU per
	// insert, µs.
	PostgresUS float64 `json:"postgres_cpu_us_per_insert"`
	ClientUS   float64 `json:"pgbench_cpu_us_per_insert"`
}

var (
	tpsRE     = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	txRE      = regexp.MustCompile(`(?m)^number of transactions actually processed: ([0-9]+)`)
	latencyRE = regexp.MustCompile(`(?m)^latency average = ([0-9.]+) ms`)
)

// runPgbench runs single-row inserts with o.pgbenchClients clients on the
// benchmark's database, while the Chorus server is connected but idle.
func runPgbench(o options, dir, dbURL string) (pgbenchResult, error) {
	if out, err := exec.Command("psql", dbURL, "-c", pgbenchTable).CombinedOutput(); err != nil {
		return pgbenchResult{}, fmt.Errorf("create the pgbench table: %v\n%s", err, out)
	}
	script := filepath.Join(dir, "insert.sql")
	if err := os.WriteFile(script, []byte(pgbenchScript), 0o600); err != nil {
		return pgbenchResult{}, err
	}
	args := []string{"-n", "-c", strconv.Itoa(o.pgbenchClients), "-j", "2", "-T", strconv.Itoa(int(o.pgbenchTime / time.Second)), "-f", script, dbURL}
	stop, tracked := make(chan struct{}), make(chan time.Duration)
	go func() { tracked <- trackBackends(databaseOf(dbURL), 100*time.Millisecond, stop) }()
	cmd := exec.Command("pgbench", args...)
	out, err := cmd.CombinedOutput()
	close(stop)
	pg := <-tracked
	if err != nil {
		return pgbenchResult{}, fmt.Errorf("pgbench %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	var r pgbenchResult
	m := tpsRE.FindSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no tps line in pgbench output:\n%s", out)
	}
	r.TPS, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := txRE.FindSubmatch(out); m != nil {
		r.Transactions, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	if m := latencyRE.FindSubmatch(out); m != nil {
		r.LatencyMS, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	r.Command = "pgbench " + strings.Join(args[:len(args)-1], " ") + " <the benchmark's database>"
	if r.Transactions > 0 {
		r.PostgresUS = float64(pg.Microseconds()) / float64(r.Transactions)
		client := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		r.ClientUS = float64(client.Microseconds()) / float64(r.Transactions)
	}
	fmt.Printf("pgbench: %.0f tps (%d transactions, %.2f ms average), cpu µs/insert pg=%.0f pgbench=%.0f\n",
		r.TPS, r.Transactions, r.LatencyMS, r.PostgresUS, r.ClientUS)
	return r, nil
}
