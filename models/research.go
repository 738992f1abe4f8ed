package models

import "time"

// ResearchCoder gives a member the coder permission in an organization.
type ResearchCoder struct {
	OrganizationID string  `gorm:"primaryKey" json:"-"`
	UserID         string  `gorm:"primaryKey" json:"user_id"`
	GrantedBy      *string `json:"granted_by"`
	GrantedOn      Day     `json:"granted_on"`
}

// Codebook is a named set of codes of one organization.
type Codebook struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID string    `json:"-"`
	Name           Text      `json:"name"`
	CreatedAt      time.Time `json:"created_at"`
}

// Code is a code's lasting identity; what it says is in its versions.
type Code struct {
	ID             string     `gorm:"primaryKey" json:"id"`
	OrganizationID string     `json:"-"`
	CodebookID     string     `json:"codebook_id"`
	Position       int        `json:"position"`
	CurrentVersion int        `json:"current_version"`
	RemovedAt      *time.Time `json:"removed_at,omitempty"`
}

// CodeVersion is what a code said from one edit to the next. Codings point
// at the version their coder saw.
type CodeVersion struct {
	ID         string    `gorm:"primaryKey" json:"id"`
	CodeID     string    `json:"code_id"`
	Version    int       `json:"version"`
	ParentID   *string   `json:"parent_id"`
	Name       Text      `json:"name"`
	Definition Text      `json:"definition"`
	Inclusion  Text      `json:"inclusion"`
	Exclusion  Text      `json:"exclusion"`
	Example    Text      `json:"example"`
	Colour     string    `json:"colour"`
	CreatedBy  *string   `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Excerpt kinds.
const (
	ExcerptKiosk      = "kiosk"
	ExcerptTranscript = "transcript"
	// ExcerptNotes is a facilitator's notes on a live session.
	ExcerptNotes = "notes"
)

// ResearchExcerpt is one text to code. A kiosk excerpt reads its body from
// the moderated feedback text; a transcript, or a live session's notes
// (SessionID), keeps its scrubbed body.
type ResearchExcerpt struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID string    `json:"-"`
	SiteID         string    `json:"site_id"`
	Day            Day       `json:"day"`
	Kind           string    `json:"kind"`
	FeedbackTextID *string   `json:"-"`
	Title          string    `json:"title"`
	Body           *string   `json:"-"`
	SessionID      *string   `json:"-"`
	CreatedAt      time.Time `json:"-"`
}

// Coding applies one code version to a whole excerpt (no span) or to the
// code points [SpanStart, SpanEnd) of its text.
type Coding struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID string    `json:"-"`
	ExcerptID      string    `json:"excerpt_id"`
	CodeID         string    `json:"code_id"`
	CodeVersionID  string    `json:"code_version_id"`
	CoderID        string    `json:"coder_id"`
	SpanStart      *int      `json:"span_start"`
	SpanEnd        *int      `json:"span_end"`
	CreatedAt      time.Time `json:"created_at"`
}

// ResearchMemo is a note on an excerpt or on a code.
type ResearchMemo struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID string    `json:"-"`
	ExcerptID      *string   `json:"excerpt_id"`
	CodeID         *string   `json:"code_id"`
	AuthorID       *string   `json:"author_id"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"created_at"`
}

// ResearchSample is an overlap sample drawn for blind double coding.
type ResearchSample struct {
	ID             string    `gorm:"primaryKey" json:"id"`
	OrganizationID string    `json:"-"`
	SharePercent   int       `json:"share_percent"`
	Seed           int64     `json:"seed"`
	CreatedBy      *string   `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
}

// ResearchAssignment gives a coder an excerpt to code.
type ResearchAssignment struct {
	OrganizationID string     `json:"-"`
	ExcerptID      string     `gorm:"primaryKey" json:"excerpt_id"`
	CoderID        string     `gorm:"primaryKey" json:"coder_id"`
	SampleID       *string    `json:"sample_id"`
	SubmittedAt    *time.Time `json:"submitted_at"`
}

// ResearchReconciliation is the agreed coding of an excerpt for one code.
type ResearchReconciliation struct {
	OrganizationID string  `json:"-"`
	ExcerptID      string  `gorm:"primaryKey" json:"excerpt_id"`
	CodeID         string  `gorm:"primaryKey" json:"code_id"`
	Present        bool    `json:"present"`
	AgreedBy       *string `json:"agreed_by"`
	AgreedOn       Day     `json:"agreed_on"`
}

// researchModels are the research loop's tables, for All.
func researchModels() []any {
	return []any{
		&ResearchCoder{}, &Codebook{}, &Code{}, &CodeVersion{}, &ResearchExcerpt{},
		&Coding{}, &ResearchMemo{}, &ResearchSample{}, &ResearchAssignment{}, &ResearchReconciliation{},
	}
}
