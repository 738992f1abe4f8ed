package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func raiseNofile() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err == nil {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	return l.Cur
}

func rssKiB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return -1
}

// procCPU is user+system CPU time of pid from /proc/<pid>/stat.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	f := strings.Fields(s[i+2:])
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * time.Second / 100
}

// machineBusy is the CPU time all cores spent busy (not idle or iowait),
// from /proc/stat.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line := strings.SplitN(string(b), "\n", 2)[0]
	f := strings.Fields(line)[1:]
	var busy int64
	for i, v := range f {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i == 3 || i == 4 || i >= 8 { // idle, iowait, guest (already in user)
			continue
		}
		busy += n
	}
	return time.Duration(busy) * time.Second / 100
}

func roundAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(int64(x*10)) / 10
	}
	return out
}

// checkpoints is PostgreSQL's checkpoint count (timed + requested), shared
// by every database on the server: CREATE DATABASE by another benchmark
// forces one.
func checkpoints(pgAdmin string) int64 {
	out, err := exec.Command("psql", pgAdmin, "-Atc", "select checkpoints_timed + checkpoints_req from pg_stat_bgwriter").Output()
	if err != nil {
		return -1
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	return n
}

// postgresByPID is postgresCPU by backend.
func postgresByPID(database string) map[int]time.Duration {
	out := map[int]time.Duration{}
	entries, err := os.ReadDir("/proc")
	if err != nil || database == "" {
		return out
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue
		}
		title := strings.Fields(strings.ReplaceAll(string(b), "\x00", " "))
		if len(title) >= 4 && title[0] == "postgres:" && slices.Contains(title, database) {
			out[pid] = procCPU(pid)
		}
	}
	return out
}

// trackBackends samples database's backends every interval until stop is
// closed, then returns their CPU time since it started: backends that end
// meanwhile (pgbench's end with it) count up to their last sample.
func trackBackends(database string, every time.Duration, stop <-chan struct{}) time.Duration {
	first, last := postgresByPID(database), map[int]time.Duration{}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		for pid, cpu := range postgresByPID(database) {
			last[pid] = cpu
		}
		select {
		case <-stop:
			var total time.Duration
			for pid, cpu := range last {
				total += cpu - first[pid]
			}
			return total
		case <-tick.C:
		}
	}
}

// postgresCPU is the CPU time of the PostgreSQL backends serving
// database (the processes whose title names it), "" for none. The
// server's shared processes and ended backends are left out: on a server
// shared with other people's tests they are mostly other work, and the
// servers' and pgbench's connections stay open through a run.
func postgresCPU(database string) time.Duration {
	var total time.Duration
	for _, cpu := range postgresByPID(database) {
		total += cpu
	}
	return total
}

// databaseOf is the database name in a PostgreSQL URL, "" for none.
func databaseOf(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || dbURL == "" {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// cpuMeter reads the CPU of the servers, of PostgreSQL, of this load
// generator and of the whole machine.
type cpuMeter struct {
	pids                 []int
	database             string
	servers, pg, self, m time.Duration
	wall                 time.Time
}

func startCPU(pids []int, dbURL string) cpuMeter {
	db := databaseOf(dbURL)
	c := cpuMeter{pids: pids, database: db, self: procCPU(os.Getpid()), pg: postgresCPU(db), m: machineBusy(), wall: time.Now()}
	for _, p := range pids {
		c.servers += procCPU(p)
	}
	return c
}

// cpuUsage is the CPU time each part used since the meter started.
type cpuUsage struct {
	Servers, Postgres, Self, Other time.Duration
	Wall                           time.Duration
}

func (c cpuMeter) usage() cpuUsage {
	var srv time.Duration
	for _, p := range c.pids {
		srv += procCPU(p)
	}
	u := cpuUsage{Servers: srv - c.servers, Postgres: postgresCPU(c.database) - c.pg, Self: procCPU(os.Getpid()) - c.self, Wall: time.Since(c.wall)}
	u.Other = machineBusy() - c.m - u.Servers - u.Postgres - u.Self
	return u
}

// cores is the cores used since start: servers, this load generator, and
// everything else on the machine (PostgreSQL among it).
func (c cpuMeter) cores() (servers, self, other float64) {
	u := c.usage()
	wall := u.Wall.Seconds()
	return u.Servers.Seconds() / wall, u.Self.Seconds() / wall, (u.Other + u.Postgres).Seconds() / wall
}

// perOp puts CPU per operation into res: µs of the servers, PostgreSQL
// and this generator per op, and the cores of other work.
func (u cpuUsage) perOp(res map[string]any, prefix string, ops int) {
	if ops <= 0 {
		return
	}
	us := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(ops) }
	res[prefix+"chorus_cpu_us"], res[prefix+"postgres_cpu_us"], res[prefix+"loadgen_cpu_us"] = us(u.Servers), us(u.Postgres), us(u.Self)
	res[prefix+"postgres_cpu_cores"] = u.Postgres.Seconds() / u.Wall.Seconds()
	res[prefix+"other_work_cpu_cores"] = u.Other.Seconds() / u.Wall.Seconds()
}
