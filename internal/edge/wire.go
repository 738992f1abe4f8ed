// Package edge is van mode (docs/van-mode.md): a Chorus that runs in a
// mobile site's van with no internet, and syncs what it recorded exactly
// once when a connection exists. This file holds the wire types both sides
// speak; the edge's sync client lives beside it, and the upstream's
// endpoints in api/edge.go. No Gin here.
//
// The protocol has three calls, each authenticated after enrollment with
// the device token as "Authorization: Bearer chorus_edge_…":
//
//	POST /api/v1/edge/enroll   EnrollRequest → EnrollResponse (no token yet)
//	GET  /api/v1/edge/state    → State (down: what the van needs offline)
//	POST /api/v1/edge/batches  Batch → BatchResult (up: what the van recorded)
//
// A batch and each item carry ids the edge made. Upstream stores a batch
// all or nothing, in one transaction; the same batch id sent again is
// answered with the first answer and stores nothing, and an item id that
// was stored before (in any batch) is not stored again. Refusals use the
// API's one error body and store nothing.
package edge

import (
	"time"

	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/models"
)

// Paths of the protocol, under the upstream's base URL.
const (
	PathEnroll  = "/api/v1/edge/enroll"
	PathState   = "/api/v1/edge/state"
	PathBatches = "/api/v1/edge/batches"
)

// TokenPrefix starts every edge device token.
const TokenPrefix = "chorus_edge_"

// Limits on what one batch may carry.
const (
	MaxBatchItems = 500
	MaxIDLength   = 64
)

// EnrollRequest trades a one-time code for a device token.
type EnrollRequest struct {
	Code string `json:"code" validate:"required,max=32"`
}

// EnrollResponse is what the edge keeps after enrolling.
type EnrollResponse struct {
	Token  string            `json:"token"`
	Device models.EdgeDevice `json:"device"`
	State  State             `json:"state"`
}

// Organization is what the van needs of the program's settings.
type Organization struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	Languages string `json:"languages"`
	// MinVoters is the fewest voters before a round's counts are shown.
	MinVoters int `json:"min_voters"`
	// MinCell is the suppression threshold k.
	MinCell     int               `json:"min_cell"`
	UrgentWords models.Codes      `json:"urgent_words"`
	Resources   *models.Resources `json:"resources"`
}

// Category is a need or strength, retired ones included (Active false) so
// that the van can still show answers given before they were retired.
type Category struct {
	Kind     string      `json:"kind"`
	Code     string      `json:"code"`
	Icon     string      `json:"icon"`
	Labels   models.Text `json:"label"`
	Position int         `json:"position"`
	Active   bool        `json:"active"`
}

// Proposal is an open proposal a van round can be tied to, or a decided
// one for the "what changed" board, with its latest update.
type Proposal struct {
	ID          string                 `json:"id"`
	Title       models.Text            `json:"title"`
	Description models.Text            `json:"description"`
	Origin      string                 `json:"origin"`
	Status      string                 `json:"status"`
	Needs       models.Codes           `json:"needs"`
	CreatedOn   models.Day             `json:"created_on"`
	Update      *models.ProposalUpdate `json:"update,omitempty"`
}

// State is everything the van pulls down: the main server owns it.
type State struct {
	Organization Organization `json:"organization"`
	Site         models.Site  `json:"site"`
	Categories   []Category   `json:"categories"`
	// Proposals are the site's open proposals and the organization's
	// decided ones (the board), each at most once.
	Proposals []Proposal `json:"proposals"`
}

// Item kinds.
const (
	KindSubmission = models.EdgeItemSubmission
	KindSession    = models.EdgeItemSession
	KindSupport    = models.EdgeItemSupport
)

// Batch is what the van sends up: items it recorded, in one transaction.
type Batch struct {
	// ID is made by the edge and kept until the batch is confirmed.
	ID string `json:"id" validate:"required,max=64"`
	// SiteID is the van's site; it must be the device's.
	SiteID string `json:"site_id" validate:"required,max=64"`
	Items  []Item `json:"items" validate:"required,min=1,max=500,dive"`
}

// Item is one thing the van recorded: exactly one of Submission, Session
// and Support, the one its Kind names.
type Item struct {
	ID         string      `json:"id" validate:"required,max=64"`
	Kind       string      `json:"kind" validate:"required,oneof=submission session support"`
	Submission *Submission `json:"submission,omitempty"`
	Session    *Session    `json:"session,omitempty"`
	Support    *Support    `json:"support,omitempty"`
}

// Support is an answer to "Do you support this?" given on a van kiosk:
// the proposal, the answer and the site-local day, nothing else (no
// kiosk, no time).
type Support struct {
	ProposalID string `json:"proposal_id" validate:"required,max=64"`
	Answer     string `json:"answer" validate:"required,oneof=agree disagree unsure"`
	// Day is the site-local day the edge stored it under; upstream settles
	// it as it settles a submission's.
	Day models.Day `json:"day"`
}

// Submission is a kiosk submission made at the edge, already scrubbed
// there (upstream scrubs again, and checks urgent words on arrival).
type Submission struct {
	// Day is the site-local day the edge stored it under.
	Day models.Day `json:"day"`
	// Channel is how it came in at the van: "kiosk" (the default) or
	// "phone" (a poster on the van's own Wi-Fi).
	Channel    string            `json:"channel,omitempty" validate:"omitempty,oneof=kiosk phone"`
	Language   string            `json:"language" validate:"max=8"`
	Needs      []string          `json:"needs" validate:"max=50,dive,max=64"`
	Priorities []string          `json:"priorities" validate:"max=3,dive,max=64"`
	Strengths  []string          `json:"strengths" validate:"max=50,dive,max=64"`
	About      map[string]string `json:"about,omitempty" validate:"max=20"`
	Text       string            `json:"text,omitempty" validate:"max=4000"`
	MayQuote   bool              `json:"may_quote"`
	// ReceiptHash is the hash of the receipt code the participant kept,
	// so that the code works upstream too.
	ReceiptHash []byte `json:"receipt_hash,omitempty"`
}

// Session is a live session's summary: never a participant token or an
// individual vote.
type Session struct {
	Title     string    `json:"title" validate:"required,max=200"`
	Language  string    `json:"language" validate:"required,max=8"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at"`
	// Participants is how many devices joined; no round has more voters.
	Participants int     `json:"participants" validate:"min=0,max=100000"`
	RoomSize     *int    `json:"room_size,omitempty"`
	Rounds       []Round `json:"rounds" validate:"max=200,dive"`
}

// Round is one round's results: its definition and its tally (device
// votes and hand counts), as the edge summed them.
type Round struct {
	Position   int         `json:"position"`
	Kind       string      `json:"kind" validate:"required,max=16"`
	Prompt     string      `json:"prompt" validate:"required,max=500"`
	Options    []string    `json:"options" validate:"max=20"`
	ProposalID *string     `json:"proposal_id,omitempty"`
	MaxRank    *int        `json:"max_rank,omitempty"`
	Dots       *int        `json:"dots,omitempty"`
	State      string      `json:"state" validate:"required,oneof=draft closed revealed"`
	Tally      tally.Tally `json:"tally"`
}

// BatchResult answers a batch: every item, with what it became upstream.
type BatchResult struct {
	BatchID string       `json:"batch_id"`
	Items   []ItemResult `json:"items"`
}

// ItemResult is one item's outcome. Notes say what the edge should know,
// such as a proposal closed upstream whose round's counts were kept as
// evidence.
type ItemResult struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`
	RefID string   `json:"ref_id"`
	Notes []string `json:"notes,omitempty"`
}
