package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

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

// server is a running `chorus serve` on a loopback port.
type server struct {
	cmd     *exec.Cmd
	baseURL string
	log     *strings.Builder
	exited  chan error
}

// startServer runs `chorus serve` on databaseURL and waits until it is
// ready. Its environment is this process's, less anything chorus reads.
func startServer(ctx context.Context, bin, databaseURL string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	_ = l.Close()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CHORUS_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	s := &server{baseURL: "http://" + addr, log: &strings.Builder{}, exited: make(chan error, 1)}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = append(env, "DATABASE_URL="+databaseURL, "CHORUS_ADDR="+addr, "CHORUS_BASE_URL="+s.baseURL, "CHORUS_LOG_LEVEL=warn")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start chorus serve: %w", err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil}}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		select {
		case err := <-s.exited:
			return nil, fmt.Errorf("chorus serve exited (%v): %s", err, s.log)
		case <-ctx.Done():
			_ = s.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if resp, err := client.Get(s.baseURL + "/readyz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	_ = s.stop()
	return nil, fmt.Errorf("chorus serve not ready after a minute: %s", s.log)
}

// stop sends SIGTERM and waits, killing the server after 30 s.
func (s *server) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("chorus serve: %w", err)
		}
		return err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return errors.New("chorus serve did not stop within 30s; killed")
	}
}
