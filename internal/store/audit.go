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
	AuditPosterIssued    = "site.poster_code"
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

// Actor gives commands on behalf of one person (or, as By(nil), of a kiosk
// or of Chorus itself) and records each in the audit log in the
// transaction of the change it records: a change whose record cannot be
// written is not made. Handlers give every command through an Actor. The
// Store's methods of the same names change data without a record; they are
// for set-up scripts, test fixtures and the Actor itself.
type Actor struct {
	s    *Store
	user *models.User
}

// By returns an Actor that records user as the one who acted; nil records
// no one.
func (s *Store) By(user *models.User) Actor { return Actor{s: s, user: user} }

// record writes a command's audit row; it runs in the command's
// transaction.
func (a Actor) record(ctx context.Context, orgID, action, targetType, targetID string, detail models.Bands) error {
	return a.s.Audit(ctx, orgID, a.user, action, targetType, targetID, detail)
}

// userID is the actor's id, or "" for no one.
func (a Actor) userID() string {
	if a.user == nil {
		return ""
	}
	return a.user.ID
}

// Audit records a staff action. actor may be nil for system and kiosk
// actions. Call it in the transaction of the change it records (InTx), as
// Actor does, so that a failure leaves neither.
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
