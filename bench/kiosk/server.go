package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// buildChorus builds ./cmd/chorus into dir; run from the repository root.
func buildChorus(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "chorus")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/chorus")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/chorus (run from the repository root, or pass -chorus): %w\n%s", err, out)
	}
	return bin, nil
}

// chorusEnv is the environment for a chorus process on databaseURL: this
// process's own, less anything chorus reads, plus extra.
func chorusEnv(databaseURL string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CHORUS_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	return append(append(env, "DATABASE_URL="+databaseURL, "CHORUS_LOG_LEVEL=warn"), extra...)
}

// chorusAdmin runs `chorus admin …` and returns the last line it printed,
// which is what it created.
func chorusAdmin(ctx context.Context, bin, databaseURL string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, append([]string{"admin"}, args...)...)
	cmd.Env = chorusEnv(databaseURL, "CHORUS_ADMIN_PASSWORD=bench-password-not-used")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("chorus admin %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// server is a running `chorus serve`.
type server struct {
	cmd     *exec.Cmd
	baseURL string
	logPath string
	exited  chan error
}

// startServer runs `chorus serve` on databaseURL on a free loopback port,
// trusting X-Forwarded-For from 127.0.0.1, and waits until it is ready.
func startServer(ctx context.Context, bin, databaseURL, logPath string) (*server, error) {
	addr, err := freeAddress()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	base := "http://" + addr
	cmd := exec.Command(bin, "serve")
	cmd.Env = chorusEnv(databaseURL, "CHORUS_ADDR="+addr, "CHORUS_BASE_URL="+base,
		"CHORUS_TRUSTED_PROXIES=127.0.0.1", "CHORUS_LOG_FORMAT=text")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("start chorus serve: %w", err)
	}
	s := &server{cmd: cmd, baseURL: base, logPath: logPath, exited: make(chan error, 1)}
	go func() {
		s.exited <- cmd.Wait()
		_ = logFile.Close()
	}()
	if err := s.waitReady(ctx, time.Minute); err != nil {
		_ = s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil}}
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			s.exited <- err
			return fmt.Errorf("chorus serve exited before it was ready (%v); log:\n%s", err, s.logTail())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := client.Get(s.baseURL + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("chorus serve not ready after %s; log:\n%s", limit, s.logTail())
}

// stop sends SIGTERM, waits for the drain, and kills the server if it
// takes longer than its own shutdown timeout should allow.
func (s *server) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("chorus serve: %w; log:\n%s", err, s.logTail())
		}
		return err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return errors.New("chorus serve did not stop within 30s after SIGTERM; killed")
	}
}

func (s *server) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// freeAddress finds a loopback port that is free right now.
func freeAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
