package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// builtFrontend stands in for a Vite build: an index and one hashed asset.
var builtFrontend = fstest.MapFS{
	"index.html":             {Data: []byte("<!doctype html><title>Chorus</title><div id=app></div>")},
	"assets/index-abc123.js": {Data: []byte("console.log('chorus')")},
	"manifest.webmanifest":   {Data: []byte("{}")},
}

type testServer struct {
	t       *testing.T
	engine  *gin.Engine
	metrics *metrics.Metrics
	clock   *clock
	store   *store.Store
	db      *database.DB
}

func newTestServer(t *testing.T, db *database.DB, mutate ...func(*Deps)) *testServer {
	t.Helper()
	cfg := &config.Config{BaseURL: "http://chorus.test"}
	clk := newClock()
	d := Deps{Config: cfg, DB: db, Log: testutil.Logger(), Metrics: metrics.New(), Frontend: builtFrontend, Now: clk.Now}
	for _, m := range mutate {
		m(&d)
	}
	engine, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	st.Now = clk.Now
	return &testServer{t: t, engine: engine, metrics: d.Metrics, clock: clk, store: st, db: db}
}

type response struct {
	*httptest.ResponseRecorder
}

func (r response) errorBody(t *testing.T) *Error {
	t.Helper()
	var body struct {
		Error *Error `json:"error"`
	}
	if err := json.Unmarshal(r.Body.Bytes(), &body); err != nil || body.Error == nil {
		t.Fatalf("want the uniform error body, got %d %q (%v)", r.Code, r.Body.String(), err)
	}
	return body.Error
}

// do sends a request; body may be nil, a string (sent as is) or a value
// (sent as JSON).
func (s *testServer) do(method, path string, body any, headers ...string) response {
	s.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	s.engine.ServeHTTP(rec, req)
	return response{rec}
}

func wantStatus(t *testing.T, r response, code int) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("status %d, want %d; body %s", r.Code, code, r.Body.String())
	}
}

func (s *testServer) doWith(method, path string, edit func(*http.Request)) response {
	s.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	edit(req)
	rec := httptest.NewRecorder()
	s.engine.ServeHTTP(rec, req)
	return response{rec}
}
