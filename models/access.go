package models

import "time"

// StaffSession is a signed-in browser. Only the hash of the cookie's secret
// is stored.
type StaffSession struct {
	TokenHash      []byte `gorm:"primaryKey"`
	UserID         string
	OrganizationID string
	CSRFToken      string `gorm:"column:csrf_token"`
	CreatedAt      time.Time
	LastSeenAt     time.Time
}

// APIToken lets a script act as a user, with that user's role.
type APIToken struct {
	ID             string     `gorm:"primaryKey" json:"id"`
	UserID         string     `json:"user_id"`
	OrganizationID string     `json:"-"`
	Name           string     `json:"name"`
	TokenHash      []byte     `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	LastUsedOn     *Day       `json:"last_used_on"`
	RevokedAt      *time.Time `json:"revoked_at"`
}

// KioskEnrollment is a one-time code that turns a tablet into a kiosk.
type KioskEnrollment struct {
	CodeHash  []byte `gorm:"primaryKey"`
	KioskID   string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedBy *string
}

// AuditEvent records a staff action: who, what, when. It never holds
// participant content or a client address.
type AuditEvent struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID *string   `json:"-"`
	ActorID        *string   `json:"actor_id"`
	ActorEmail     string    `json:"actor_email"`
	Action         string    `json:"action"`
	TargetType     string    `json:"target_type"`
	TargetID       string    `json:"target_id"`
	Detail         Bands     `json:"detail"`
	CreatedAt      time.Time `json:"created_at"`
}
