package report

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/chorus-hr/chorus/models"
)

// Retain deletes an organization's submissions older than its retention
// setting — their free text goes with them — but never one from a day that
// is not rolled up yet, so the aggregates keep every submission ever made.
// Comments from ended live meetings older than the setting go too (no
// aggregate counts them). It returns how many submissions it deleted.
func (r *Reporter) Retain(ctx context.Context, org models.Organization) (int64, error) {
	if org.RetentionDays == nil {
		return 0, nil
	}
	cutoff := models.DayOf(r.Now(), time.UTC).AddDays(-*org.RetentionDays)
	if err := r.db.WithContext(ctx).Exec("DELETE FROM feedback_texts WHERE organization_id = ? AND day < ? AND live_round_id IN "+
		"(SELECT live_rounds.id FROM live_rounds JOIN live_sessions ON live_sessions.id = live_rounds.session_id WHERE live_sessions.state = ?)",
		org.ID, cutoff, models.LiveEnded).Error; err != nil {
		return 0, fmt.Errorf("retention of comments for %s: %w", org.ID, err)
	}
	mark, err := r.RolledThrough(ctx, org.ID)
	if err != nil {
		return 0, err
	}
	if mark.Time().Before(cutoff.Time()) {
		cutoff = mark
	}
	res := r.db.WithContext(ctx).Exec("DELETE FROM submissions WHERE organization_id = ? AND day < ?", org.ID, cutoff)
	if res.Error != nil {
		return 0, fmt.Errorf("retention for %s: %w", org.ID, res.Error)
	}
	return res.RowsAffected, nil
}

// RunJobs rolls up every organization's settled days and applies its
// retention, now and then every interval, until ctx ends. Several
// processes may run it: both jobs are idempotent.
func (r *Reporter) RunJobs(ctx context.Context, interval time.Duration, log *slog.Logger) {
	for {
		r.runOnce(ctx, log)
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

func (r *Reporter) runOnce(ctx context.Context, log *slog.Logger) {
	var orgs []models.Organization
	if err := r.db.WithContext(ctx).Find(&orgs).Error; err != nil {
		if ctx.Err() == nil {
			log.Warn("report jobs: list organizations", "error", err)
		}
		return
	}
	for _, org := range orgs {
		if _, err := r.Roll(ctx, org.ID); err != nil {
			log.Warn("report jobs: roll up", "organization", org.ID, "error", err)
			continue
		}
		n, err := r.Retain(ctx, org)
		if err != nil {
			log.Warn("report jobs: retention", "organization", org.ID, "error", err)
			continue
		}
		if n > 0 {
			log.Info("report jobs: retention deleted old submissions", "organization", org.ID, "submissions", n)
		}
	}
}
