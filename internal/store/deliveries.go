package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/models"
)

// Enqueue puts deliveries in the outbox, due at once. A delivery without a
// day gets today's (UTC). An inbox delivery is the inbox item itself: it is
// sent as soon as it is stored.
func (s *Store) Enqueue(ctx context.Context, ds []models.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	for i := range ds {
		d := &ds[i]
		d.ID, d.State, d.Attempts, d.NextAttemptAt = models.NewID(), models.DeliveryPending, 0, models.Unscheduled
		if d.Day.IsZero() {
			d.Day = models.DayOf(s.now(), time.UTC)
		}
		if d.Channel == models.ChannelInbox {
			d.State = models.DeliverySent
		}
	}
	return translate(s.conn(ctx).Create(&ds).Error, "enqueue deliveries")
}

// skipLocked locks the rows a query reads and skips rows another
// transaction holds, so several processes share one outbox. SQLite's
// dialect leaves it out: it has one writer at a time (BEGIN IMMEDIATE).
var skipLocked = clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}

// ClaimDeliveries takes up to limit due deliveries on the channels and
// leases them: their next attempt moves lease ahead, and their attempt
// count goes up, so a process that dies while sending leaves them to be
// retried when the lease ends. The caller sends outside any transaction
// and then calls DeliverySent or DeliveryFailed.
func (s *Store) ClaimDeliveries(ctx context.Context, channels []string, limit int, lease time.Duration) ([]models.Delivery, error) {
	var out []models.Delivery
	if len(channels) == 0 {
		return out, nil
	}
	// A read first: most passes find nothing, and on SQLite a transaction
	// takes the one write lock that kiosk submissions need.
	if due, err := s.exists(s.conn(ctx).Model(&models.Delivery{}).
		Where("state = ? AND next_attempt_at <= ? AND channel IN ?", models.DeliveryPending, s.now(), channels)); err != nil || !due {
		return out, err
	}
	err := s.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		err := s.conn(ctx).Clauses(skipLocked).
			Where("state = ? AND next_attempt_at <= ? AND channel IN ?", models.DeliveryPending, now, channels).
			Order("next_attempt_at, id").Limit(limit).Find(&out).Error
		if err != nil || len(out) == 0 {
			return translate(err, "claim deliveries")
		}
		ids := make([]string, len(out))
		for i := range out {
			ids[i] = out[i].ID
			out[i].Attempts++
			out[i].NextAttemptAt = now.Add(lease)
		}
		err = s.conn(ctx).Model(&models.Delivery{}).Where("id IN ?", ids).
			Updates(map[string]any{"attempts": clause.Expr{SQL: "attempts + 1"}, "next_attempt_at": now.Add(lease)}).Error
		return translate(err, "lease deliveries")
	})
	return out, err
}

// DeliverySent marks a delivery sent. It keeps no time of sending: its day
// and its state say enough.
func (s *Store) DeliverySent(ctx context.Context, id string) error {
	err := s.conn(ctx).Model(&models.Delivery{}).Where("id = ? AND state = ?", id, models.DeliveryPending).
		Updates(map[string]any{"state": models.DeliverySent, "next_attempt_at": models.Unscheduled, "last_error": ""}).Error
	return translate(err, "mark sent")
}

// DeliveryFailed records a failed attempt: the delivery is tried again at
// retryAt, or given up (dead) when giveUp is set. reason must hold no
// secret.
func (s *Store) DeliveryFailed(ctx context.Context, id, reason string, retryAt time.Time, giveUp bool) error {
	set := map[string]any{"last_error": truncate(reason, 500), "next_attempt_at": retryAt}
	if giveUp {
		set["state"], set["next_attempt_at"] = models.DeliveryDead, models.Unscheduled
	}
	err := s.conn(ctx).Model(&models.Delivery{}).Where("id = ? AND state = ?", id, models.DeliveryPending).Updates(set).Error
	return translate(err, "mark failed")
}

// NoteWaiting says on every pending delivery of a channel why it waits
// (such as "e-mail is not set up"), so the log shows it, and returns how
// many wait.
func (s *Store) NoteWaiting(ctx context.Context, channel, reason string) (int64, error) {
	if unnoted, err := s.exists(s.conn(ctx).Model(&models.Delivery{}).
		Where("state = ? AND channel = ? AND last_error <> ?", models.DeliveryPending, channel, reason)); err != nil || !unnoted {
		return s.countPending(ctx, channel, err)
	}
	res := s.conn(ctx).Model(&models.Delivery{}).Where("state = ? AND channel = ? AND last_error <> ?", models.DeliveryPending, channel, reason).
		Update("last_error", reason)
	if res.Error != nil {
		return 0, translate(res.Error, "note waiting")
	}
	return s.countPending(ctx, channel, nil)
}

func (s *Store) countPending(ctx context.Context, channel string, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.conn(ctx).Model(&models.Delivery{}).Where("state = ? AND channel = ?", models.DeliveryPending, channel).Count(&n).Error
	return n, translate(err, "count waiting")
}

// exists reports whether q finds at least one row.
func (s *Store) exists(q *gorm.DB) (bool, error) {
	var ids []string
	err := q.Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, translate(err, "look for rows")
}

// DeliveryFilter narrows the delivery log.
type DeliveryFilter struct {
	State   string
	Channel string
	Limit   int
}

// Deliveries is the organization's delivery log, newest first.
func (s *Store) Deliveries(ctx context.Context, orgID string, f DeliveryFilter) ([]models.Delivery, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q := s.conn(ctx).Where("organization_id = ?", orgID)
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	var out []models.Delivery
	err := q.Order("day DESC, id").Limit(f.Limit).Find(&out).Error
	return out, translate(err, "deliveries")
}

// Inbox lists the digests and tests delivered to a staff user's in-app
// inbox, newest first.
func (s *Store) Inbox(ctx context.Context, orgID, userID string, limit int) ([]models.Delivery, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	var out []models.Delivery
	err := s.conn(ctx).Where("organization_id = ? AND channel = ? AND target = ?", orgID, models.ChannelInbox, userID).
		Order("day DESC, id").Limit(limit).Find(&out).Error
	return out, translate(err, "inbox")
}

// RouteAlerts hands up to limit alerts that no rule has seen yet to route,
// in one transaction with marking them routed: what route enqueues and the
// mark commit together, so an alert is routed exactly once even when
// several processes run this at the same time or one stops half-way.
func (s *Store) RouteAlerts(ctx context.Context, limit int, route func(ctx context.Context, a models.Alert) error) (int, error) {
	var alerts []models.Alert
	if waiting, err := s.exists(s.conn(ctx).Model(&models.Alert{}).Where("routed = ?", false)); err != nil || !waiting {
		return 0, err
	}
	err := s.InTx(ctx, func(ctx context.Context) error {
		err := s.conn(ctx).Clauses(skipLocked).Where("routed = ?", false).Order("id").Limit(limit).Find(&alerts).Error
		if err != nil || len(alerts) == 0 {
			return translate(err, "unrouted alerts")
		}
		ids := make([]string, len(alerts))
		for i, a := range alerts {
			if err := route(ctx, a); err != nil {
				return err
			}
			ids[i] = a.ID
		}
		return translate(s.conn(ctx).Model(&models.Alert{}).Where("id IN ?", ids).Update("routed", true).Error, "mark routed")
	})
	return len(alerts), err
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// AlertNeeds are the needs chosen in the submission an alert is about.
func (s *Store) AlertNeeds(ctx context.Context, a models.Alert) ([]string, error) {
	if a.FeedbackTextID == nil {
		return []string{}, nil
	}
	var subs []models.Submission
	err := s.conn(ctx).Select("submissions.needs").Joins("JOIN feedback_texts ft ON ft.submission_id = submissions.id").
		Where("ft.id = ? AND submissions.organization_id = ?", *a.FeedbackTextID, a.OrganizationID).Find(&subs).Error
	if err != nil || len(subs) == 0 {
		return []string{}, translate(err, "alert needs")
	}
	return nonNilCodes(subs[0].Needs), nil
}
