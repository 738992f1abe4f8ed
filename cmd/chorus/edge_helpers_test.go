package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
)

// startEdge runs `chorus edge serve` on an enrolled edge database, syncing
// every 200 ms and backing off to at most a second.
func startEdge(t *testing.T, bin, dbPath string) serveProc {
	t.Helper()
	return startProc(t, bin, dbPath, []string{"edge", "serve", "--sync-every", "200ms", "--max-backoff", "1s"})
}

// call sends a JSON request with a bearer token and decodes the answer
// into out; it returns the status.
func call(t *testing.T, base, token, method, path string, body, out any, headers ...string) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	if resp.StatusCode >= 300 && out != nil {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode
}

// mustCall is call that fails the test on any status but 2xx.
func mustCall(t *testing.T, base, token, method, path string, body, out any, headers ...string) {
	t.Helper()
	if out == nil {
		out = &json.RawMessage{}
	}
	call(t, base, token, method, path, body, out, headers...)
}

// answerLoser relays HTTP to upstream and, while lose is set, lets batches
// reach upstream but loses upstream's answer (the connection closes), as a
// link that drops just after the request went through. It keeps the last
// batch it saw, to be replayed by hand.
type answerLoser struct {
	upstream string
	srv      *httptest.Server

	mu        sync.Mutex
	lose      bool
	lastBatch []byte
	lastAuth  string
}

func newAnswerLoser(t *testing.T, upstream string) *answerLoser {
	l := &answerLoser{upstream: upstream}
	l.srv = httptest.NewServer(http.HandlerFunc(l.serve))
	t.Cleanup(l.srv.Close)
	return l
}

func (l *answerLoser) setLose(v bool) {
	l.mu.Lock()
	l.lose = v
	l.mu.Unlock()
}

func (l *answerLoser) last() ([]byte, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastBatch, l.lastAuth
}

func (l *answerLoser) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, l.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	for _, h := range []string{"Authorization", "Content-Type"} {
		req.Header.Set(h, r.Header.Get(h))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	l.mu.Lock()
	lose := l.lose && r.URL.Path == edge.PathBatches
	if r.URL.Path == edge.PathBatches {
		l.lastBatch, l.lastAuth = body, r.Header.Get("Authorization")
	}
	l.mu.Unlock()
	if lose {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
	}
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

// count reads one number from a database.
func count(t *testing.T, db *database.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.WithContext(context.Background()).Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
