package store

import (
	"context"
	"time"

	"github.com/chorus-hr/chorus/models"
)

// Audit actions. Details never hold participant content.
const (
	AuditSignIn          = "auth.signin"
	AuditSignOut         = "auth.signout"
	AuditPasswordChanged = "auth.password_changed"
	AuditUserAdded       = "user.added"
	AuditRoleChanged     = "user.role_changed"
	AuditUserRemoved     = "user.removed"
	AuditSiteCreated     = "site.created"
	AuditSiteUpdated     = "site.updated"
	AuditKioskCreated    = "kiosk.created"
	AuditKioskCode       = "kiosk.enrollment_code"
	AuditKioskEnrolled   = "kiosk.enrolled"
	AuditKioskRevoked    = "kiosk.revoked"
	AuditTokenCreated    = "token.created"
	AuditTokenRevoked    = "token.revoked"
	AuditSettings        = "organization.settings"
	AuditExport          = "export"
	AuditModeration      = "moderation"
)

// Audit records a staff action. actor may be nil for system and kiosk
// actions.
func (s *Store) Audit(ctx context.Context, orgID string, actor *models.User, action, targetType, targetID string, detail models.Bands) error {
	ev := models.AuditEvent{ID: models.NewID(), Action: action, TargetType: targetType, TargetID: targetID, Detail: detail, CreatedAt: s.now()}
	if orgID != "" {
		ev.OrganizationID = &orgID
	}
	if actor != nil {
		ev.ActorID, ev.ActorEmail = &actor.ID, actor.Email
	}
	if ev.Detail == nil {
		ev.Detail = models.Bands{}
	}
	return translate(s.conn(ctx).Create(&ev).Error, "audit")
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Action  string
	ActorID string
	From    time.Time
	To      time.Time
	Limit   int
}

// AuditEvents lists the organization's audit log, newest first.
func (s *Store) AuditEvents(ctx context.Context, orgID string, f AuditFilter) ([]models.AuditEvent, error) {
	q := s.conn(ctx).Where("organization_id = ?", orgID)
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	var out []models.AuditEvent
	return out, translate(q.Order("created_at DESC").Limit(f.Limit).Find(&out).Error, "audit events")
}
