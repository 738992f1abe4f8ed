package models

import "time"

// ChannelSMS is a text message to the organization's program number.
const ChannelSMS = "sms"

// SMS conversation kinds and steps.
const (
	SMSFeedback = "feedback"
	SMSMeeting  = "meeting"

	SMSStepNeeds      = "needs"
	SMSStepPriorities = "priorities"
	SMSStepText       = "text"
	SMSStepJoined     = "joined"
)

// SMSSettings is an organization's SMS set-up. PhoneNumber is the
// program's own number, in E.164 form; no person's number is ever stored.
type SMSSettings struct {
	OrganizationID string `gorm:"primaryKey" json:"-"`
	Provider       string `json:"provider"`
	PhoneNumber    string `json:"phone_number"`
	AccountSID     string `gorm:"column:account_sid" json:"account_sid"`
	SiteID         string `json:"site_id"`
	MonthlyCap     int    `json:"monthly_cap"`
	Enabled        bool   `json:"enabled"`
}

// TableName is the migration's name for the table.
func (SMSSettings) TableName() string { return "sms_settings" }

// SMSUsage counts the messages an organization sent in a month.
type SMSUsage struct {
	OrganizationID string `gorm:"primaryKey"`
	Month          string `gorm:"primaryKey"`
	Sent           int
	CappedOn       *Day
}

// TableName is the migration's name for the table.
func (SMSUsage) TableName() string { return "sms_usage" }

// SMSKey is a server secret that keys conversations for a day or a meeting.
type SMSKey struct {
	Name      string `gorm:"primaryKey"`
	Secret    []byte
	CreatedOn Day
}

// SMSConversation is a conversation under way, known only by the HMAC of
// the number under its key. It is deleted when the conversation ends.
type SMSConversation struct {
	ID             string `gorm:"primaryKey"`
	OrganizationID string
	KeyName        string
	PartyHash      []byte
	Kind           string
	SessionID      *string
	Language       string
	Step           string
	Needs          Codes
	Priorities     Codes
	ExpiresAt      time.Time
}

// SMSSeen is a webhook already handled, by the SHA-256 of its message id.
type SMSSeen struct {
	SidHash []byte `gorm:"primaryKey"`
	SeenOn  Day
}

// TableName is the migration's name for the table.
func (SMSSeen) TableName() string { return "sms_seen" }

func smsModels() []any {
	return []any{&SMSSettings{}, &SMSUsage{}, &SMSKey{}, &SMSConversation{}, &SMSSeen{}}
}
