package models

import "time"

// Role is what a staff user may do in an organization.
type Role string

// The roles, from most to least access to individual feedback.
const (
	RoleAdmin       Role = "admin"
	RoleStaff       Role = "staff"
	RoleFacilitator Role = "facilitator"
	RolePolicymaker Role = "policymaker"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleStaff, RoleFacilitator, RolePolicymaker}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// Organization is a harm-reduction program.
type Organization struct {
	ID        string `gorm:"primaryKey" json:"id"`
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	Languages string `gorm:"default:en,es" json:"-"`
	MinCell   int    `gorm:"default:11" json:"min_cell"`
	MinVoters int    `gorm:"default:5" json:"min_voters"`
	// UrgentWords in free text alert staff at once.
	UrgentWords Codes `gorm:"default:(-)" json:"urgent_words"`
	// Resources replace the default "Need help now?" list when set.
	Resources *Resources `json:"resources"`
	// PublicBoard shows the "you said, we did" board to anyone with its link.
	PublicBoard bool `gorm:"default:true" json:"public_board"`
	// ResponseDays is how soon the program promises to answer a proposal.
	ResponseDays int `gorm:"default:30" json:"response_days"`
	// RetentionDays is how long individual submissions and free text are
	// kept; nil keeps them. Aggregates stay either way.
	RetentionDays *int      `json:"retention_days"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Site kinds and settings.
const (
	SiteFixed  = "fixed"
	SiteMobile = "mobile"
	SiteUrban  = "urban"
	SiteRural  = "rural"
)

// Site is a place where a program meets people: a storefront or a van.
type Site struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID string    `json:"organization_id"`
	Name           string    `json:"name"`
	Kind           string    `json:"kind"`
	Setting        string    `json:"setting"`
	TimeZone       string    `json:"time_zone"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// User is a staff member, facilitator or policymaker. Participants never
// have accounts.
type User struct {
	ID           string `gorm:"primaryKey" json:"id"`
	Email        string `json:"email"`
	DisplayName  string `json:"display_name"`
	PasswordHash string `json:"-"`
	Language     string `gorm:"default:en" json:"language"`
	// PasswordChangedAt is when the password last changed; nil for a
	// generated one-time password that must be changed at first sign-in.
	PasswordChangedAt *time.Time `json:"-"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Membership gives a user a role in an organization.
type Membership struct {
	UserID         string    `gorm:"primaryKey" json:"user_id"`
	OrganizationID string    `gorm:"primaryKey" json:"organization_id"`
	Role           Role      `json:"role"`
	CreatedAt      time.Time `json:"created_at"`
}

// Kiosk is a shared tablet at a site. Its device token is kept only as a hash.
type Kiosk struct {
	ID             string     `gorm:"primaryKey" json:"id"`
	OrganizationID string     `json:"organization_id"`
	SiteID         string     `json:"site_id"`
	Name           string     `json:"name"`
	TokenHash      []byte     `json:"-"`
	EnrolledAt     *time.Time `json:"enrolled_at"`
	RevokedAt      *time.Time `json:"revoked_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Category kinds.
const (
	KindNeed     = "need"
	KindStrength = "strength"
)

// Category is a need or strength a participant can choose.
type Category struct {
	ID             string `gorm:"primaryKey" json:"-"`
	OrganizationID string `json:"-"`
	Kind           string `json:"-"`
	Code           string `json:"code"`
	Icon           string `json:"icon"`
	Labels         Text   `json:"label"`
	Position       int    `json:"-"`
	Active         bool   `gorm:"default:true" json:"-"`
}

// Submission is one participant's anonymous answers. It keeps the day, never
// a finer time, and nothing about the device or the person.
type Submission struct {
	ID             string  `gorm:"primaryKey"`
	OrganizationID string  `gorm:"not null"`
	SiteID         string  `gorm:"not null"`
	KioskID        *string `gorm:"default:null"`
	// Channel is how it came in: ChannelKiosk, ChannelPhone or ChannelSMS.
	Channel        string `gorm:"default:kiosk"`
	Language       string
	Day            Day
	Needs          Codes
	Priorities     Codes
	Strengths      Codes
	About          Bands
	IdempotencyKey []byte
	RequestHash    []byte
	// ReceiptHash is the hash of the receipt code the participant kept.
	ReceiptHash []byte
}

// Channels a submission can come in by.
const (
	// ChannelKiosk is an enrolled kiosk tablet at a site.
	ChannelKiosk = "kiosk"
	// ChannelPhone is a person's own phone, from a site's poster.
	ChannelPhone = "phone"
)

// Channels lists the channels, in the order reports show them.
var Channels = []string{ChannelKiosk, ChannelPhone, ChannelSMS}

// SitePoster is a site's poster code: the short address (/p/CODE) printed
// on a poster that opens own-phone feedback for the site. It is public on
// purpose; a retired code's poster says it is no longer in use.
type SitePoster struct {
	ID             string     `gorm:"primaryKey" json:"-"`
	OrganizationID string     `json:"-"`
	SiteID         string     `json:"site_id"`
	Code           string     `json:"code"`
	CreatedAt      time.Time  `json:"created_at"`
	RetiredAt      *time.Time `json:"-"`
}

// Moderation states of free text.
const (
	TextPending  = "pending"
	TextApproved = "approved"
	TextRedacted = "redacted"
	TextRejected = "rejected"
)

// FeedbackText is a participant's free text, already scrubbed, waiting for
// or past moderation.
type FeedbackText struct {
	ID string `gorm:"primaryKey" json:"id"`
	// SubmissionID is the submission the text came with; "" (NULL) for a
	// live session's comment, which has LiveRoundID instead.
	SubmissionID   string  `gorm:"default:null" json:"-"`
	OrganizationID string  `json:"-"`
	SiteID         string  `json:"site_id"`
	Day            Day     `json:"day"`
	Body           string  `json:"body"`
	MayQuote       bool    `json:"may_quote"`
	State          string  `gorm:"default:pending" json:"state"`
	ModeratedBy    *string `json:"moderated_by"`
	// ModeratedOn is a day, like everything tied to a participant's words;
	// the audit log keeps the moderator's exact time apart from the text.
	ModeratedOn *Day `json:"moderated_on"`
	// LiveRoundID is the live-session comment round the text answers;
	// LiveParticipantID and LiveCommentID (the session's anonymous
	// participant and their phone's id of the comment) keep it stored once.
	LiveRoundID       *string `json:"live_round_id,omitempty"`
	LiveParticipantID *string `json:"-"`
	LiveCommentID     *string `json:"-"`
	// Live names the session of a comment, for the moderation queue.
	Live *LiveTextSource `gorm:"-" json:"live,omitempty"`
}

// LiveTextSource is the live session a comment was made in.
type LiveTextSource struct {
	SessionID string `json:"session_id"`
	Title     string `json:"title"`
}

// Proposal origins.
const (
	OriginParticipants    = "participants"
	OriginPeerFacilitator = "peer_facilitator"
	OriginStaff           = "staff"
	OriginPolicymaker     = "policymaker"
)

// Proposal statuses.
const (
	StatusDraft       = "draft"
	StatusOpen        = "open"
	StatusUnderReview = "under_review"
	StatusAccepted    = "accepted"
	StatusInProgress  = "in_progress"
	StatusDone        = "done"
	StatusDeclined    = "declined"
)

// Proposal is a change people asked for, and its fate.
type Proposal struct {
	ID             string `gorm:"primaryKey" json:"id"`
	OrganizationID string `json:"-"`
	Title          Text   `json:"title"`
	Description    Text   `json:"description"`
	Origin         string `json:"origin"`
	Status         string `gorm:"default:draft" json:"status"`
	Needs          Codes  `json:"needs"`
	// PutToPolicymakers lets policymakers accept or decline it themselves.
	PutToPolicymakers bool `json:"put_to_policymakers"`
	CreatedOn         Day  `json:"created_on"`
	// RespondedOn is the day it first moved beyond open; DecidedOn the
	// day it was first accepted or declined.
	RespondedOn *Day      `json:"responded_on"`
	DecidedOn   *Day      `json:"decided_on"`
	CreatedBy   *string   `json:"-"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
}

// ProposalSite links a proposal to a site it concerns.
type ProposalSite struct {
	ProposalID string `gorm:"primaryKey"`
	SiteID     string `gorm:"primaryKey"`
}

// ProposalUpdate is a dated public note on a proposal's progress.
type ProposalUpdate struct {
	ID         string `gorm:"primaryKey" json:"id"`
	ProposalID string `json:"proposal_id"`
	Status     string `json:"status"`
	Body       Text   `json:"body"`
	Day        Day    `json:"day"`
	// ByRole says who answered: "staff", or "policymaker" for a response
	// to a proposal put to them.
	ByRole    string    `gorm:"default:staff" json:"by"`
	CreatedBy *string   `json:"-"`
	CreatedAt time.Time `json:"-"`
}

// Evidence kinds: what a proposal from participants rests on.
const (
	EvidenceNeed         = "need"
	EvidenceFeedbackText = "feedback_text"
	EvidenceLiveRound    = "live_round"
)

// ProposalEvidence links a proposal to what people said.
type ProposalEvidence struct {
	ID         string  `gorm:"primaryKey" json:"-"`
	ProposalID string  `json:"-"`
	Kind       string  `json:"kind"`
	Code       *string `json:"code,omitempty"`
	SiteID     *string `json:"site_id,omitempty"`
	RefID      *string `gorm:"column:ref_id" json:"id,omitempty"`
	// Text is an approved comment's words, filled in by the API for those
	// who may read them; never stored here.
	Text *string `gorm:"-" json:"text,omitempty"`
}

// TableName keeps the table's name singular, as the migration made it.
func (ProposalEvidence) TableName() string { return "proposal_evidence" }

// Support answers.
const (
	AnswerAgree    = "agree"
	AnswerDisagree = "disagree"
	AnswerUnsure   = "unsure"
)

// ProposalSupport is one kiosk answer to "Do you support this?".
type ProposalSupport struct {
	ID             string `gorm:"primaryKey"`
	OrganizationID string
	ProposalID     string
	SiteID         string
	KioskID        *string
	Day            Day
	Answer         string
	IdempotencyKey []byte
	RequestHash    []byte
}

// TableName keeps the table's name singular, as the migration made it.
func (ProposalSupport) TableName() string { return "proposal_support" }

// Alert kinds.
const AlertUrgentWords = "urgent_words"

// Alert is an item in the staff inbox. An alert about free text names the
// site, the day and which configured words matched — never the text.
type Alert struct {
	ID             string  `gorm:"primaryKey" json:"id"`
	OrganizationID string  `json:"-"`
	SiteID         *string `json:"site_id"`
	Day            Day     `json:"day"`
	Kind           string  `json:"kind"`
	Matched        Codes   `json:"matched"`
	FeedbackTextID *string `json:"feedback_text_id"`
	ReadBy         Codes   `json:"-"`
}

// All lists every stored model, for schema tests.
func All() []any {
	return append([]any{
		&Organization{}, &Site{}, &User{}, &Membership{}, &Kiosk{}, &Category{},
		&Submission{}, &FeedbackText{}, &Proposal{}, &ProposalSite{}, &ProposalUpdate{}, &ProposalEvidence{}, &ProposalSupport{},
		&StaffSession{}, &APIToken{}, &KioskEnrollment{}, &AuditEvent{}, &Alert{},
		&LiveSession{}, &LiveRound{}, &LiveParticipant{}, &LiveVote{}, &LiveHandCount{}, &LiveSummary{}, &LiveSharedDevice{},
		&SitePoster{},
		&RoutingRule{}, &Webhook{}, &DigestRun{}, &Delivery{},
	}, append(append(append(researchModels(), findingModels()...), edgeModels()...), smsModels()...)...)
}
