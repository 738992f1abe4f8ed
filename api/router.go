// Package api is Chorus's HTTP transport: Gin handlers, one file per
// resource, wired together in this file and nowhere else.
package api

import (
	"crypto/subtle"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/sms"
	"github.com/chorus-hr/chorus/internal/store"
)

// Deps is everything the handlers need.
type Deps struct {
	Config   *config.Config
	DB       *database.DB
	Log      *slog.Logger
	Metrics  *metrics.Metrics
	Frontend fs.FS
	// Now is the clock for sessions and limits; nil means the real one.
	Now func() time.Time
	// Live is the live-session service; nil starts an in-memory one that
	// nothing shuts down (for tests of other routes).
	Live *Live
	// Outage logs database outages once each; nil makes one.
	Outage *database.Outage
	// SMS is the text-message service (NewSMS); nil builds one whose
	// sweeper nothing runs. SMSProvider, when set, is its provider.
	SMS         *SMSAPI
	SMSProvider sms.Provider
	// KioskCache, when set, keeps kiosk authentications between requests
	// (PostgreSQL; nil: one query per request).
	KioskCache *store.KioskCache
}

func init() {
	// Gin's debug mode prints every route at start and warns on stdout; the
	// mode is process-wide, so it is set once here.
	gin.SetMode(gin.ReleaseMode)
}

// New builds the HTTP handler with every route.
func New(d Deps) (*gin.Engine, error) {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Trust X-Forwarded-For only from configured proxies; with none, the
	// peer address is the client, so a spoofed header changes nothing.
	if err := r.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("CHORUS_TRUSTED_PROXIES: %w", err)
	}
	if d.Outage == nil {
		d.Outage = &database.Outage{Log: d.Log, Ping: d.DB.Ping}
	}
	r.Use(
		recovery(d.Log),
		securityHeaders(d.Config.TLS() || strings.HasPrefix(d.Config.BaseURL, "https://")),
		instrument(d.Metrics),
		requestLog(d.Log),
		limitBody(),
		errorRenderer(d.Log, d.Outage),
	)

	health := &HealthAPI{DB: d.DB}
	r.GET("/healthz", health.Live)
	r.GET("/readyz", health.Ready)
	r.GET("/metrics", metricsAccess(d.Config.MetricsToken), gin.WrapH(promhttp.HandlerFor(d.Metrics.Registry, promhttp.HandlerOpts{})))

	if err := routeAPI(r, d); err != nil {
		return nil, err
	}

	front := newSPA(d.Frontend)
	r.NoRoute(func(c *gin.Context) {
		if isAPIPath(c.Request.URL.Path) {
			writeError(c, notFound())
			return
		}
		front.serve(c)
	})
	r.NoMethod(func(c *gin.Context) {
		writeError(c, &Error{Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed, Message: "That method is not allowed here."})
	})
	return r, nil
}

func isAPIPath(p string) bool {
	return strings.HasPrefix(p, "/api/") || p == "/api"
}

// metricsAccess guards /metrics: with a token configured it must be
// presented as a bearer token; without one, only loopback peers that did
// not come through a proxy (no forwarding headers) may read. Counters move
// when a participant submits, so their timing is not public.
func metricsAccess(token string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if token != "" {
			got := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1 {
				c.Next()
				return
			}
		} else if host, _, err := net.SplitHostPort(c.Request.RemoteAddr); err == nil && !proxied(c.Request) {
			if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
				c.Next()
				return
			}
		}
		writeError(c, &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: "Metrics need the metrics token (CHORUS_METRICS_TOKEN)."})
	}
}

// proxied reports whether a request passed through a reverse proxy, which
// would make a public client look like a loopback one.
func proxied(r *http.Request) bool {
	for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip", "X-Forwarded-Host"} {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	return false
}
