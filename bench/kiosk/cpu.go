package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of CPU times in /proc (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuMeter reads where the machine's CPU time goes during a step: the
// chorus server, PostgreSQL's processes, this generator, and the machine
// as a whole (including steal: time a shared host gave to someone else).
// On a 2-core machine that shares its CPUs with the generator and the
// database, this says more than the rate alone.
type cpuMeter struct {
	serverPID int
	// database, when set, is the PostgreSQL database whose backends count
	// (with the server's shared processes, such as the WAL writer);
	// backends of other databases are someone else's work.
	database string
}

type cpuSample struct {
	at           time.Time
	server, self time.Duration
	postgres     map[string]time.Duration // by PID
	busy, steal  time.Duration
}

// cpuUsage is CPU time spent over a wall-clock interval.
type cpuUsage struct {
	Wall                   time.Duration
	Server, Postgres, Self time.Duration
	// Busy is all non-idle time on the machine; Steal is time the
	// hypervisor took away.
	Busy, Steal time.Duration
}

func (m cpuMeter) sample() cpuSample {
	s := cpuSample{at: time.Now(), self: selfCPU()}
	if m.serverPID > 0 {
		s.server = processCPU(strconv.Itoa(m.serverPID))
	}
	if m.database != "" {
		s.postgres = postgresCPU(m.database)
	}
	s.busy, s.steal = machineCPU()
	return s
}

func (s cpuSample) since(before cpuSample) cpuUsage {
	// A backend that ended in between is not counted (postgresCPU).
	var pg time.Duration
	for pid, t := range s.postgres {
		pg += t - before.postgres[pid]
	}
	return cpuUsage{Wall: s.at.Sub(before.at), Server: s.server - before.server, Postgres: pg,
		Self: s.self - before.self, Busy: s.busy - before.busy, Steal: s.steal - before.steal}
}

// Cores turns CPU time into average cores in use over the interval.
func (u cpuUsage) Cores(d time.Duration) float64 {
	if u.Wall <= 0 {
		return 0
	}
	return d.Seconds() / u.Wall.Seconds()
}

// PerRequest is CPU time per request, in microseconds.
func PerRequest(d time.Duration, requests int64) float64 {
	if requests == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(requests)
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU returns a process's user and system time from /proc/PID/stat,
// or 0 when it cannot be read.
func processCPU(pid string) time.Duration {
	st, ok := readStat(pid)
	if !ok {
		return 0
	}
	return st.cpu
}

// clientBackend matches the process title of a PostgreSQL backend serving
// a client: "postgres: 15/main: USER DATABASE 127.0.0.1(40112) idle".
var clientBackend = regexp.MustCompile(`\(\d+\)|\[local\]`)

// postgresCPU returns the CPU time of the PostgreSQL backends serving
// database, by PID: the processes whose title names it. The server's
// shared processes (WAL writer, checkpointer) and ended backends (whose
// time the postmaster reaps) are left out: on a server shared with other
// people's tests they are mostly other work, and a run's own connections
// stay open throughout (chorus's pool and pgbench keep theirs), so what is
// counted is the backends' work per statement, the same for chorus and
// pgbench.
func postgresCPU(database string) map[string]time.Duration {
	out := map[string]time.Duration{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		st, ok := readStat(e.Name())
		if !ok || st.comm != "postgres" {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		title := strings.Fields(strings.ReplaceAll(string(b), "\x00", " "))
		if slices.Contains(title, database) && clientBackend.MatchString(strings.Join(title, " ")) {
			out[e.Name()] = st.cpu
		}
	}
	return out
}

// procStat is what /proc/PID/stat says about CPU time.
type procStat struct {
	comm, ppid string
	// cpu is the process's own user and system time; reaped is that of
	// its ended children.
	cpu, reaped time.Duration
}

func readStat(pid string) (procStat, bool) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return procStat{}, false
	}
	// "pid (comm) state ppid …": comm may hold spaces, so split after the
	// last parenthesis. Fields 14–17 are utime, stime, cutime, cstime.
	s := string(b)
	open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || closing < open {
		return procStat{}, false
	}
	fields := strings.Fields(s[closing+1:])
	if len(fields) < 15 {
		return procStat{}, false
	}
	var ticks [4]int64
	for i := range ticks {
		v, err := strconv.ParseInt(fields[11+i], 10, 64)
		if err != nil {
			return procStat{}, false
		}
		ticks[i] = v
	}
	return procStat{comm: s[open+1 : closing], ppid: fields[1],
		cpu: time.Duration(ticks[0]+ticks[1]) * clockTick, reaped: time.Duration(ticks[2]+ticks[3]) * clockTick}, true
}

// machineCPU reads the machine's busy and stolen time from /proc/stat.
func machineCPU() (busy, steal time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0
	}
	tick := func(i int) time.Duration {
		v, _ := strconv.ParseInt(fields[i], 10, 64)
		return time.Duration(v) * clockTick
	}
	// user nice system idle iowait irq softirq steal
	return tick(1) + tick(2) + tick(3) + tick(6) + tick(7), tick(8)
}

// Other is the machine's busy time that none of the measured processes
// account for: other people's work on a shared machine, plus the kernel's
// share of networking.
func (u cpuUsage) Other() time.Duration {
	return max(u.Busy-u.Server-u.Postgres-u.Self, 0)
}

// quietBelow is the busy share, in cores, under which the machine counts as
// quiet enough to start a run.
const quietBelow = 0.3

// waitQuiet waits, up to limit, until the machine has been nearly idle for
// a second, and reports how busy it was when it gave up or went ahead.
func waitQuiet(ctx context.Context, limit time.Duration, out io.Writer) {
	deadline := time.Now().Add(limit)
	for announced := false; ; announced = true {
		before := cpuMeter{}.sample()
		if !sleep(ctx, time.Second) {
			return
		}
		u := cpuMeter{}.sample().since(before)
		busy := u.Cores(u.Busy)
		switch {
		case busy < quietBelow:
			if announced {
				fmt.Fprintf(out, "machine quiet (%.2f cores busy); going on\n", busy)
			}
			return
		case time.Now().After(deadline):
			fmt.Fprintf(out, "machine still busy (%.2f cores) after waiting %s; going on, expect noise\n", busy, limit)
			return
		case !announced:
			fmt.Fprintf(out, "machine busy (%.2f cores in use by other work); waiting up to %s for it to quiet down …\n", busy, limit)
		}
		sleep(ctx, 4*time.Second)
	}
}

// backendTracker samples a database's backends while something runs, so
// that backends which end with it (pgbench's) still count, up to their
// last sample.
type backendTracker struct {
	database    string
	first, last map[string]time.Duration
	stop, done  chan struct{}
}

// trackBackends samples database's backends every interval until Stop.
func trackBackends(database string, every time.Duration) *backendTracker {
	t := &backendTracker{database: database, first: postgresCPU(database), last: map[string]time.Duration{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			t.sample()
			select {
			case <-t.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return t
}

func (t *backendTracker) sample() {
	for pid, cpu := range postgresCPU(t.database) {
		t.last[pid] = cpu
	}
}

// Stop ends the sampling and returns the backends' CPU time since the
// tracker started.
func (t *backendTracker) Stop() time.Duration {
	close(t.stop)
	<-t.done
	var total time.Duration
	for pid, cpu := range t.last {
		total += cpu - t.first[pid]
	}
	return total
}
