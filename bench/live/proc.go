package main

import (
	"fmt"
	"os"
	"os/exec"
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

// cpuMeter reads the CPU of some processes and of the whole machine.
type cpuMeter struct {
	pids             []int
	servers, self, m time.Duration
	wall             time.Time
}

func startCPU(pids []int) cpuMeter {
	c := cpuMeter{pids: pids, self: procCPU(os.Getpid()), m: machineBusy(), wall: time.Now()}
	for _, p := range pids {
		c.servers += procCPU(p)
	}
	return c
}

// cores is the cores used since start: servers, this load generator, and
// everything else on the machine (PostgreSQL among it).
func (c cpuMeter) cores() (servers, self, other float64) {
	wall := time.Since(c.wall).Seconds()
	var srv time.Duration
	for _, p := range c.pids {
		srv += procCPU(p)
	}
	srvD, selfD := srv-c.servers, procCPU(os.Getpid())-c.self
	otherD := machineBusy() - c.m - srvD - selfD
	return srvD.Seconds() / wall, selfD.Seconds() / wall, otherD.Seconds() / wall
}
