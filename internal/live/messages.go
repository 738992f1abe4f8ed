package live

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/chorus-hr/chorus/internal/jsonenc"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Message types of the participant protocol (docs/live-protocol.md).
const (
	TypeWelcome = "welcome"
	TypeRound   = "round"
	TypeTally   = "tally"
	TypeAck     = "ack"
	TypeError   = "error"
	TypeSession = "session"

	TypeResume = "resume"
	TypeVote   = "vote"
	TypeReset  = "reset"
	TypeShared = "shared"
)

// Error codes sent in error messages.
const (
	CodeInvalidJSON        = "invalid_json"
	CodeTooLarge           = "too_large"
	CodeUnknownType        = "unknown_type"
	CodeInvalidVote        = "invalid_vote"
	CodeInvalidChoice      = "invalid_choice"
	CodeUnknownRound       = "unknown_round"
	CodeRoundClosed        = "round_closed"
	CodeReadOnly           = "read_only"
	CodeUnknownParticipant = "unknown_participant"
	CodeResumeTooLate      = "resume_too_late"
	CodeRateLimited        = "rate_limited"
	CodeUnavailable        = "unavailable"
	// CodeNotShared refuses a reset from a connection that has not shown a
	// shared-tablet key: it keeps its participant.
	CodeNotShared = "not_shared"
	// CodeUnknownSharedKey answers a shared key this open session did not
	// issue.
	CodeUnknownSharedKey = "unknown_shared_key"
	// CodeJoinLimited refuses the first vote of a new participant when too
	// many new participants came from the same address lately.
	CodeJoinLimited = "join_limited"
)

// SessionView is a session as participants and screens see it.
type SessionView struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Title     string `json:"title"`
	Language  string `json:"language"`
	State     string `json:"state"`
	MinVoters int    `json:"min_voters"`
	// RoomSize is how many people the facilitator says are in the room;
	// null when not given.
	RoomSize *int `json:"room_size"`
}

// RoundView is a round as participants and screens see it.
type RoundView struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Prompt     string   `json:"prompt"`
	Options    []string `json:"options"`
	State      string   `json:"state"`
	Position   int      `json:"position"`
	MaxRank    *int     `json:"max_rank,omitempty"`
	Dots       *int     `json:"dots,omitempty"`
	ProposalID *string  `json:"proposal_id,omitempty"`
	// FindingID marks a member-check round: "Did we get this right?" about
	// the finding whose statement is the prompt.
	FindingID *string `json:"finding_id,omitempty"`
}

// RoundViewOf is how participants and screens see a round.
func RoundViewOf(r models.LiveRound) *RoundView {
	return &RoundView{ID: r.ID, Kind: r.Kind, Prompt: r.Prompt, Options: r.Options, State: r.State,
		Position: r.Position, MaxRank: r.MaxRank, Dots: r.Dots, ProposalID: r.ProposalID, FindingID: r.FindingID}
}

// TallyView is a round's results at one seq. Counts, First and HandCounts
// are null while the round's results are hidden from the viewer.
type TallyView struct {
	Type    string `json:"type"`
	RoundID string `json:"round_id"`
	Seq     int64  `json:"seq"`
	Voters  int    `json:"voters"`
	// People is Voters plus the people counted by hand, compared with the
	// session's room size and with the minimum for showing results. In a
	// dots round a hand count is a dot, not a person, so only device voters
	// count there.
	People     int            `json:"people"`
	Counts     map[string]int `json:"counts"`
	First      map[string]int `json:"first,omitempty"`
	HandCounts map[string]int `json:"hand_counts"`
	Hidden     bool           `json:"hidden"`
}

// Shown reports whether a round's counts may be shown to the room: once
// revealed, and only when at least minVoters people stand behind them (device
// voters plus people counted by hand), as a count of one in a small room
// points at a person.
func Shown(state string, people, minVoters int) bool {
	return state == models.RoundRevealed && people >= minVoters
}

// View builds a round's tally as a viewer sees it; full is the
// facilitator's view, which always has the counts. When fewer than
// minVoters people voted from a device, the room gets the counts without
// each option's hand count (their total is People − Voters), so the screen
// never subtracts one from the other to show the few device votes.
func View(r models.LiveRound, seq int64, t tally.Tally, minVoters int, full bool) TallyView {
	spec := store.RoundSpec(r)
	people := t.People(spec)
	v := TallyView{Type: TypeTally, RoundID: r.ID, Seq: seq, Voters: t.Voters, People: people,
		Hidden: !Shown(r.State, people, minVoters)}
	if full || !v.Hidden {
		v.Counts, v.First, v.HandCounts = t.Counts(spec), t.FirstCounts(spec), t.HandCounts(spec)
	}
	if !full && t.Voters < minVoters {
		v.HandCounts = nil
	}
	return v
}

type welcomeMsg struct {
	Type        string      `json:"type"`
	Participant *string     `json:"participant"`
	Session     SessionView `json:"session"`
	Round       *RoundView  `json:"round"`
	View        string      `json:"view"`
	// Shared is set once the connection has shown a shared-tablet key.
	Shared bool `json:"shared,omitempty"`
}

type roundMsg struct {
	Type  string     `json:"type"`
	Round *RoundView `json:"round"`
}

type sessionMsg struct {
	Type    string      `json:"type"`
	Session SessionView `json:"session"`
}

// ackMsg acknowledges a vote (VoteID) or a comment (CommentID).
type ackMsg struct {
	Type      string `json:"type"`
	VoteID    string `json:"vote_id,omitempty"`
	CommentID string `json:"comment_id,omitempty"`
	Seq       int64  `json:"seq"`
}

type errorMsg struct {
	Type      string `json:"type"`
	VoteID    string `json:"vote_id,omitempty"`
	CommentID string `json:"comment_id,omitempty"`
	Code      string `json:"code"`
	Message   string `json:"message"`
}

// clientMsg is any message a client sends; Type says which fields count.
type clientMsg struct {
	Type        string          `json:"type"`
	Participant string          `json:"participant"`
	VoteID      string          `json:"vote_id"`
	RoundID     string          `json:"round_id"`
	Choice      json.RawMessage `json:"choice"`
	Key         string          `json:"key"`
	// CommentID and Text are a comment's (TypeComment).
	CommentID string `json:"comment_id"`
	Text      string `json:"text"`
}

// Message is one encoded server message. A broadcast (a tally, a round or
// session change) is encoded once and the same Message goes to every
// client it is for; Frame lets the transport frame it once as well.
type Message struct {
	data   []byte
	shared bool
	once   sync.Once
	frame  any
	// round and seq are set on tallies and acks, so a client's writer can
	// keep each round's seq from going backwards on the wire.
	round string
	seq   int64
	ack   *ackMsg
}

// Data is the message's JSON.
func (m *Message) Data() []byte { return m.data }

// Frame returns what frame makes of a broadcast's data, made the first
// time it is asked and kept for every other client; for a message to one
// client (an ack, an error, a welcome) it returns nil, and the transport
// writes Data as it is.
func (m *Message) Frame(frame func(data []byte) any) any {
	if !m.shared {
		return nil
	}
	m.once.Do(func() { m.frame = frame(m.data) })
	return m.frame
}

// encode marshals a message to one client; server messages are plain
// structs of strings, numbers and string maps, which always encode.
func encode(v any) *Message {
	b, _ := json.Marshal(v)
	return &Message{data: b}
}

// broadcast marshals a message that many clients are sent.
func broadcast(v any) *Message {
	m := encode(v)
	m.shared = true
	return m
}

// ackMessage acknowledges a committed vote with the seq of a tally that
// includes it.
func ackMessage(round, voteID string, seq int64) *Message {
	return ackMsg{Type: TypeAck, VoteID: voteID, Seq: seq}.message(round)
}

// message encodes an ack of a vote or comment in round.
func (a ackMsg) message(round string) *Message {
	return &Message{data: a.encode(), round: round, seq: a.Seq, ack: &a}
}

// encode is json.Marshal's encoding of the ack, byte for byte, without
// its reflection: an ack is the one message every vote is answered with.
func (a ackMsg) encode() []byte {
	b := make([]byte, 0, 40+len(a.Type)+len(a.VoteID)+len(a.CommentID))
	b = jsonenc.AppendString(append(b, `{"type":`...), a.Type)
	if a.VoteID != "" {
		b = jsonenc.AppendString(append(b, `,"vote_id":`...), a.VoteID)
	}
	if a.CommentID != "" {
		b = jsonenc.AppendString(append(b, `,"comment_id":`...), a.CommentID)
	}
	b = strconv.AppendInt(append(b, `,"seq":`...), a.Seq, 10)
	return append(b, '}')
}

// tallyMessage is a round's tally, broadcast to many clients.
func tallyMessage(round string, seq int64, v any) *Message {
	m := broadcast(v)
	m.round, m.seq = round, seq
	return m
}

func errorMessage(voteID, code, message string) *Message {
	return encode(errorMsg{Type: TypeError, VoteID: voteID, Code: code, Message: message})
}
