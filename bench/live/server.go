package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// target is what the load runs against: one or more server processes
// with a room to join and a round to vote in.
type target struct {
	name    string
	pids    []int
	wsURLs  []string // one per process
	origins []string // CHORUS_BASE_URL of each process
	roundID string
	options []string
	// dbURL is the PostgreSQL database the servers use ("" on SQLite or
	// for the baseline).
	dbURL string
	stop  func()
}

// process is a started server child.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	log    string
}

func startProcess(bin string, args, env []string, logPath string) (*process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	p := &process{cmd: cmd, exited: make(chan struct{}), log: logPath}
	go func() { _ = cmd.Wait(); f.Close(); close(p.exited) }()
	return p, nil
}

// stop ends the process with SIGTERM (SIGKILL after 30 s) and prints its
// log's tail.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	b, _ := os.ReadFile(p.log)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	if len(b) > 0 {
		fmt.Printf("--- %s tail ---\n%s\n", filepath.Base(p.log), b)
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

var httpClient = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}

func waitReady(url string, p *process) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		resp, err := httpClient.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-p.exited:
			return fmt.Errorf("server exited; see %s", p.log)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("server not ready at %s", url)
}

// startChorus creates a fresh database (PostgreSQL) or file (SQLite),
// seeds it, starts o.servers `chorus serve` processes on it and opens a
// pick round through the first one's API.
func startChorus(o options, dir, bin string) (*target, error) {
	ctx := context.Background()
	tg := &target{name: "chorus", options: []string{"Tue", "Wed", "Thu", "Fri"}}
	var cleanups []func()
	tg.stop = func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	fail := func(err error) (*target, error) { tg.stop(); return nil, err }

	var dbURL string
	switch o.db {
	case "postgres":
		name := fmt.Sprintf("chorus_live_bench_%d", time.Now().UnixNano())
		if out, err := exec.Command("psql", o.pgAdmin, "-c", fmt.Sprintf("CREATE DATABASE %q", name)).CombinedOutput(); err != nil {
			return fail(fmt.Errorf("create database: %v\n%s", err, out))
		}
		cleanups = append(cleanups, func() {
			out, err := exec.Command("psql", o.pgAdmin, "-c", fmt.Sprintf("DROP DATABASE IF EXISTS %q WITH (FORCE)", name)).CombinedOutput()
			if err != nil {
				fmt.Fprintf(os.Stderr, "drop database %s: %v\n%s", name, err, out)
			}
		})
		dbURL = strings.Replace(o.pgAdmin, "/postgres?", "/"+name+"?", 1)
		if dbURL == o.pgAdmin {
			return fail(fmt.Errorf("-pg must end in /postgres?…"))
		}
		tg.dbURL = dbURL
	case "sqlite":
		if o.servers > 1 {
			return fail(fmt.Errorf("-servers %d needs -db postgres: on SQLite one process serves a database", o.servers))
		}
		dbURL = filepath.Join(dir, "live.db")
	default:
		return fail(fmt.Errorf("-db: postgres or sqlite"))
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
		return fail(err)
	}
	if _, err := admin("site", "add", "--org", "B", "--name", "S", "--kind", "fixed", "--setting", "urban", "--tz", "America/New_York"); err != nil {
		return fail(err)
	}
	token, err := admin("token", "--email", "a@b.org")
	if err != nil {
		return fail(err)
	}

	// Servers are children: they inherit the raised RLIMIT_NOFILE.
	for i := range max(o.servers, 1) {
		addr, err := freeAddr()
		if err != nil {
			return fail(err)
		}
		base := "http://" + addr
		// Every simulated participant comes from this machine's address:
		// the per-address join limit is off, as for any load test.
		p, err := startProcess(bin, []string{"serve"}, chorusEnv(dbURL, "CHORUS_ADDR="+addr, "CHORUS_BASE_URL="+base, "CHORUS_LIVE_JOIN_LIMIT=0"),
			filepath.Join(dir, fmt.Sprintf("serve%d.log", i)))
		if err != nil {
			return fail(err)
		}
		cleanups = append(cleanups, p.stop)
		if err := waitReady(base+"/readyz", p); err != nil {
			return fail(err)
		}
		tg.pids = append(tg.pids, p.cmd.Process.Pid)
		tg.origins = append(tg.origins, base)
	}

	base := tg.origins[0]
	api := func(method, path string, body any, out any) error {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := httpClient.Do(req)
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
		return fail(err)
	}
	siteID := findID(sitesRaw)
	if siteID == "" {
		return fail(fmt.Errorf("no site id in %s", sitesRaw))
	}
	var sess struct{ ID, Code string }
	if err := api("POST", "/api/v1/sessions", map[string]any{"site_id": siteID, "title": "bench", "language": "en"}, &sess); err != nil {
		return fail(err)
	}
	var round struct{ ID string }
	if err := api("POST", "/api/v1/sessions/"+sess.ID+"/rounds", map[string]any{"kind": "pick", "prompt": "When?", "options": tg.options}, &round); err != nil {
		return fail(err)
	}
	if err := api("POST", "/api/v1/rounds/"+round.ID+"/open", nil, nil); err != nil {
		return fail(err)
	}
	tg.roundID = round.ID
	for _, o := range tg.origins {
		tg.wsURLs = append(tg.wsURLs, "ws"+strings.TrimPrefix(o, "http")+"/api/v1/live/"+sess.Code+"/ws")
	}
	fmt.Printf("chorus servers %v at %v; session %s code %s round %s\n", tg.pids, tg.origins, sess.ID, sess.Code, round.ID)
	return tg, nil
}

// startBaseline builds and starts the bare gorilla/websocket broadcast
// server (bench/live/baseline).
func startBaseline(dir string) (*target, error) {
	bin := filepath.Join(dir, "baseline")
	if err := build(bin, "./bench/live/baseline"); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "BASELINE_ADDR="+addr)
	p, err := startProcess(bin, nil, env, filepath.Join(dir, "baseline.log"))
	if err != nil {
		return nil, err
	}
	if err := waitReady("http://"+addr+"/readyz", p); err != nil {
		p.stop()
		return nil, err
	}
	fmt.Printf("baseline server %d at %s\n", p.cmd.Process.Pid, addr)
	return &target{name: "baseline", pids: []int{p.cmd.Process.Pid}, wsURLs: []string{"ws://" + addr + "/ws"},
		origins: []string{"http://" + addr}, roundID: "r", options: []string{"Tue", "Wed", "Thu", "Fri"}, stop: p.stop}, nil
}

func build(out, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
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
