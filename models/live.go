package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Live-session states.
const (
	LiveOpen  = "open"
	LiveEnded = "ended"
)

// Round kinds.
const (
	RoundAgree = "agree"
	RoundScale = "scale"
	RoundPick  = "pick"
	RoundRank  = "rank"
	RoundDots  = "dots"
	// RoundComment takes a short free-text answer, moderated like kiosk
	// text before anyone but staff reads it.
	RoundComment = "comment"
)

// ExcerptComment is the research excerpt kind of an approved or redacted
// live-session comment: the coder reads the moderated text through its
// feedback text, like a kiosk excerpt.
const ExcerptComment = "comment"

// Round states. A round is prepared as a draft, opened for votes, closed,
// and revealed to the room; revealing ends voting.
const (
	RoundDraft    = "draft"
	RoundOpen     = "open"
	RoundClosed   = "closed"
	RoundRevealed = "revealed"
)

// LiveSession is a meeting a facilitator runs at a site. People join it
// with its code while it is open.
type LiveSession struct {
	ID             string     `gorm:"primaryKey" json:"id"`
	OrganizationID string     `json:"-"`
	SiteID         string     `json:"site_id"`
	Title          string     `json:"title"`
	Language       string     `json:"language"`
	Code           string     `json:"code"`
	State          string     `gorm:"default:open" json:"state"`
	CreatedBy      *string    `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	EndedAt        *time.Time `json:"ended_at"`
	// RoomSize is how many people the facilitator says are in the room
	// (nil: not given); rounds with more voters are flagged.
	RoomSize *int `json:"room_size"`
}

// LiveRound is one question put to the room. Seq and Tally are the round's
// running tally, changed only in the transaction that changes its votes or
// hand counts, so they always agree with them.
type LiveRound struct {
	ID         string  `gorm:"primaryKey" json:"id"`
	SessionID  string  `json:"session_id"`
	Position   int     `json:"position"`
	Kind       string  `json:"kind"`
	Prompt     string  `json:"prompt"`
	Options    Codes   `json:"options"`
	ProposalID *string `json:"proposal_id"`
	// FindingID names the research finding a member-check round asks the
	// room about ("Did we get this right?").
	FindingID *string   `json:"finding_id"`
	MaxRank   *int      `json:"max_rank,omitempty"`
	Dots      *int      `json:"dots,omitempty"`
	State     string    `gorm:"default:draft" json:"state"`
	Seq       int64     `json:"seq"`
	Tally     RawJSON   `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// LiveParticipant is an anonymous person in one session: only the hash of
// the token their device holds, no time, nothing else.
type LiveParticipant struct {
	ID        string `gorm:"primaryKey"`
	SessionID string
	TokenHash []byte
}

// LiveSharedDevice is a tablet the facilitator put in shared mode: only a
// connection presenting its key may become a new participant for the next
// person. Only the key's SHA-256 is kept.
type LiveSharedDevice struct {
	ID        string `gorm:"primaryKey"`
	SessionID string
	KeyHash   []byte
}

// LiveVote is a participant's latest choice in a round. It has no time:
// a vote's timing would say who voted when.
type LiveVote struct {
	RoundID       string `gorm:"primaryKey"`
	ParticipantID string `gorm:"primaryKey"`
	// VoteID is the client's identifier of this vote, for idempotent retries.
	VoteID string
	Choice RawJSON
}

// LiveHandCount is how many hands (or paper ballots, or dots) a facilitator
// counted for one option of a round.
type LiveHandCount struct {
	RoundID   string `gorm:"primaryKey"`
	Option    string `gorm:"primaryKey"`
	N         int    `gorm:"column:n"`
	EnteredBy *string
	UpdatedAt time.Time
}

// LiveSummary is a session's results, stored when it ends, for staff.
type LiveSummary struct {
	SessionID      string `gorm:"primaryKey"`
	OrganizationID string
	SiteID         string
	Day            Day
	Summary        RawJSON
	CreatedAt      time.Time
}

// RawJSON is a JSON value stored as is (jsonb on PostgreSQL).
type RawJSON []byte

// Value stores the JSON text; an empty value is stored as {}.
func (r RawJSON) Value() (driver.Value, error) {
	if len(r) == 0 {
		return "{}", nil
	}
	if !json.Valid(r) {
		return nil, fmt.Errorf("raw json: not valid JSON")
	}
	return string(r), nil
}

// Scan reads a JSON column.
func (r *RawJSON) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*r = nil
	case string:
		*r = RawJSON(v)
	case []byte:
		*r = append(RawJSON(nil), v...)
	default:
		return fmt.Errorf("scan raw json: unsupported %T", src)
	}
	return nil
}

// MarshalJSON writes the value as is, or null when empty.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}
