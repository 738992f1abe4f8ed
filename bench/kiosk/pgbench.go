package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// pgbenchTable resembles Chorus's submissions table (migrations/postgres):
// the same columns, key and indexes, without the foreign keys to the
// organization, site and kiosk rows.
const pgbenchTable = `
CREATE TABLE bench_submissions (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL,
    site_id          uuid NOT NULL,
    kiosk_id         uuid,
    language         text NOT NULL,
    day              date NOT NULL,
    needs            jsonb NOT NULL DEFAULT '[]',
    priorities       jsonb NOT NULL DEFAULT '[]',
    strengths        jsonb NOT NULL DEFAULT '[]',
    about            jsonb NOT NULL DEFAULT '{}',
    idempotency_key  bytea,
    request_hash     bytea,
    UNIQUE (kiosk_id, idempotency_key)
);
CREATE INDEX bench_submissions_org_day ON bench_submissions (organization_id, day);
CREATE INDEX bench_submissions_site_day ON bench_submissions (site_id, day);
`

// pgbenchScript is one single-row insert per transaction, shaped like a
// kiosk submission without free text.
const pgbenchScript = `INSERT INTO bench_submissions
  (id, organization_id, site_id, kiosk_id, language, day, needs, priorities, strengths, about, idempotency_key, request_hash)
VALUES
  (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', gen_random_uuid(),
   'en', current_date, '["naloxone", "food", "housing"]', '["housing", "naloxone"]', '["share_info"]', '{"age_band": "35_44"}',
   sha256(random()::text::bytea), sha256(random()::text::bytea));
`

// pgbenchResult is what pgbench reported.
type pgbenchResult struct {
	TPS          float64
	Transactions int64
	LatencyMS    float64
	Command      string
	// CPU covers the pgbench run: Postgres is the server's, Client is
	// pgbench's own.
	CPU    cpuUsage
	Client time.Duration
}

var (
	tpsRE     = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	txRE      = regexp.MustCompile(`(?m)^number of transactions actually processed: ([0-9]+)`)
	latencyRE = regexp.MustCompile(`(?m)^latency average = ([0-9.]+) ms`)
	failedRE  = regexp.MustCompile(`(?m)^number of failed transactions: ([0-9]+)`)
)

// parsePgbench reads pgbench's summary.
func parsePgbench(out string) (pgbenchResult, error) {
	var r pgbenchResult
	m := tpsRE.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no tps line in pgbench output:\n%s", out)
	}
	r.TPS, _ = strconv.ParseFloat(m[1], 64) // the pattern admits only digits and dots
	if m := txRE.FindStringSubmatch(out); m != nil {
		r.Transactions, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := latencyRE.FindStringSubmatch(out); m != nil {
		r.LatencyMS, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := failedRE.FindStringSubmatch(out); m != nil && m[1] != "0" {
		return r, fmt.Errorf("pgbench: %s transactions failed:\n%s", m[1], out)
	}
	return r, nil
}

// runPgbench creates a scratch database on the same server, runs the
// single-row insert script with pgbench, and drops the database.
func runPgbench(ctx context.Context, o options, dir, name string) (pgbenchResult, error) {
	admin, server, err := openPostgresAdmin(ctx, o.pgURL)
	if err != nil {
		return pgbenchResult{}, err
	}
	defer admin.Close()
	if err := createDatabase(ctx, admin, name, ""); err != nil {
		return pgbenchResult{}, err
	}
	defer func() { _ = dropDatabase(admin, name) }()
	target := databaseURL(server, name)
	if err := execScript(ctx, target, pgbenchTable); err != nil {
		return pgbenchResult{}, err
	}
	script := filepath.Join(dir, "insert.sql")
	if err := os.WriteFile(script, []byte(pgbenchScript), 0o600); err != nil {
		return pgbenchResult{}, err
	}
	args := []string{"-n", "-c", strconv.Itoa(o.pgbenchClients), "-j", strconv.Itoa(o.pgbenchThreads),
		"-T", strconv.Itoa(int(o.pgbenchTime / time.Second)), "-f", script, target}
	meter := cpuMeter{database: name}
	before := meter.sample()
	// pgbench's backends end with it: they are followed while it runs.
	backends := trackBackends(name, 100*time.Millisecond)
	cmd := exec.CommandContext(ctx, "pgbench", args...)
	out, err := cmd.CombinedOutput()
	pg := backends.Stop()
	if err != nil {
		return pgbenchResult{}, fmt.Errorf("pgbench %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	usage := meter.sample().since(before)
	usage.Postgres = pg
	r, err := parsePgbench(string(out))
	r.CPU = usage
	r.Client = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	r.Command = "pgbench " + strings.Join(args[:len(args)-1], " ") + " <db>"
	return r, err
}

func execScript(ctx context.Context, databaseURL, script string) error {
	db, _, err := openPostgresAdmin(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, script); err != nil {
		return fmt.Errorf("create the pgbench table: %w", err)
	}
	return nil
}
