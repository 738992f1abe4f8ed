package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// Moderation decisions.
const (
	DecisionApprove = "approve"
	DecisionRedact  = "redact"
	DecisionReject  = "reject"
)

// FeedbackTexts lists free text of the organization in a moderation state,
// oldest first so the queue is worked in order.
func (s *Store) FeedbackTexts(ctx context.Context, orgID, state string, limit int) ([]models.FeedbackText, error) {
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	var out []models.FeedbackText
	err := s.conn(ctx).Where("organization_id = ? AND state = ?", orgID, state).Order("day, id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, translate(err, "feedback texts")
	}
	return out, s.liveSources(ctx, out)
}

// FeedbackText returns one text of the organization, in whatever state it
// is: an alert opens the very text it was raised for.
func (s *Store) FeedbackText(ctx context.Context, orgID, id string) (models.FeedbackText, error) {
	var out models.FeedbackText
	if !models.IsID(id) {
		return out, translate(errNotFound, "feedback text")
	}
	if err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&out).Error; err != nil {
		return out, translate(err, "feedback text")
	}
	texts := []models.FeedbackText{out}
	err := s.liveSources(ctx, texts)
	return texts[0], err
}

// Moderate records a decision on one text. A redaction replaces the body:
// the original is not kept anywhere. Only pending text can be moderated,
// so two staff deciding at once cannot both win.
func (s *Store) Moderate(ctx context.Context, orgID, id string, by models.User, decision, redacted string) (models.FeedbackText, error) {
	if !models.IsID(id) {
		return models.FeedbackText{}, translate(errNotFound, "feedback text")
	}
	today := models.DayOf(s.now(), s.now().Location())
	updates := map[string]any{"moderated_by": by.ID, "moderated_on": today}
	switch decision {
	case DecisionApprove:
		updates["state"] = models.TextApproved
	case DecisionReject:
		updates["state"] = models.TextRejected
	case DecisionRedact:
		redacted = strings.TrimSpace(redacted)
		// A scrubbed text may be longer than the participant's 1,000
		// characters; a redaction of it may be as long.
		if redacted == "" || len([]rune(redacted)) > privacy.MaxScrubbed {
			return models.FeedbackText{}, invalid("body", fmt.Sprintf("must be 1 to %d characters", privacy.MaxScrubbed))
		}
		updates["state"], updates["body"] = models.TextRedacted, redacted
	default:
		return models.FeedbackText{}, invalid("decision", "must be one of: approve, redact, reject")
	}
	var out models.FeedbackText
	err := s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&out).Error; err != nil {
			return translate(err, "feedback text")
		}
		if out.State != models.TextPending {
			return invalid("state", "this text was already moderated ("+out.State+")")
		}
		res := s.conn(ctx).Model(&models.FeedbackText{}).Where("id = ? AND state = ?", id, models.TextPending).Updates(updates)
		if res.Error != nil {
			return translate(res.Error, "moderate")
		}
		if res.RowsAffected == 0 {
			return invalid("state", "this text was just moderated by someone else")
		}
		if decision != DecisionApprove && out.SubmissionID != "" {
			// The submission's request hash covers the text as it came in.
			// Once a moderator has removed words, that hash could confirm
			// guesses at them, so it goes; a late retry of the same key is
			// then answered as a replay (see replay).
			if err := s.conn(ctx).Model(&models.Submission{}).Where("id = ?", out.SubmissionID).
				Update("request_hash", nil).Error; err != nil {
				return translate(err, "forget request hash")
			}
		}
		if err := s.Audit(ctx, orgID, &by, AuditModeration, "feedback_text", id, models.Bands{"decision": decision}); err != nil {
			return err
		}
		return translate(s.conn(ctx).Where("id = ?", id).First(&out).Error, "feedback text")
	})
	if err != nil {
		return out, err
	}
	texts := []models.FeedbackText{out}
	err = s.liveSources(ctx, texts)
	return texts[0], err
}

// ApprovedQuotes lists moderated text that the participant agreed may be
// quoted: the only free text that may ever leave the staff role.
func (s *Store) ApprovedQuotes(ctx context.Context, orgID string, limit int) ([]models.FeedbackText, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var out []models.FeedbackText
	err := s.conn(ctx).Where("organization_id = ? AND state IN ? AND may_quote = ?", orgID,
		[]string{models.TextApproved, models.TextRedacted}, true).Order("day DESC, id").Limit(limit).Find(&out).Error
	return out, translate(err, "quotes")
}

// RaiseAlert puts an urgent-words alert in the organization's inbox.
func (s *Store) RaiseAlert(ctx context.Context, a models.Alert) error {
	a.ID = models.NewID()
	if a.ReadBy == nil {
		a.ReadBy = models.Codes{}
	}
	return translate(s.conn(ctx).Create(&a).Error, "raise alert")
}

// Alerts lists the organization's alerts, newest day first.
func (s *Store) Alerts(ctx context.Context, orgID string, limit int) ([]models.Alert, error) {
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	var out []models.Alert
	err := s.conn(ctx).Where("organization_id = ?", orgID).Order("day DESC, id").Limit(limit).Find(&out).Error
	return out, translate(err, "alerts")
}

// ModeratedText returns an approved or redacted text of the organization:
// the only free text anyone but its moderators may read.
func (s *Store) ModeratedText(ctx context.Context, orgID, id string) (models.FeedbackText, error) {
	if !models.IsID(id) {
		return models.FeedbackText{}, translate(errNotFound, "feedback text")
	}
	var t models.FeedbackText
	err := s.conn(ctx).Where("organization_id = ? AND id = ? AND state IN ?", orgID, id, []string{models.TextApproved, models.TextRedacted}).First(&t).Error
	return t, translate(err, "feedback text")
}
