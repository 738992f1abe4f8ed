package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/metrics"
)

// participantPrefixes are the routes participants use (kiosks, live
// votes, the public board, text messages). Their requests are not logged
// at all: even a bare log line would record when someone spoke, finer
// than the day.
var participantPrefixes = []string{"/api/v1/kiosk/", "/api/v1/live/", "/api/v1/public/", "/api/v1/sms/"}

// isParticipantRoute reports whether a request comes from a participant.
func isParticipantRoute(c *gin.Context) bool {
	p := c.Request.URL.Path
	for _, prefix := range participantPrefixes {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// requestLog logs one line per staff or operator request: method, route
// pattern, status and duration. Never the client address, user agent,
// query string or body, and nothing for participants' requests.
// Health probes log at debug level so they do not drown the rest.
func requestLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if isParticipantRoute(c) {
			return
		}
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		level := slog.LevelInfo
		if route == "/healthz" || route == "/readyz" {
			level = slog.LevelDebug
		}
		log.LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.Int("status", c.Writer.Status()),
			slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		)
	}
}

// instrument counts requests and their latency by route pattern (not by raw
// path, which would hold identifiers and codes).
func instrument(m *metrics.Metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.Requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
		m.RequestDuration.WithLabelValues(c.Request.Method, route).Observe(time.Since(start).Seconds())
	}
}

// contentSecurityPolicy allows only Chorus's own scripts: no inline script,
// no eval, no framing. Svelte sets inline style attributes, hence
// 'unsafe-inline' for styles only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; " +
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// logFor returns the logger for a request: for participants' requests,
// one whose records carry no time at all.
func logFor(c *gin.Context, log *slog.Logger) *slog.Logger {
	if isParticipantRoute(c) {
		return slog.New(config.Timeless(log.Handler()))
	}
	return log
}

// dbDeadline gives a request's database calls a deadline (CHORUS_DB_TIMEOUT;
// zero means config.DefaultDBTimeout), so a database that hangs is answered
// with 503 while the client is still listening, instead of holding the
// request for the whole outage. A websocket lives longer than any request:
// its calls carry their own deadlines (internal/live).
func dbDeadline(d time.Duration) gin.HandlerFunc {
	if d <= 0 {
		d = config.DefaultDBTimeout
	}
	return func(c *gin.Context) {
		if c.IsWebsocket() {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// noStore keeps API answers out of every cache: some carry secrets shown
// once (tokens, one-time passwords, enrollment codes).
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// securityHeaders sets the headers every response carries.
func securityHeaders(tls bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), interest-cohort=()")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		c.Next()
	}
}

// limitBody caps every request body at MaxBodyBytes.
func limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
		}
		c.Next()
	}
}

// recovery turns a panic into the uniform 500 body and logs where it
// happened, without the request's content.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, recovered any) {
		logFor(c, log).Error("panic while answering", "route", c.FullPath(), "panic", recovered)
		writeError(c, toAPIError(nil))
	})
}
