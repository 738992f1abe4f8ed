// Command live is a load generator for Chorus live sessions (docs/live-protocol.md).
//
// It builds ./cmd/chorus, starts `chorus serve` on a fresh PostgreSQL
// database (or a temp SQLite file), seeds an organization, a site and an
// API token, opens a `pick` round, connects N participant websockets and
// sends votes open-loop at R votes/s. It reports ack latency and
// tally-delivery latency (HDR histograms, measured from each vote's
// scheduled send time) and server RSS per idle connection.
//
// Run from the repository root:
//
//	go run ./bench/live -db postgres -n 5000 -rate 1000 -duration 60s
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorilla/websocket"
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
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		os.Exit(1)
	}
}

func raiseNofile() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err == nil {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	return l.Cur
}

func run(o options) error {
	ctx := context.Background()
	nofile := raiseNofile()
	fmt.Printf("RLIMIT_NOFILE=%d GOMAXPROCS=%d\n", nofile, runtime.GOMAXPROCS(0))
	dir, err := os.MkdirTemp("", "chorus-live-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.chorus
	if bin == "" {
		bin = filepath.Join(dir, "chorus")
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/chorus")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/chorus: %v\n%s", err, out)
		}
	}

	var dbURL string
	switch o.db {
	case "postgres":
		name := fmt.Sprintf("chorus_live_bench_%d", time.Now().UnixNano())
		if out, err := exec.Command("psql", o.pgAdmin, "-c", fmt.Sprintf("CREATE DATABASE %q", name)).CombinedOutput(); err != nil {
			return fmt.Errorf("create database: %v\n%s", err, out)
		}
		defer func() {
			out, err := exec.Command("psql", o.pgAdmin, "-c", fmt.Sprintf("DROP DATABASE IF EXISTS %q WITH (FORCE)", name)).CombinedOutput()
			if err != nil {
				fmt.Fprintf(os.Stderr, "drop database %s: %v\n%s", name, err, out)
			}
		}()
		u := strings.Replace(o.pgAdmin, "/postgres?", "/"+name+"?", 1)
		if u == o.pgAdmin {
			return fmt.Errorf("-pg must end in /postgres?…")
		}
		dbURL = u
	case "sqlite":
		dbURL = filepath.Join(dir, "live.db")
	default:
		return fmt.Errorf("-db: postgres or sqlite")
	}

	admin := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, append([]string{"admin"}, args...)...)
		cmd.Env = chorusEnv(dbURL, "CHORUS_ADMIN_PASSWORD=benchmark-password")
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("chorus admin %s: %v\n%s%s", strings.Join(args, " "), err, so.String(), se.String())
		}
		lines := strings.Split(strings.TrimSpace(so.String()), "\n")
		return strings.TrimSpace(lines[len(lines)-1]), nil
	}
	if _, err := admin("bootstrap", "--org", "B", "--email", "a@b.org"); err != nil {
		return err
	}
	if _, err := admin("site", "add", "--org", "B", "--name", "S", "--kind", "fixed", "--setting", "urban", "--tz", "America/New_York"); err != nil {
		return err
	}
	token, err := admin("token", "--email", "a@b.org")
	if err != nil {
		return err
	}

	// Start the server as a child: it inherits the raised RLIMIT_NOFILE.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	base := "http://" + addr
	logPath := filepath.Join(dir, "serve.log")
	logFile, _ := os.Create(logPath)
	srv := exec.Command(bin, "serve")
	srv.Env = chorusEnv(dbURL, "CHORUS_ADDR="+addr, "CHORUS_BASE_URL="+base)
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = srv.Wait(); close(exited) }()
	defer func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = srv.Process.Kill()
			<-exited
		}
		b, _ := os.ReadFile(logPath)
		if len(b) > 0 {
			if len(b) > 3000 {
				b = b[len(b)-3000:]
			}
			fmt.Printf("--- server log tail ---\n%s\n", b)
		}
	}()
	pid := srv.Process.Pid
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := hc.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server not ready")
		}
		time.Sleep(50 * time.Millisecond)
	}

	api := func(method, path string, body any, out any) error {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		if out != nil {
			return json.Unmarshal(b, out)
		}
		return nil
	}
	var sitesRaw json.RawMessage
	if err := api("GET", "/api/v1/sites", nil, &sitesRaw); err != nil {
		return err
	}
	siteID := findID(sitesRaw)
	if siteID == "" {
		return fmt.Errorf("no site id in %s", sitesRaw)
	}
	var sess struct{ ID, Code string }
	if err := api("POST", "/api/v1/sessions", map[string]any{"site_id": siteID, "title": "bench", "language": "en"}, &sess); err != nil {
		return err
	}
	optionsList := []string{"Tue", "Wed", "Thu", "Fri"}
	var round struct{ ID string }
	if err := api("POST", "/api/v1/sessions/"+sess.ID+"/rounds", map[string]any{"kind": "pick", "prompt": "When?", "options": optionsList}, &round); err != nil {
		return err
	}
	if err := api("POST", "/api/v1/rounds/"+round.ID+"/open", nil, nil); err != nil {
		return err
	}
	fmt.Printf("server pid %d at %s; session %s code %s round %s\n", pid, base, sess.ID, sess.Code, round.ID)

	time.Sleep(time.Second)
	rssBefore := rssKiB(pid)

	// Connect with a ramp.
	g := &gen{n: o.n, clients: make([]*client, o.n)}
	total := int(o.rate * o.duration.Seconds())
	g.sched = make([]int64, total)
	g.ackAt = make([]int64, total)
	g.ackSeq = make([]int64, total)
	g.errCodes = map[string]int{}
	dialer := &websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second, Proxy: nil}
	wsURL := "ws://" + addr + "/api/v1/live/" + sess.Code + "/ws"
	hdr := http.Header{"Origin": {base}}
	connStart := time.Now()
	var dialErrs atomic.Int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	interval := time.Duration(float64(time.Second) / o.ramp)
	var welcomed sync.WaitGroup
	for i := 0; i < o.n; i++ {
		if d := time.Until(connStart.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		sem <- struct{}{}
		wg.Add(1)
		welcomed.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			var c *websocket.Conn
			var err error
			for attempt := 0; attempt < 3; attempt++ {
				c, _, err = dialer.Dial(wsURL, hdr)
				if err == nil {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			if err != nil {
				dialErrs.Add(1)
				if dialErrs.Load() <= 3 {
					fmt.Fprintln(os.Stderr, "dial:", err)
				}
				welcomed.Done()
				return
			}
			cl := &client{conn: c, welcome: make(chan struct{})}
			g.clients[i] = cl
			go g.read(cl)
			select {
			case <-cl.welcome:
			case <-time.After(30 * time.Second):
				fmt.Fprintln(os.Stderr, "no welcome within 30s")
			}
			welcomed.Done()
		}(i)
	}
	wg.Wait()
	welcomed.Wait()
	connDur := time.Since(connStart)
	connected := 0
	for _, c := range g.clients {
		if c != nil {
			connected++
		}
	}
	fmt.Printf("connected %d/%d in %s (dial errors %d)\n", connected, o.n, connDur.Round(time.Millisecond), dialErrs.Load())
	time.Sleep(o.settle)
	rssAfter := rssKiB(pid)
	perConn := float64(rssAfter-rssBefore) / float64(max(connected, 1))
	fmt.Printf("server RSS before %d KiB, after %d KiB idle with %d connections: %.1f KiB per connection\n", rssBefore, rssAfter, connected, perConn)

	// Only clients that are up send votes.
	var live []int
	for i, c := range g.clients {
		if c != nil {
			live = append(live, i)
		}
	}
	if len(live) == 0 {
		return fmt.Errorf("no connections")
	}
	cpu0 := procCPU(pid)
	ckpt0 := checkpoints(o.pgAdmin)
	self0 := procCPU(os.Getpid())
	busy0 := machineBusy()
	wall0 := time.Now()
	rng := rand.New(rand.NewSource(1))
	choices := make([]uint8, total)
	for k := range choices {
		choices[k] = uint8(rng.Intn(len(optionsList)))
	}
	roundID := round.ID
	t0 := time.Now().Add(100 * time.Millisecond)
	g.t0 = t0
	var sent atomic.Int64
	var sendErrs atomic.Int64
	var lateMax time.Duration
	for k := 0; k < total; {
		now := time.Now()
		due := int(float64(now.Sub(t0)) / float64(time.Second) * o.rate)
		if due >= total {
			due = total - 1
		}
		for ; k <= due; k++ {
			at := t0.Add(time.Duration(float64(k) / o.rate * float64(time.Second)))
			if late := now.Sub(at); late > lateMax {
				lateMax = late
			}
			g.sched[k] = at.UnixNano()
			cl := g.clients[live[k%len(live)]]
			msg := fmt.Sprintf(`{"type":"vote","vote_id":"%s","round_id":"%s","choice":"%s"}`, voteID(k), roundID, optionsList[choices[k]])
			go func() {
				cl.wmu.Lock()
				_ = cl.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
				err := cl.conn.WriteMessage(websocket.TextMessage, []byte(msg))
				cl.wmu.Unlock()
				if err != nil {
					sendErrs.Add(1)
				} else {
					sent.Add(1)
				}
			}()
		}
		if k < total {
			next := t0.Add(time.Duration(float64(k) / o.rate * float64(time.Second)))
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
		}
	}
	loadEnd := time.Now()
	time.Sleep(o.drain)
	cpu1 := procCPU(pid)
	ckpt1 := checkpoints(o.pgAdmin)
	self1 := procCPU(os.Getpid())
	busy1 := machineBusy()
	wall := time.Since(wall0)
	rssLoad := rssKiB(pid)

	// Ack statistics, overall and per second of the schedule (worst ack).
	ackH := hdrhistogram.New(1, 120_000_000, 3)
	secs := int(o.duration.Seconds()) + 1
	worstBySec := make([]float64, secs)
	acked, unacked := 0, 0
	var lastAck int64
	for k := 0; k < total; k++ {
		a := atomic.LoadInt64(&g.ackAt[k])
		if a == 0 {
			unacked++
			continue
		}
		acked++
		if a > lastAck {
			lastAck = a
		}
		_ = ackH.RecordValue(max((a-g.sched[k])/1000, 1))
		if sec := int(float64(g.sched[k]-t0.UnixNano()) / 1e9); sec >= 0 && sec < secs {
			worstBySec[sec] = max(worstBySec[sec], float64(a-g.sched[k])/1e6)
		}
	}
	g.mu.Lock()
	errCodes := fmt.Sprint(g.errCodes)
	errTotal := 0
	for _, v := range g.errCodes {
		errTotal += v
	}
	g.mu.Unlock()

	// Tally delivery: for sampled acked votes, the latest over every client
	// still connected of the first time it held a tally with seq >= the
	// ack's seq, minus the vote's scheduled send time.
	var alive []*client
	dropped := 0
	for _, c := range g.clients {
		if c == nil {
			continue
		}
		if c.closed.Load() {
			dropped++
			continue
		}
		alive = append(alive, c)
	}
	snap := make([][]seqAt, len(alive))
	for i, c := range alive {
		c.mu.Lock()
		snap[i] = append([]seqAt(nil), c.seqs...)
		c.mu.Unlock()
	}
	tallyH := hdrhistogram.New(1, 120_000_000, 3)
	// Decomposition of tally delivery for the same sampled votes:
	// firstH: ack -> first client holding seq >= ackSeq (coalescing wait);
	// spreadH: first client -> last client (fan-out spread).
	firstH := hdrhistogram.New(1, 120_000_000, 3)
	spreadH := hdrhistogram.New(1, 120_000_000, 3)
	sampled, undelivered := 0, 0
	for k := 0; k < total; k += max(o.sample, 1) {
		if g.ackAt[k] == 0 {
			continue
		}
		sampled++
		want := g.ackSeq[k]
		var worst int64
		best := int64(1<<63 - 1)
		miss := false
		for _, s := range snap {
			j := sort.Search(len(s), func(j int) bool { return s[j].seq >= want })
			if j == len(s) {
				miss = true
				break
			}
			if s[j].t > worst {
				worst = s[j].t
			}
			if s[j].t < best {
				best = s[j].t
			}
		}
		if miss {
			undelivered++
			continue
		}
		_ = tallyH.RecordValue(max((worst-g.sched[k])/1000, 1))
		_ = firstH.RecordValue(max((best-g.ackAt[k])/1000, 1))
		_ = spreadH.RecordValue(max((worst-best)/1000, 1))
	}
	var tallies int64
	for _, c := range g.clients {
		if c != nil {
			tallies += c.tallies.Load()
		}
	}

	ms := func(us int64) float64 { return float64(us) / 1000 }
	res := map[string]any{
		"db": o.db, "participants": o.n, "connected": connected, "dial_errors": dialErrs.Load(),
		"connect_seconds": connDur.Seconds(), "rate": o.rate, "duration_s": o.duration.Seconds(),
		"votes_scheduled": total, "votes_sent": sent.Load(), "send_errors": sendErrs.Load(),
		"votes_acked": acked, "votes_unacked": unacked, "error_messages": errTotal, "error_codes": errCodes,
		"ack_p50_ms": ms(ackH.ValueAtQuantile(50)), "ack_p90_ms": ms(ackH.ValueAtQuantile(90)), "ack_p99_ms": ms(ackH.ValueAtQuantile(99)),
		"ack_p999_ms": ms(ackH.ValueAtQuantile(99.9)), "ack_max_ms": ms(ackH.Max()),
		"tally_sampled": sampled, "tally_undelivered": undelivered,
		"tally_p50_ms": ms(tallyH.ValueAtQuantile(50)), "tally_p99_ms": ms(tallyH.ValueAtQuantile(99)), "tally_max_ms": ms(tallyH.Max()),
		"tally_ack_to_first_p50_ms": ms(firstH.ValueAtQuantile(50)), "tally_ack_to_first_p99_ms": ms(firstH.ValueAtQuantile(99)),
		"tally_fanout_spread_p50_ms": ms(spreadH.ValueAtQuantile(50)), "tally_fanout_spread_p99_ms": ms(spreadH.ValueAtQuantile(99)),
		"tallies_received": tallies, "clients_dropped_during_run": dropped,
		"scheduler_late_max_ms":     float64(lateMax) / 1e6,
		"ack_worst_ms_by_second":    roundAll(worstBySec),
		"pg_checkpoints_during_run": ckpt1 - ckpt0,
		"load_seconds":              loadEnd.Sub(t0).Seconds(),
		"rss_before_kib":            rssBefore, "rss_idle_kib": rssAfter, "rss_after_load_kib": rssLoad, "kib_per_idle_conn": perConn,
		"server_cpu_cores": (cpu1 - cpu0).Seconds() / wall.Seconds(), "loadgen_cpu_cores": (self1 - self0).Seconds() / wall.Seconds(),
		"machine_busy_cores": (busy1 - busy0).Seconds() / wall.Seconds(),
		"other_cpu_cores":    ((busy1 - busy0) - (cpu1 - cpu0) - (self1 - self0)).Seconds() / wall.Seconds(),
	}
	if lastAck > 0 {
		res["ack_throughput_per_s"] = float64(acked) / (time.Unix(0, lastAck).Sub(t0).Seconds())
	}
	keys := make([]string, 0, len(res))
	for k := range res {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println("=== result ===")
	for _, k := range keys {
		fmt.Printf("%-28s %v\n", k, res[k])
	}
	if o.jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		_ = os.WriteFile(o.jsonOut, b, 0o644)
	}
	for _, c := range g.clients {
		if c != nil {
			c.conn.Close()
		}
	}
	return nil
}

type seqAt struct{ seq, t int64 }

type client struct {
	conn    *websocket.Conn
	wmu     sync.Mutex
	mu      sync.Mutex
	seqs    []seqAt
	welcome chan struct{}
	closed  atomic.Bool
	tallies atomic.Int64
}

type gen struct {
	n        int
	clients  []*client
	t0       time.Time
	sched    []int64
	ackAt    []int64
	ackSeq   []int64
	mu       sync.Mutex
	errCodes map[string]int
}

type inMsg struct {
	Type   string `json:"type"`
	Seq    int64  `json:"seq"`
	VoteID string `json:"vote_id"`
	Code   string `json:"code"`
}

func (g *gen) read(c *client) {
	first := true
	for {
		_, data, err := c.conn.ReadMessage()
		now := time.Now().UnixNano()
		if err != nil {
			c.closed.Store(true)
			if first {
				close(c.welcome)
			}
			return
		}
		var m inMsg
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		switch m.Type {
		case "welcome":
			if first {
				first = false
				close(c.welcome)
			}
		case "tally":
			c.tallies.Add(1)
			c.mu.Lock()
			if n := len(c.seqs); n == 0 || m.Seq > c.seqs[n-1].seq {
				c.seqs = append(c.seqs, seqAt{m.Seq, now})
			}
			c.mu.Unlock()
		case "ack":
			if k, ok := voteIndex(m.VoteID); ok && k < len(g.ackAt) {
				if atomic.CompareAndSwapInt64(&g.ackAt[k], 0, now) {
					g.ackSeq[k] = m.Seq
				}
			}
		case "error":
			g.mu.Lock()
			g.errCodes[m.Code]++
			g.mu.Unlock()
		}
	}
}

func voteID(k int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012x", k) }

func voteIndex(s string) (int, bool) {
	if len(s) != 36 {
		return 0, false
	}
	v, err := strconv.ParseInt(s[24:], 16, 64)
	return int(v), err == nil
}

func findID(raw json.RawMessage) string {
	var list []map[string]any
	if json.Unmarshal(raw, &list) != nil {
		var wrap map[string]json.RawMessage
		if json.Unmarshal(raw, &wrap) != nil {
			return ""
		}
		for _, v := range wrap {
			if json.Unmarshal(v, &list) == nil && len(list) > 0 {
				break
			}
		}
	}
	for _, s := range list {
		if id, ok := s["id"].(string); ok {
			return id
		}
	}
	return ""
}

func chorusEnv(databaseURL string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CHORUS_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	return append(append(env, "DATABASE_URL="+databaseURL, "CHORUS_LOG_LEVEL=warn"), extra...)
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
