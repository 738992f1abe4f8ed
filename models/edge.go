package models

import "time"

// EdgeDevice is a laptop or small box that runs Chorus in a mobile site's
// van (docs/van-mode.md). Like a kiosk, it enrolls with a one-time code
// and its device token is kept only as a hash.
type EdgeDevice struct {
	ID             string     `gorm:"primaryKey" json:"id"`
	OrganizationID string     `json:"organization_id"`
	SiteID         string     `json:"site_id"`
	Name           string     `json:"name"`
	TokenHash      []byte     `json:"-"`
	EnrolledAt     *time.Time `json:"enrolled_at"`
	RevokedAt      *time.Time `json:"revoked_at"`
	// LastSyncOn is the day its last batch arrived.
	LastSyncOn *Day      `json:"last_sync_on"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// EdgeEnrollment is a one-time code that turns a laptop into an edge device.
type EdgeEnrollment struct {
	CodeHash  []byte `gorm:"primaryKey"`
	DeviceID  string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedBy *string
}

// EdgeBatch is a batch an edge device sent and the answer it got, kept so
// that the same batch sent again is answered the same and stores nothing.
type EdgeBatch struct {
	DeviceID    string `gorm:"primaryKey"`
	BatchID     string `gorm:"primaryKey"`
	RequestHash []byte
	Response    RawJSON
	ReceivedOn  Day
}

// Kinds of item an edge device sends.
const (
	EdgeItemSubmission = "submission"
	EdgeItemSession    = "session"
	EdgeItemSupport    = "support"
)

// EdgeItem is one item an edge device sent, by the id the device made for
// it: what it became upstream (RefID: a submission, a live session or a
// proposal_support answer) and
// which device it came from.
type EdgeItem struct {
	DeviceID    string `gorm:"primaryKey"`
	ItemID      string `gorm:"primaryKey"`
	Kind        string
	RefID       string
	RequestHash []byte
}

// EdgeLink is, on an edge, the one row that says where it syncs to and
// how that went. Token is the device token, which the edge must present.
type EdgeLink struct {
	ID             int `gorm:"primaryKey"`
	Upstream       string
	DeviceID       string
	Token          string
	OrganizationID string
	SiteID         string
	// State is the last state pulled from upstream, as it came.
	State     RawJSON
	PulledAt  *time.Time
	SyncedAt  *time.Time
	Online    bool
	Revoked   bool
	LastError string
}

// TableName keeps the singular name of the one-row table.
func (EdgeLink) TableName() string { return "edge_link" }

// EdgeOutboxItem is, on an edge, one item waiting to be sent upstream (or
// sent and confirmed): a submission or a live session's summary.
type EdgeOutboxItem struct {
	ItemID      string `gorm:"primaryKey"`
	Kind        string
	RefID       string
	Payload     RawJSON
	BatchID     *string
	ConfirmedAt *time.Time
}

// TableName is the outbox's table.
func (EdgeOutboxItem) TableName() string { return "edge_outbox" }

func edgeModels() []any {
	return []any{&EdgeDevice{}, &EdgeEnrollment{}, &EdgeBatch{}, &EdgeItem{}, &EdgeLink{}, &EdgeOutboxItem{}}
}
