package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/models"
)

// Live-session audit actions.
const (
	AuditLiveSessionCreated = "live.session_created"
	AuditLiveSessionEnded   = "live.session_ended"
	AuditLiveRevealed       = "live.round_revealed"
	AuditLiveHandCount      = "live.hand_count"
)

// JoinCodeLength is the number of characters of a join code.
const JoinCodeLength = 6

// ErrRoundNotOpen means a vote came for a round that is not open.
var ErrRoundNotOpen = errors.New("round is not open")

// StateError is an action the state of a round or session does not allow.
type StateError struct {
	Code    string
	Message string
}

func (e *StateError) Error() string { return e.Code + ": " + e.Message }

// RoundSpec is the tally definition of a round.
func RoundSpec(r models.LiveRound) tally.Spec {
	s := tally.Spec{Kind: r.Kind, Options: r.Options}
	if r.MaxRank != nil {
		s.MaxRank = *r.MaxRank
	}
	if r.Dots != nil {
		s.Dots = *r.Dots
	}
	return s
}

// RoundTally decodes a round's stored tally.
func RoundTally(r models.LiveRound) (tally.Tally, error) { return tally.Decode(r.Tally) }

// LiveSessionInput is what a facilitator gives to start a session.
type LiveSessionInput struct {
	SiteID, Title, Language string
}

// CreateLiveSession starts a session with a join code no other open
// session holds.
func (s *Store) CreateLiveSession(ctx context.Context, orgID, userID string, in LiveSessionInput) (models.LiveSession, error) {
	in.Title = strings.TrimSpace(in.Title)
	switch {
	case in.Title == "" || len([]rune(in.Title)) > 200:
		return models.LiveSession{}, invalid("title", "must be 1 to 200 characters")
	case !slices.Contains(catalog.Languages, in.Language):
		return models.LiveSession{}, invalid("language", "must be one of: "+strings.Join(catalog.Languages, ", "))
	}
	if _, err := s.Site(ctx, orgID, in.SiteID); errors.Is(err, ErrNotFound) {
		return models.LiveSession{}, invalid("site_id", "is not a site of this organization")
	} else if err != nil {
		return models.LiveSession{}, err
	}
	sess := models.LiveSession{OrganizationID: orgID, SiteID: in.SiteID, Title: in.Title, Language: in.Language,
		State: models.LiveOpen, CreatedAt: s.now()}
	if userID != "" {
		sess.CreatedBy = &userID
	}
	// 27^6 ≈ 3.9·10^8 codes: a clash with another open session is rare,
	// and a few tries make it vanishingly so.
	var err error
	for range 5 {
		sess.ID, sess.Code = models.NewID(), auth.NewCode(JoinCodeLength)
		if err = translate(s.conn(ctx).Create(&sess).Error, "create live session"); !errors.Is(err, ErrConflict) {
			break
		}
	}
	return sess, err
}

// LiveSessions lists an organization's sessions, newest first.
func (s *Store) LiveSessions(ctx context.Context, orgID string) ([]models.LiveSession, error) {
	var out []models.LiveSession
	err := s.conn(ctx).Where("organization_id = ?", orgID).Order("created_at DESC").Limit(500).Find(&out).Error
	return out, translate(err, "live sessions")
}

// LiveSession returns one session of the organization.
func (s *Store) LiveSession(ctx context.Context, orgID, id string) (models.LiveSession, error) {
	var sess models.LiveSession
	if !models.IsID(id) {
		return sess, translate(errNotFound, "live session")
	}
	err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&sess).Error
	return sess, translate(err, "live session")
}

// LiveSessionByID returns a session whatever its organization, for the hub.
func (s *Store) LiveSessionByID(ctx context.Context, id string) (models.LiveSession, error) {
	var sess models.LiveSession
	err := s.conn(ctx).Where("id = ?", id).First(&sess).Error
	return sess, translate(err, "live session")
}

// OpenLiveSession finds the open session a join code names.
func (s *Store) OpenLiveSession(ctx context.Context, code string) (models.LiveSession, error) {
	var sess models.LiveSession
	code = auth.NormalizeCode(code)
	if len(code) != JoinCodeLength {
		return sess, translate(errNotFound, "live session")
	}
	err := s.conn(ctx).Where("code = ? AND state = ?", code, models.LiveOpen).First(&sess).Error
	return sess, translate(err, "live session")
}

// OpenLiveSessionIDs lists every open session, whatever its organization,
// for the hub to check at start.
func (s *Store) OpenLiveSessionIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&models.LiveSession{}).Where("state = ?", models.LiveOpen).Pluck("id", &ids).Error
	return ids, translate(err, "open live sessions")
}

// MinVoters is the organization's minimum number of voters before a
// round's counts may be shown to the room.
func (s *Store) MinVoters(ctx context.Context, orgID string) (int, error) {
	org, err := s.Organization(ctx, orgID)
	return max(org.MinVoters, 1), err
}

// RoundInput is a round a facilitator prepares.
type RoundInput struct {
	Kind       string
	Prompt     string
	Options    []string
	ProposalID *string
	// FindingID makes an agree round a member check: the room is asked
	// about the finding, whose statement in the session's language becomes
	// the prompt (a prompt given with it is refused).
	FindingID *string
	MaxRank   *int
	Dots      *int
}

// CreateRound adds a draft round at the end of an open session.
func (s *Store) CreateRound(ctx context.Context, orgID, sessionID string, in RoundInput) (models.LiveRound, error) {
	spec, err := tally.NewSpec(in.Kind, in.Options, in.MaxRank, in.Dots)
	if err != nil {
		return models.LiveRound{}, fieldInvalid(err)
	}
	in.Prompt = strings.TrimSpace(in.Prompt)
	switch {
	case spec.Kind == tally.Comment && in.ProposalID != nil:
		return models.LiveRound{}, invalid("proposal_id", "must be left out of a comment round")
	case in.FindingID != nil && spec.Kind != tally.Agree:
		return models.LiveRound{}, invalid("kind", "must be agree for a member-check round")
	case in.FindingID != nil && in.Prompt != "":
		return models.LiveRound{}, invalid("prompt", "must be left out: a member-check round asks the finding's statement")
	case in.FindingID == nil && (in.Prompt == "" || len([]rune(in.Prompt)) > maxPromptRunes):
		return models.LiveRound{}, invalid("prompt", "must be 1 to 500 characters")
	}
	r := models.LiveRound{ID: models.NewID(), SessionID: sessionID, Kind: spec.Kind, Prompt: in.Prompt, Options: spec.Options,
		State: models.RoundDraft, Tally: tally.Tally{}.Encode(), CreatedAt: s.now(), UpdatedAt: s.now()}
	if spec.Kind == tally.Rank {
		r.MaxRank = &spec.MaxRank
	}
	if spec.Kind == tally.Dots {
		r.Dots = &spec.Dots
	}
	err = s.InTx(ctx, func(ctx context.Context) error {
		sess, err := s.openLiveSession(ctx, orgID, sessionID)
		if err != nil {
			return err
		}
		if spec.Kind == tally.Comment {
			if err := s.commentsAllowed(ctx); err != nil {
				return err
			}
		}
		if in.FindingID != nil {
			if r.Prompt, err = s.memberCheckPrompt(ctx, orgID, *in.FindingID, sess.Language); err != nil {
				return err
			}
			r.FindingID = in.FindingID
		}
		if in.ProposalID != nil {
			var n int64
			if models.IsID(*in.ProposalID) {
				if err := s.conn(ctx).Model(&models.Proposal{}).Where("organization_id = ? AND id = ?", orgID, *in.ProposalID).Count(&n).Error; err != nil {
					return translate(err, "proposal")
				}
			}
			if n == 0 {
				return invalid("proposal_id", "is not a proposal of this organization")
			}
			r.ProposalID = in.ProposalID
		}
		var last struct{ N *int }
		if err := s.conn(ctx).Model(&models.LiveRound{}).Select("MAX(position) AS n").Where("session_id = ?", sessionID).Scan(&last).Error; err != nil {
			return translate(err, "round position")
		}
		if last.N != nil {
			r.Position = *last.N + 1
		}
		return translate(s.conn(ctx).Create(&r).Error, "create round")
	})
	return r, err
}

func fieldInvalid(err error) error {
	var fe *tally.FieldError
	if errors.As(err, &fe) {
		return invalid(fe.Field, fe.Reason)
	}
	return err
}

// openSession checks that a session of the organization exists and is open.
func (s *Store) openSession(ctx context.Context, orgID, sessionID string) error {
	_, err := s.openLiveSession(ctx, orgID, sessionID)
	return err
}

// openLiveSession returns a session of the organization if it is open.
func (s *Store) openLiveSession(ctx context.Context, orgID, sessionID string) (models.LiveSession, error) {
	sess, err := s.LiveSession(ctx, orgID, sessionID)
	if err != nil {
		return sess, err
	}
	if sess.State != models.LiveOpen {
		return sess, &StateError{Code: "session_ended", Message: "This session has ended."}
	}
	return sess, nil
}

// Rounds lists a session's rounds in order.
func (s *Store) Rounds(ctx context.Context, sessionID string) ([]models.LiveRound, error) {
	var out []models.LiveRound
	err := s.conn(ctx).Where("session_id = ?", sessionID).Order("position").Find(&out).Error
	return out, translate(err, "rounds")
}

// LiveRound returns a round whatever its organization, for the hub.
func (s *Store) LiveRound(ctx context.Context, id string) (models.LiveRound, error) {
	var r models.LiveRound
	err := s.conn(ctx).Where("id = ?", id).First(&r).Error
	return r, translate(err, "round")
}

// lockRounds locks rounds in id order, the one order every writer uses,
// so two transactions never wait on each other in a cycle. SQLite takes
// the whole database at BEGIN IMMEDIATE instead.
func (s *Store) lockRounds(ctx context.Context, where string, args ...any) ([]models.LiveRound, error) {
	var out []models.LiveRound
	err := s.conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where(where, args...).Order("id").Find(&out).Error
	return out, translate(err, "lock rounds")
}

// orgRound finds a round of the organization's open session and locks it.
func (s *Store) orgRound(ctx context.Context, orgID, roundID string) (models.LiveRound, error) {
	if !models.IsID(roundID) {
		return models.LiveRound{}, translate(errNotFound, "round")
	}
	sub := s.conn(ctx).Model(&models.LiveSession{}).Select("id").Where("organization_id = ?", orgID)
	rounds, err := s.lockRounds(ctx, "id = ? AND session_id IN (?)", roundID, sub)
	if err != nil {
		return models.LiveRound{}, err
	}
	if len(rounds) == 0 {
		return models.LiveRound{}, translate(errNotFound, "round")
	}
	return rounds[0], s.openSession(ctx, orgID, rounds[0].SessionID)
}

// Round actions.
const (
	ActionOpen   = "open"
	ActionClose  = "close"
	ActionReveal = "reveal"
)

// RoundChange is what a round action changed: the round, and any other
// round that opening it closed.
type RoundChange struct {
	Round   models.LiveRound
	Closed  []models.LiveRound
	Changed bool
}

// SetRoundState opens, closes or reveals a round. One round of a session
// is open at a time: opening one closes the other. Revealing ends voting
// and needs at least the organization's minimum number of voters.
func (s *Store) SetRoundState(ctx context.Context, orgID, roundID, action string) (RoundChange, error) {
	var out RoundChange
	err := s.InTx(ctx, func(ctx context.Context) error {
		r, err := s.orgRound(ctx, orgID, roundID)
		if err != nil {
			return err
		}
		to, err := s.nextState(ctx, orgID, r, action)
		if err != nil || to == r.State {
			out.Round = r
			return err
		}
		if to == models.RoundOpen {
			others, err := s.lockRounds(ctx, "session_id = ? AND state = ? AND id <> ?", r.SessionID, models.RoundOpen, r.ID)
			if err != nil {
				return err
			}
			for _, o := range others {
				if err := s.setState(ctx, &o, models.RoundClosed); err != nil {
					return err
				}
				out.Closed = append(out.Closed, o)
			}
		}
		out.Changed = true
		out.Round = r
		if err := s.setState(ctx, &out.Round, to); err != nil || to != models.RoundRevealed {
			return err
		}
		return s.recordRoundCheck(ctx, out.Round)
	})
	return out, err
}

func (s *Store) nextState(ctx context.Context, orgID string, r models.LiveRound, action string) (string, error) {
	switch {
	case action == ActionOpen && r.State == models.RoundRevealed:
		return "", &StateError{Code: "round_revealed", Message: "A revealed round cannot take votes again: the room has seen its results."}
	case action == ActionOpen:
		return models.RoundOpen, nil
	case r.State == models.RoundDraft:
		return "", &StateError{Code: "round_draft", Message: "Open the round first."}
	case action == ActionClose && r.State == models.RoundOpen:
		return models.RoundClosed, nil
	case action == ActionClose:
		return r.State, nil
	case action == ActionReveal && r.State == models.RoundRevealed:
		return r.State, nil
	case action == ActionReveal:
		t, err := RoundTally(r)
		if err != nil {
			return "", err
		}
		minVoters, err := s.MinVoters(ctx, orgID)
		if err != nil {
			return "", err
		}
		// People counted by hand are people in the room: they count
		// towards the minimum as much as a phone does.
		if people := t.People(RoundSpec(r)); people < minVoters {
			return "", &StateError{Code: "too_few_voters", Message: fmt.Sprintf(
				"At least %d people must vote before results are shown to the room; %d have so far.", minVoters, people)}
		}
		return models.RoundRevealed, nil
	}
	return "", fmt.Errorf("round action %q: unknown", action)
}

// setState changes a round's state under the next seq: seq orders every
// change to a round, so a process that hears of changes out of order keeps
// the latest.
func (s *Store) setState(ctx context.Context, r *models.LiveRound, state string) error {
	r.State, r.UpdatedAt = state, s.now()
	r.Seq++
	err := s.conn(ctx).Model(&models.LiveRound{}).Where("id = ?", r.ID).
		UpdateColumns(map[string]any{"state": state, "updated_at": r.UpdatedAt, "seq": r.Seq}).Error
	return translate(err, "set round state")
}

// SetHandCounts replaces the hand counts of the options given (others keep
// theirs; 0 clears one) and adds them to the round's tally.
func (s *Store) SetHandCounts(ctx context.Context, orgID, userID, roundID string, counts map[string]int) (models.LiveRound, error) {
	var r models.LiveRound
	err := s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.orgRound(ctx, orgID, roundID); err != nil {
			return err
		}
		if r.State == models.RoundDraft {
			return &StateError{Code: "round_draft", Message: "Open the round before counting hands."}
		}
		if err := RoundSpec(r).CheckHand(counts); err != nil {
			return fieldInvalid(err)
		}
		for o, n := range counts {
			q := s.conn(ctx)
			if n == 0 {
				err = q.Where("round_id = ? AND option = ?", r.ID, o).Delete(&models.LiveHandCount{}).Error
			} else {
				hc := models.LiveHandCount{RoundID: r.ID, Option: o, N: n, UpdatedAt: s.now()}
				if userID != "" {
					hc.EnteredBy = &userID
				}
				err = q.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "round_id"}, {Name: "option"}},
					DoUpdates: clause.AssignmentColumns([]string{"n", "entered_by", "updated_at"})}).Create(&hc).Error
			}
			if err != nil {
				return translate(err, "hand count")
			}
		}
		t, err := RoundTally(r)
		if err != nil {
			return err
		}
		t.SetHand(counts)
		return s.saveTally(ctx, &r, t)
	})
	return r, err
}

// saveTally stores a round's new tally under the next seq.
func (s *Store) saveTally(ctx context.Context, r *models.LiveRound, t tally.Tally) error {
	r.Seq++
	r.Tally = t.Encode()
	// UpdateColumns leaves updated_at alone: a vote's time is not kept,
	// not even as the round's last change.
	err := s.conn(ctx).Model(&models.LiveRound{}).Where("id = ?", r.ID).UpdateColumns(map[string]any{"seq": r.Seq, "tally": r.Tally}).Error
	return translate(err, "save tally")
}

// LiveParticipant finds the participant a token stands for in one
// session; tokens of other sessions are not found.
func (s *Store) LiveParticipant(ctx context.Context, sessionID string, tokenHash []byte) (string, error) {
	var p models.LiveParticipant
	err := s.conn(ctx).Where("session_id = ? AND token_hash = ?", sessionID, tokenHash).First(&p).Error
	return p.ID, translate(err, "participant")
}

// VoteInput is one vote as the hub batches it.
type VoteInput struct {
	SessionID     string
	RoundID       string
	ParticipantID string
	// TokenHash is set while the participant may not be stored yet: their
	// row is written with their first vote.
	TokenHash []byte
	VoteID    string
	// Choice is the canonical JSON of a choice the round accepts.
	Choice []byte
}

// VoteOutcome is what became of one vote of a batch.
type VoteOutcome struct {
	// Seq is the round's seq after the batch: every tally at this seq or
	// later includes the vote (or the participant's later one).
	Seq int64
	// Replayed is true when the vote_id was the participant's latest vote
	// already: nothing changed.
	Replayed bool
	// Err is ErrRoundNotOpen, ErrNotFound or an invalid choice; the batch's
	// other votes are not affected.
	Err error
}

// RoundUpdate is a round's state and tally after a write, for the hub to
// broadcast. Seq orders the updates of a round.
type RoundUpdate struct {
	SessionID, RoundID string
	Seq                int64
	State              string
	Tally              tally.Tally
}

// UpdateOf is a round's latest update.
func UpdateOf(r models.LiveRound) (RoundUpdate, error) {
	t, err := RoundTally(r)
	return RoundUpdate{SessionID: r.SessionID, RoundID: r.ID, Seq: r.Seq, State: r.State, Tally: t}, err
}

type voteKey struct{ round, participant string }

// CommitVotes stores a batch of votes in one transaction: each round's row
// is locked, every vote replaces the participant's earlier one in that
// round, and each changed round's tally moves to the next seq. A vote_id
// the participant already has counts as a replay.
func (s *Store) CommitVotes(ctx context.Context, votes []VoteInput) ([]VoteOutcome, []RoundUpdate, error) {
	outcomes := make([]VoteOutcome, len(votes))
	var changes []RoundUpdate
	err := s.InTx(ctx, func(ctx context.Context) error {
		clear(outcomes)
		changes = changes[:0]
		rounds, err := s.votedRounds(ctx, votes)
		if err != nil {
			return err
		}
		prior, err := s.priorVotes(ctx, votes, rounds)
		if err != nil {
			return err
		}
		tallies := map[string]*tally.Tally{}
		latest := make(map[voteKey]int, len(votes))
		for i, v := range votes {
			r := rounds[v.RoundID]
			if r == nil || r.SessionID != v.SessionID {
				outcomes[i].Err = ErrNotFound
				continue
			}
			if r.State != models.RoundOpen {
				outcomes[i].Err = ErrRoundNotOpen
				continue
			}
			k := voteKey{v.RoundID, v.ParticipantID}
			before, had := prior[k]
			if had && before.VoteID == v.VoteID {
				outcomes[i].Replayed = true
				continue
			}
			if outcomes[i].Err = s.countVote(r, tallies, before, had, v.Choice); outcomes[i].Err != nil {
				continue
			}
			prior[k] = models.LiveVote{RoundID: v.RoundID, ParticipantID: v.ParticipantID, VoteID: v.VoteID, Choice: v.Choice}
			latest[k] = i
		}
		changed := make([]*models.LiveRound, 0, len(tallies))
		for id, t := range tallies {
			r := rounds[id]
			r.Seq++
			r.Tally = t.Encode()
			changed = append(changed, r)
			changes = append(changes, RoundUpdate{SessionID: r.SessionID, RoundID: id, Seq: r.Seq, State: r.State, Tally: *t})
		}
		if err := s.storeVotes(ctx, votes, outcomes, latest, changed); err != nil {
			return err
		}
		for i, v := range votes {
			if r := rounds[v.RoundID]; outcomes[i].Err == nil && r != nil {
				outcomes[i].Seq = r.Seq
			}
		}
		return nil
	})
	return outcomes, changes, err
}

// votedRounds locks the rounds a batch votes in.
func (s *Store) votedRounds(ctx context.Context, votes []VoteInput) (map[string]*models.LiveRound, error) {
	var ids []string
	for _, v := range votes {
		if models.IsID(v.RoundID) && !slices.Contains(ids, v.RoundID) {
			ids = append(ids, v.RoundID)
		}
	}
	out := map[string]*models.LiveRound{}
	if len(ids) == 0 {
		return out, nil
	}
	rounds, err := s.lockRounds(ctx, "id IN ?", ids)
	for i := range rounds {
		out[rounds[i].ID] = &rounds[i]
	}
	return out, err
}

// countVote moves a participant's vote in the round's running tally.
func (s *Store) countVote(r *models.LiveRound, tallies map[string]*tally.Tally, before models.LiveVote, had bool, choice []byte) error {
	spec := RoundSpec(*r)
	c, err := spec.Parse(choice)
	if err != nil {
		return err
	}
	t := tallies[r.ID]
	if t == nil {
		decoded, err := RoundTally(*r)
		if err != nil {
			return err
		}
		t = &decoded
		tallies[r.ID] = t
	}
	if had {
		old, err := spec.Parse(json.RawMessage(before.Choice))
		if err != nil {
			return fmt.Errorf("stored vote in round %s: %w", r.ID, err)
		}
		t.Remove(spec, old)
	}
	t.Add(spec, c)
	return nil
}

// LoadRounds returns a session's rounds with tallies rebuilt from their
// votes and hand counts. A stored tally that does not match (the database
// was edited by hand) is repaired under the next seq; the repaired rounds
// are returned too, so they can be announced.
func (s *Store) LoadRounds(ctx context.Context, sessionID string) (rounds []models.LiveRound, repaired []RoundUpdate, err error) {
	err = s.InTx(ctx, func(ctx context.Context) error {
		repaired = repaired[:0]
		if rounds, err = s.lockRounds(ctx, "session_id = ?", sessionID); err != nil || len(rounds) == 0 {
			return err
		}
		rebuilt, err := s.rebuild(ctx, rounds)
		if err != nil {
			return err
		}
		for i := range rounds {
			r := &rounds[i]
			stored, err := RoundTally(*r)
			if err != nil || !tally.Equal(stored, rebuilt[r.ID]) {
				if err := s.saveTally(ctx, r, rebuilt[r.ID]); err != nil {
					return err
				}
				repaired = append(repaired, RoundUpdate{SessionID: sessionID, RoundID: r.ID, Seq: r.Seq, State: r.State, Tally: rebuilt[r.ID]})
			}
		}
		return nil
	})
	slices.SortFunc(rounds, func(a, b models.LiveRound) int { return a.Position - b.Position })
	return rounds, repaired, err
}

// rebuild sums rounds' tallies from scratch.
func (s *Store) rebuild(ctx context.Context, rounds []models.LiveRound) (map[string]tally.Tally, error) {
	ids := make([]string, len(rounds))
	specs := map[string]tally.Spec{}
	for i, r := range rounds {
		ids[i], specs[r.ID] = r.ID, RoundSpec(r)
	}
	out := make(map[string]tally.Tally, len(rounds))
	var votes []models.LiveVote
	if err := s.conn(ctx).Select("round_id", "choice").Where("round_id IN ?", ids).Find(&votes).Error; err != nil {
		return nil, translate(err, "votes")
	}
	for _, v := range votes {
		c, err := specs[v.RoundID].Parse(json.RawMessage(v.Choice))
		if err != nil {
			return nil, fmt.Errorf("stored vote in round %s: %w", v.RoundID, err)
		}
		t := out[v.RoundID]
		t.Add(specs[v.RoundID], c)
		out[v.RoundID] = t
	}
	var hands []models.LiveHandCount
	if err := s.conn(ctx).Where("round_id IN ?", ids).Find(&hands).Error; err != nil {
		return nil, translate(err, "hand counts")
	}
	for _, h := range hands {
		t := out[h.RoundID]
		t.SetHand(map[string]int{h.Option: h.N})
		out[h.RoundID] = t
	}
	comments, err := s.commentCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, n := range comments {
		t := out[id]
		t.Voters += n
		out[id] = t
	}
	return out, nil
}

// SummaryRound is one round's results in a session summary.
type SummaryRound struct {
	ID         string         `json:"id"`
	Position   int            `json:"position"`
	Kind       string         `json:"kind"`
	Prompt     string         `json:"prompt"`
	Options    []string       `json:"options"`
	ProposalID *string        `json:"proposal_id"`
	FindingID  *string        `json:"finding_id,omitempty"`
	State      string         `json:"state"`
	Voters     int            `json:"voters"`
	Counts     map[string]int `json:"counts"`
	First      map[string]int `json:"first,omitempty"`
	HandCounts map[string]int `json:"hand_counts"`
}

// Summary is a session's stored results.
type Summary struct {
	SessionID string         `json:"session_id"`
	Title     string         `json:"title"`
	Language  string         `json:"language"`
	MinVoters int            `json:"min_voters"`
	Rounds    []SummaryRound `json:"rounds"`
}

// SummaryOf gives a round's results as the summary and the facilitator
// see them.
func SummaryOf(r models.LiveRound) (SummaryRound, error) {
	t, err := RoundTally(r)
	spec := RoundSpec(r)
	return SummaryRound{ID: r.ID, Position: r.Position, Kind: r.Kind, Prompt: r.Prompt, Options: r.Options,
		ProposalID: r.ProposalID, FindingID: r.FindingID, State: r.State, Voters: t.Voters, Counts: t.Counts(spec),
		First: t.FirstCounts(spec), HandCounts: t.HandCounts(spec)}, err
}

// EndLiveSession closes the session's open round, stores its summary and
// frees its join code. Ending an ended session changes nothing.
func (s *Store) EndLiveSession(ctx context.Context, orgID, sessionID string) (models.LiveSession, []models.LiveRound, error) {
	var (
		sess   models.LiveSession
		closed []models.LiveRound
	)
	err := s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if sess, err = s.LiveSession(ctx, orgID, sessionID); err != nil || sess.State == models.LiveEnded {
			return err
		}
		rounds, err := s.lockRounds(ctx, "session_id = ?", sessionID)
		if err != nil {
			return err
		}
		sum := Summary{SessionID: sess.ID, Title: sess.Title, Language: sess.Language}
		if sum.MinVoters, err = s.MinVoters(ctx, orgID); err != nil {
			return err
		}
		slices.SortFunc(rounds, func(a, b models.LiveRound) int { return a.Position - b.Position })
		for i := range rounds {
			if rounds[i].State == models.RoundOpen {
				if err := s.setState(ctx, &rounds[i], models.RoundClosed); err != nil {
					return err
				}
				closed = append(closed, rounds[i])
			}
			if err := s.recordRoundCheck(ctx, rounds[i]); err != nil {
				return err
			}
			sr, err := SummaryOf(rounds[i])
			if err != nil {
				return err
			}
			sum.Rounds = append(sum.Rounds, sr)
		}
		return s.storeSummary(ctx, &sess, sum)
	})
	return sess, closed, err
}

func (s *Store) storeSummary(ctx context.Context, sess *models.LiveSession, sum Summary) error {
	site, err := s.Site(ctx, sess.OrganizationID, sess.SiteID)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(site.TimeZone)
	if err != nil {
		return fmt.Errorf("site %s time zone: %w", site.ID, err)
	}
	body, err := json.Marshal(sum)
	if err != nil {
		return err
	}
	now := s.now()
	row := models.LiveSummary{SessionID: sess.ID, OrganizationID: sess.OrganizationID, SiteID: sess.SiteID,
		Day: models.DayOf(now, loc), Summary: body, CreatedAt: now}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return translate(err, "store session summary")
	}
	sess.State, sess.EndedAt = models.LiveEnded, &now
	err = s.conn(ctx).Model(&models.LiveSession{}).Where("id = ?", sess.ID).UpdateColumns(map[string]any{"state": sess.State, "ended_at": now}).Error
	return translate(err, "end live session")
}

// LiveSummary returns an ended session's stored summary.
func (s *Store) LiveSummary(ctx context.Context, orgID, sessionID string) (models.LiveSummary, error) {
	var sum models.LiveSummary
	err := s.conn(ctx).Where("organization_id = ? AND session_id = ?", orgID, sessionID).First(&sum).Error
	return sum, translate(err, "session summary")
}
