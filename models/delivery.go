package models

import "time"

// Routing events: what a rule sends.
const (
	EventUrgent = "urgent"
	EventDigest = "digest"
)

// Digest schedules.
const (
	ScheduleDaily  = "daily"
	ScheduleWeekly = "weekly"
)

// RoutingRule sends urgent alerts at once, or digests on a schedule, about
// some sites and need categories (none listed means all) to staff users,
// e-mail addresses and webhooks of its organization.
type RoutingRule struct {
	ID             string `gorm:"primaryKey" json:"id"`
	OrganizationID string `json:"-"`
	Name           string `json:"name"`
	Event          string `json:"event"`
	SiteIDs        Codes  `gorm:"column:site_ids" json:"site_ids"`
	NeedCodes      Codes  `json:"need_codes"`
	// Schedule is daily or weekly for a digest, nil for urgent alerts;
	// Weekday (0 = Sunday) is the day a weekly digest goes out.
	Schedule *string `json:"schedule"`
	Weekday  *int    `json:"weekday"`
	// TimeZone decides where a digest's days begin and end.
	TimeZone string `json:"time_zone"`
	// Language is used for e-mail addresses and webhooks; staff users get
	// their own language.
	Language   string    `json:"language"`
	UserIDs    Codes     `gorm:"column:user_ids" json:"user_ids"`
	Emails     Codes     `json:"emails"`
	WebhookIDs Codes     `gorm:"column:webhook_ids" json:"webhook_ids"`
	Active     bool      `json:"active"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Webhook is a receiver of signed JSON requests. Its secret is returned
// once, when it is created.
type Webhook struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID string    `json:"-"`
	Name           string    `json:"name"`
	URL            string    `gorm:"column:url" json:"url"`
	Secret         string    `json:"-"`
	CreatedBy      *string   `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
}

// DigestRun marks a rule's digest for one period as made, so it is never
// made twice.
type DigestRun struct {
	RuleID      string `gorm:"primaryKey"`
	PeriodStart Day    `gorm:"primaryKey"`
	PeriodEnd   Day
	CreatedAt   time.Time
}

// Delivery kinds, channels and states.
const (
	DeliveryUrgent = "urgent"
	DeliveryDigest = "digest"
	DeliveryTest   = "test"

	ChannelInbox   = "inbox"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"

	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryDead    = "dead"
)

// Delivery is one message to one recipient: an outbox row until it is sent
// or given up, and the delivery log afterwards. Target is a user id (inbox
// and a staff user's e-mail), an e-mail address, or a webhook id.
//
// An urgent alert is sent within seconds of the submission, so a delivery
// keeps only its Day, and no id of the alert, the submission or its text.
type Delivery struct {
	ID             string  `gorm:"primaryKey" json:"id"`
	OrganizationID string  `json:"-"`
	RuleID         *string `json:"rule_id"`
	Kind           string  `json:"kind"`
	Channel        string  `json:"channel"`
	Target         string  `json:"target"`
	Language       string  `json:"language"`
	Subject        string  `json:"subject"`
	Payload        string  `json:"-"`
	State          string  `json:"state"`
	Attempts       int     `json:"attempts"`
	// NextAttemptAt is when a delivery waiting for a lease to end or for a
	// retry may be tried; any other delivery holds Unscheduled.
	NextAttemptAt time.Time `json:"-"`
	LastError     string    `json:"last_error"`
	// Day is the day the delivery was made; an urgent alert's is the day
	// the alert names.
	Day Day `json:"day"`
}

// Unscheduled is the next attempt of a delivery no clock waits on: a new
// one (due at once) or one sent or given up (never due again). It is one
// fixed instant, so a row says nothing of when it was made or sent.
var Unscheduled = time.Unix(0, 0).UTC()
