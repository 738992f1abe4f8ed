// Package metrics defines Chorus's Prometheus collectors. They live in a
// registry owned by the process, not in package globals, so tests can build
// as many servers as they like.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds every collector Chorus reports at /metrics.
type Metrics struct {
	Registry            *prometheus.Registry
	Requests            *prometheus.CounterVec
	RequestDuration     *prometheus.HistogramVec
	WebsocketsOpen      prometheus.Gauge
	VotesAccepted       prometheus.Counter
	VotesWaiting        prometheus.Gauge
	SubmissionsAccepted prometheus.Counter
}

// New registers the collectors in a fresh registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chorus_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		RequestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "chorus_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		WebsocketsOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "chorus_websocket_connections",
			Help: "Websocket connections open now (live-session participants and screens).",
		}),
		VotesAccepted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chorus_votes_accepted_total",
			Help: "Live-session votes committed and acknowledged.",
		}),
		VotesWaiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "chorus_votes_waiting",
			Help: "Live-session votes received and not yet committed (or refused): the group commit's queue.",
		}),
		SubmissionsAccepted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chorus_submissions_accepted_total",
			Help: "Kiosk submissions committed (replays of the same idempotency key are not counted).",
		}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.Requests, m.RequestDuration, m.WebsocketsOpen, m.VotesAccepted, m.VotesWaiting, m.SubmissionsAccepted,
	)
	return m
}
