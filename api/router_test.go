package api

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

func TestHealth(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		wantStatus(t, s.do("GET", "/healthz", nil), http.StatusOK)
		r := s.do("GET", "/readyz", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"database":"ok"`) {
			t.Errorf("readyz body %s", r.Body.String())
		}
	})
}

func TestReadyzFailsWhenDatabaseIsClosed(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		r := s.do("GET", "/readyz", nil)
		wantStatus(t, r, http.StatusServiceUnavailable)
		if e := r.errorBody(t); e.Code != CodeUnavailable || e.Fields["database"] != "unreachable" {
			t.Errorf("error %+v", e)
		}
	})
}

func TestUnknownAPIPathIsJSON404(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	r := s.do("GET", "/api/v1/nothing-here", nil)
	wantStatus(t, r, http.StatusNotFound)
	if e := r.errorBody(t); e.Code != CodeNotFound {
		t.Errorf("code %q", e.Code)
	}
	r = s.do("POST", "/healthz", nil)
	wantStatus(t, r, http.StatusMethodNotAllowed)
	r.errorBody(t)
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	for _, path := range []string{"/", "/healthz", "/api/v1/missing", "/assets/index-abc123.js"} {
		h := s.do("GET", path, nil).Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", path, h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS without TLS", path)
		}
	}
}

func TestSPA(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	r := s.do("GET", "/assets/index-abc123.js", nil)
	wantStatus(t, r, http.StatusOK)
	if cc := r.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("hashed asset Cache-Control %q", cc)
	}
	for _, path := range []string{"/", "/kiosk", "/staff/moderation", "/index.html"} {
		r := s.do("GET", path, nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `<div id=app>`) || r.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: want index.html revalidated, got %q %q", path, r.Header().Get("Cache-Control"), r.Body.String())
		}
	}
	wantStatus(t, s.do("GET", "/assets/missing-123.js", nil), http.StatusNotFound)
	r = s.do("GET", "/manifest.webmanifest", nil)
	if r.Code != http.StatusOK || r.Header().Get("Cache-Control") != "no-cache" || r.Header().Get("Content-Type") != "application/manifest+json" {
		t.Errorf("manifest: %d %q %q", r.Code, r.Header().Get("Cache-Control"), r.Header().Get("Content-Type"))
	}
}

func TestFrontendNotBuilt(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite), func(d *Deps) { d.Frontend = fstest.MapFS{".gitkeep": {}} })
	r := s.do("GET", "/kiosk", nil)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Body.String(), "frontend not built: run <code>make build</code>") {
		t.Errorf("body %q", r.Body.String())
	}
}

func TestMetrics(t *testing.T) {
	s := newTestServer(t, testutil.NewDB(t, database.SQLite))
	s.do("GET", "/healthz", nil)
	s.metrics.SubmissionsAccepted.Inc()

	// httptest requests come from 192.0.2.1, which is not loopback.
	wantStatus(t, s.do("GET", "/metrics", nil), http.StatusForbidden)

	local := s.doFrom("127.0.0.1:4000", "GET", "/metrics")
	wantStatus(t, local, http.StatusOK)
	body := local.Body.String()
	for _, want := range []string{
		`chorus_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
		`chorus_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
		"chorus_websocket_connections 0",
		"chorus_votes_accepted_total 0",
		"chorus_submissions_accepted_total 1",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	s = newTestServer(t, testutil.NewDB(t, database.SQLite), func(d *Deps) { d.Config.MetricsToken = "s3cret-metrics" })
	wantStatus(t, s.do("GET", "/metrics", nil, "Authorization", "Bearer wrong"), http.StatusForbidden)
	wantStatus(t, s.do("GET", "/metrics", nil, "Authorization", "Bearer s3cret-metrics"), http.StatusOK)
}

func (s *testServer) doFrom(remote, method, path string) response {
	s.t.Helper()
	return s.doWith(method, path, func(r *http.Request) { r.RemoteAddr = remote })
}
