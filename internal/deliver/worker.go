package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Defaults of a Worker.
const (
	// DefaultInterval is how often the worker looks for new alerts and due
	// deliveries: urgent alerts go out within about this long.
	DefaultInterval = time.Second
	// DefaultDigestEvery is how often it checks whether a digest is due.
	DefaultDigestEvery = time.Minute
	// DefaultMaxAttempts is how many times a delivery is tried before it is
	// given up: with the back-off below, over one to two hours.
	DefaultMaxAttempts = 9
	// lease is how long a claimed delivery is left to its sender before
	// another worker may try it; longer than any one send can take.
	lease = 2 * time.Minute
	// batch is how many deliveries or alerts one pass takes at a time.
	batch = 20
	// retryBase and retryCap shape the exponential back-off.
	retryBase = 30 * time.Second
	retryCap  = time.Hour
)

// smtpMissing is what a waiting e-mail says in the log when no SMTP server
// is set up.
const smtpMissing = "e-mail is not set up: set CHORUS_SMTP_URL and CHORUS_SMTP_FROM"

// Worker routes new alerts, makes due digests and sends the outbox. Several
// workers (one per chorus serve process) may share one database.
type Worker struct {
	Router
	// Mailer sends e-mail; nil leaves e-mail deliveries waiting, visibly.
	Mailer Mailer
	Log    *slog.Logger
	// Client sends webhooks; nil uses one with a timeout that follows no
	// redirects.
	Client      *http.Client
	Interval    time.Duration
	DigestEvery time.Duration
	MaxAttempts int
	// Backoff is the wait after the n-th failed attempt; nil is exponential
	// from 30 s, capped at an hour, with jitter.
	Backoff func(attempt int) time.Duration

	lastDigests time.Time
	// waiting is how many e-mails waited for SMTP at the last look; the
	// warning is logged when it changes, not every second.
	waiting int64
}

// NewWorker returns a worker with the defaults.
func NewWorker(st *store.Store, baseURL string, mailer Mailer, log *slog.Logger) *Worker {
	return &Worker{Router: Router{Store: st, BaseURL: baseURL}, Mailer: mailer, Log: log}
}

// Backoff is the default wait after the n-th failed attempt: exponential,
// capped, and spread at random over its upper half so receivers that come
// back are not hit by every retry at once.
func Backoff(attempt int) time.Duration {
	d := retryCap
	if attempt < 20 {
		d = min(retryBase<<max(attempt-1, 0), retryCap)
	}
	return d/2 + rand.N(d/2+1)
}

// Run works until ctx ends. A failed pass is logged and tried again on the
// next tick: the database may be briefly away.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	if w.Mailer == nil {
		w.Log.Warn("e-mail is not set up; e-mail deliveries will wait (set CHORUS_SMTP_URL and CHORUS_SMTP_FROM)")
	}
	// While passes fail (the database is down), wait longer between them,
	// up to a minute, and say so once per failure streak, not every second.
	wait, failures := w.Interval, 0
	for {
		if err := w.Tick(ctx); err != nil && ctx.Err() == nil {
			if failures == 0 {
				w.Log.Error("delivery pass failed; retrying with back-off", "error", err)
			}
			failures++
			wait = min(wait*2, time.Minute)
		} else if failures > 0 {
			w.Log.Info("delivery passes work again", "failed_passes", failures)
			wait, failures = w.Interval, 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (w *Worker) defaults() {
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Interval <= 0 {
		w.Interval = DefaultInterval
	}
	if w.DigestEvery <= 0 {
		w.DigestEvery = DefaultDigestEvery
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = DefaultMaxAttempts
	}
	if w.Backoff == nil {
		w.Backoff = Backoff
	}
	if w.Client == nil {
		w.Client = newWebhookClient()
	}
}

// Tick does one pass: route new alerts, make due digests (at most every
// DigestEvery), then send what is due.
func (w *Worker) Tick(ctx context.Context) error {
	w.defaults()
	var errs []error
	if err := w.routeAlerts(ctx); err != nil {
		errs = append(errs, err)
	}
	if now := w.Store.Now(); now.Sub(w.lastDigests) >= w.DigestEvery {
		w.lastDigests = now
		if err := w.ScheduleDigests(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if err := w.sendDue(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// routeAlerts routes every alert raised since the last pass. Routing and
// marking the alert commit together (store.RouteAlerts).
func (w *Worker) routeAlerts(ctx context.Context) error {
	for {
		n, err := w.Store.RouteAlerts(ctx, batch, w.RouteAlert)
		if err != nil {
			return fmt.Errorf("route alerts: %w", err)
		}
		if n < batch {
			return nil
		}
	}
}

// ScheduleDigests makes each active digest rule's digest for its last
// ended period, once: the claim on (rule, period start) commits with the
// deliveries, so a restart or a second process never sends it twice. A
// period that ended before the rule was made is not sent (use a test).
func (w *Worker) ScheduleDigests(ctx context.Context) error {
	rules, err := w.Store.ActiveRules(ctx, "", models.EventDigest)
	if err != nil {
		return fmt.Errorf("digest rules: %w", err)
	}
	var errs []error
	for _, rule := range rules {
		p, endedAt := LastPeriod(rule, w.Store.Now())
		if !rule.CreatedAt.Before(endedAt) {
			continue
		}
		if ran, err := w.Store.DigestRan(ctx, rule.ID, p.From); err != nil || ran {
			errs = append(errs, err)
			continue
		}
		err := w.Store.InTx(ctx, func(ctx context.Context) error {
			mine, err := w.Store.ClaimDigestRun(ctx, rule.ID, p.From, p.To)
			if err != nil || !mine {
				return err
			}
			return w.SendDigest(ctx, rule, p, models.DeliveryDigest)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("digest of rule %s: %w", rule.ID, err))
		}
	}
	return errors.Join(errs...)
}

// sendDue sends every due delivery, a batch at a time. Without a mailer,
// e-mail is not claimed: it waits, and the log says why.
func (w *Worker) sendDue(ctx context.Context) error {
	channels := []string{models.ChannelWebhook}
	if w.Mailer != nil {
		channels = append(channels, models.ChannelEmail)
	} else if n, err := w.Store.NoteWaiting(ctx, models.ChannelEmail, smtpMissing); err != nil {
		return err
	} else if n != w.waiting {
		w.waiting = n
		if n > 0 {
			w.Log.Warn("e-mail deliveries are waiting: e-mail is not set up (CHORUS_SMTP_URL)", "waiting", n)
		}
	}
	for {
		ds, err := w.Store.ClaimDeliveries(ctx, channels, batch, lease)
		if err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		for _, d := range ds {
			if err := w.finish(ctx, d, w.send(ctx, d)); err != nil {
				return err
			}
		}
		if len(ds) < batch || ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// send makes one attempt at a delivery.
func (w *Worker) send(ctx context.Context, d models.Delivery) error {
	switch d.Channel {
	case models.ChannelEmail:
		var body emailBody
		if err := json.Unmarshal([]byte(d.Payload), &body); err != nil {
			return permanent{fmt.Errorf("the stored message is damaged: %w", err)}
		}
		return w.Mailer.Send(ctx, Email{To: d.Target, Subject: d.Subject, Text: body.Text, HTML: body.HTML, Language: d.Language})
	case models.ChannelWebhook:
		hook, err := w.Store.Webhook(ctx, d.OrganizationID, d.Target)
		if errors.Is(err, store.ErrNotFound) {
			return permanent{errors.New("the webhook was removed")}
		} else if err != nil {
			return err
		}
		return postWebhook(ctx, w.Client, hook.URL, hook.Secret, d.ID, []byte(d.Payload), w.Store.Now())
	}
	return permanent{fmt.Errorf("unknown channel %q", d.Channel)}
}

// permanent is a failure that no retry can fix.
type permanent struct{ error }

// finish records an attempt's outcome: sent, tried again after a back-off,
// or given up after MaxAttempts (or at once when nothing can fix it).
func (w *Worker) finish(ctx context.Context, d models.Delivery, sendErr error) error {
	if sendErr == nil {
		return w.Store.DeliverySent(ctx, d.ID)
	}
	var perm permanent
	giveUp := errors.As(sendErr, &perm) || d.Attempts >= w.MaxAttempts
	w.Log.Warn("delivery failed", "delivery", d.ID, "channel", d.Channel, "attempt", d.Attempts, "given_up", giveUp, "error", sendErr.Error())
	return w.Store.DeliveryFailed(ctx, d.ID, sendErr.Error(), w.Store.Now().Add(w.Backoff(d.Attempts)), giveUp)
}
