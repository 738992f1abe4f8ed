// Package server runs Chorus's HTTP server and shuts it down gracefully.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/api"
	"github.com/chorus-hr/chorus/frontend"
	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/deliver"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
)

// Server is a configured Chorus HTTP server.
type Server struct {
	cfg     *config.Config
	log     *slog.Logger
	db      *database.DB
	handler http.Handler
	// drain runs after the listener stops and requests finish: close live
	// websockets with a going-away frame, flush buffered writes.
	drain []func(context.Context) error
	// background jobs run while the server serves and stop before the
	// drain steps: rollups and retention.
	background []func(context.Context)
}

// New wires the API over db.
func New(cfg *config.Config, log *slog.Logger, db *database.DB) (*Server, error) {
	m := metrics.New()
	live, err := api.NewLive(context.Background(), db, log, m)
	if err != nil {
		return nil, err
	}
	outage := &database.Outage{Log: log, Ping: db.Ping}
	deps := api.Deps{Config: cfg, DB: db, Log: log, Metrics: m, Frontend: frontend.Dist(), Live: live, Outage: outage}
	stop := []func(context.Context) error{live.Shutdown, func(context.Context) error { outage.Stop(); return nil }}
	if db.Dialect == database.Postgres {
		// Kiosk authentications are kept between requests, forgotten at
		// any change any process commits (store.KioskCache).
		kc, err := store.NewKioskCache(context.Background(), db.Source, db.SQL(), log)
		if err != nil {
			return nil, errors.Join(err, live.Shutdown(context.Background()))
		}
		deps.KioskCache = kc
		stop = append(stop, func(context.Context) error { return kc.Close() })
	}
	fail := func(err error) (*Server, error) {
		for _, f := range stop {
			err = errors.Join(err, f(context.Background()))
		}
		return nil, err
	}
	// Text messages: idle conversations end (and are kept) by the sweeper.
	deps.SMS = api.NewSMS(deps)
	handler, err := api.New(deps)
	if err != nil {
		return fail(err)
	}
	// On shutdown, after requests drain: commit and acknowledge queued
	// votes, close websockets with a going-away frame, stop listening.
	reporter := report.New(db)
	jobs := func(ctx context.Context) { reporter.RunJobs(ctx, reportJobsInterval, log) }
	// The delivery worker routes alerts, makes digests and sends the
	// outbox; what it has not sent at shutdown stays in the outbox.
	worker, err := newWorker(cfg, log, db)
	if err != nil {
		return fail(err)
	}
	return &Server{cfg: cfg, log: log, db: db, handler: handler, drain: stop,
		background: []func(context.Context){jobs, worker.Run, deps.SMS.RunSweeper}}, nil
}

// newWorker builds the delivery worker; without CHORUS_SMTP_URL e-mail
// waits in the outbox.
func newWorker(cfg *config.Config, log *slog.Logger, db *database.DB) (*deliver.Worker, error) {
	var mailer deliver.Mailer
	if cfg.SMTPURL != "" {
		m, err := deliver.NewSMTP(cfg.SMTPURL, cfg.SMTPFrom)
		if err != nil {
			return nil, err
		}
		mailer = m
	}
	return deliver.NewWorker(store.New(db), cfg.BaseURL, mailer, log.With("component", "deliver")), nil
}

// Handler returns the HTTP handler, for tests that drive it directly.
func (s *Server) Handler() http.Handler { return s.handler }

// Timeouts that bound what one slow or hostile client can hold.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	// reportJobsInterval is how often settled days are rolled up and old
	// submissions retired.
	reportJobsInterval = 10 * time.Minute
	idleTimeout        = 120 * time.Second
)

// Serve answers on ln until ctx is cancelled, then stops accepting, lets
// in-flight requests finish within the shutdown timeout, runs the drain
// steps and returns nil. It does not close the database.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		// net/http's own messages name the client's address (TLS handshake
		// errors, for one); Chorus never logs client addresses.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	if s.cfg.TLS() {
		cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("load TLS certificate: %w", err)
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		ln = tls.NewListener(ln, srv.TLSConfig)
	}

	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	var jobs sync.WaitGroup
	for _, job := range s.background {
		jobs.Go(func() { job(jobsCtx) })
	}
	defer func() { stopJobs(); jobs.Wait() }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String(), "tls", s.cfg.TLS(), "database", string(s.db.Dialect))

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	stopJobs()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		errs = append(errs, fmt.Errorf("drain requests: %w", err))
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, err)
	}
	for _, step := range s.drain {
		if err := step(shutdownCtx); err != nil {
			errs = append(errs, err)
		}
	}
	s.log.Info("stopped")
	return errors.Join(errs...)
}

// ListenAndServe listens on the configured address and serves until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}
