package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// ModerationAPI is the staff's queue of participants' free text, and their
// inbox of alerts. No free text reaches a report or a policymaker until it
// has been approved or redacted here.
type ModerationAPI struct {
	Store *store.Store
	// Comments hears of a live-session comment approved or redacted, so
	// the room's projector can show it (nil: nobody is told).
	Comments CommentNotifier
}

// CommentNotifier is told when a comment round's approved comments
// change; *live.Hub is one.
type CommentNotifier interface {
	CommentsChanged(ctx context.Context, sessionID, roundID string)
}

// List returns texts in one state (?state=pending by default).
func (m *ModerationAPI) List(c *gin.Context) {
	state := c.DefaultQuery("state", models.TextPending)
	switch state {
	case models.TextPending, models.TextApproved, models.TextRedacted, models.TextRejected:
	default:
		abort(c, invalidField("state", "must be one of: pending, approved, redacted, rejected"))
		return
	}
	texts, err := m.Store.FeedbackTexts(c.Request.Context(), principal(c).OrganizationID, state, 100)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"texts": nonNil(texts)})
}

// Get returns one text, whatever its state: where an alert sends staff.
func (m *ModerationAPI) Get(c *gin.Context) {
	text, err := m.Store.FeedbackText(c.Request.Context(), principal(c).OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, text)
}

type moderateRequest struct {
	Decision string `json:"decision" validate:"required,oneof=approve redact reject"`
	// Body is the redacted text, for "redact" only.
	Body string `json:"body" validate:"max=9000"` // privacy.MaxScrubbed
}

// Moderate approves, redacts or rejects one pending text.
func (m *ModerationAPI) Moderate(c *gin.Context) {
	var req moderateRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	if req.Decision != store.DecisionRedact && req.Body != "" {
		abort(c, invalidField("body", "is only for a redaction"))
		return
	}
	p := principal(c)
	text, err := m.Store.Moderate(c.Request.Context(), p.OrganizationID, c.Param("id"), p.User, req.Decision, req.Body)
	if err != nil {
		abort(c, err)
		return
	}
	if text.Live != nil && text.LiveRoundID != nil && req.Decision != store.DecisionReject && m.Comments != nil {
		m.Comments.CommentsChanged(c.Request.Context(), text.Live.SessionID, *text.LiveRoundID)
	}
	c.JSON(http.StatusOK, text)
}

// Alerts returns the organization's inbox of alerts.
func (m *ModerationAPI) Alerts(c *gin.Context) {
	alerts, err := m.Store.Alerts(c.Request.Context(), principal(c).OrganizationID, 100)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"alerts": nonNil(alerts)})
}
