package edge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/models"
)

// collectChunk bounds how many records one collection reads at a time.
const collectChunk = 500

// Collect puts what the van recorded and has not queued yet into the
// outbox, each with its payload frozen: kiosk submissions (with their
// already scrubbed text), kiosk answers to "Do you support this?" and the
// summaries of ended live sessions. It
// reads the van's own tables, so the kiosk and live code need not know
// about van mode. It returns how many items it queued.
func Collect(ctx context.Context, db *gorm.DB) (int, error) {
	n := 0
	for {
		k, err := collectSubmissions(ctx, db)
		n += k
		if err != nil || k < collectChunk {
			if err != nil {
				return n, err
			}
			break
		}
	}
	for {
		k, err := collectSupport(ctx, db)
		n += k
		if err != nil {
			return n, err
		}
		if k < collectChunk {
			break
		}
	}
	k, err := collectSessions(ctx, db)
	return n + k, err
}

// collectSupport queues the van kiosk's answers to "Do you support this?"
// not queued yet: the proposal, the answer and the day, never the kiosk.
func collectSupport(ctx context.Context, db *gorm.DB) (int, error) {
	var answers []models.ProposalSupport
	err := db.WithContext(ctx).Where("NOT EXISTS (SELECT 1 FROM edge_outbox o WHERE o.ref_id = proposal_support.id)").
		Order("id").Limit(collectChunk).Find(&answers).Error
	if err != nil || len(answers) == 0 {
		return 0, wrap(err, "read support answers to queue")
	}
	rows := make([]models.EdgeOutboxItem, 0, len(answers))
	for _, a := range answers {
		body, err := json.Marshal(Item{ID: a.ID, Kind: KindSupport, Support: &Support{ProposalID: a.ProposalID, Answer: a.Answer, Day: a.Day}})
		if err != nil {
			return 0, err
		}
		rows = append(rows, models.EdgeOutboxItem{ItemID: a.ID, Kind: KindSupport, RefID: a.ID, Payload: body})
	}
	err = db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 200).Error
	return len(rows), wrap(err, "queue support answers")
}

func collectSubmissions(ctx context.Context, db *gorm.DB) (int, error) {
	var subs []models.Submission
	err := db.WithContext(ctx).Where("NOT EXISTS (SELECT 1 FROM edge_outbox o WHERE o.ref_id = submissions.id)").
		Order("id").Limit(collectChunk).Find(&subs).Error
	if err != nil || len(subs) == 0 {
		return 0, wrap(err, "read submissions to queue")
	}
	ids := make([]string, len(subs))
	for i, s := range subs {
		ids[i] = s.ID
	}
	var texts []models.FeedbackText
	if err := db.WithContext(ctx).Where("submission_id IN ?", ids).Find(&texts).Error; err != nil {
		return 0, wrap(err, "read free text to queue")
	}
	textOf := map[string]models.FeedbackText{}
	for _, t := range texts {
		textOf[t.SubmissionID] = t
	}
	rows := make([]models.EdgeOutboxItem, 0, len(subs))
	for _, s := range subs {
		p := Submission{Day: s.Day, Channel: s.Channel, Language: s.Language, Needs: s.Needs, Priorities: s.Priorities, Strengths: s.Strengths,
			About: s.About, ReceiptHash: s.ReceiptHash}
		if t, ok := textOf[s.ID]; ok {
			p.Text, p.MayQuote = t.Body, t.MayQuote
		}
		body, err := json.Marshal(Item{ID: s.ID, Kind: KindSubmission, Submission: &p})
		if err != nil {
			return 0, err
		}
		rows = append(rows, models.EdgeOutboxItem{ItemID: s.ID, Kind: KindSubmission, RefID: s.ID, Payload: body})
	}
	err = db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 200).Error
	return len(rows), wrap(err, "queue submissions")
}

// collectSessions queues the summary of every ended session not queued
// yet: its rounds' definitions and tallies, and how many took part.
func collectSessions(ctx context.Context, db *gorm.DB) (int, error) {
	var sessions []models.LiveSession
	err := db.WithContext(ctx).Where("state = ? AND NOT EXISTS (SELECT 1 FROM edge_outbox o WHERE o.ref_id = live_sessions.id)", models.LiveEnded).
		Order("id").Find(&sessions).Error
	if err != nil || len(sessions) == 0 {
		return 0, wrap(err, "read sessions to queue")
	}
	n := 0
	for _, s := range sessions {
		item, err := sessionItem(ctx, db, s)
		if err != nil {
			return n, err
		}
		body, err := json.Marshal(item)
		if err != nil {
			return n, err
		}
		row := models.EdgeOutboxItem{ItemID: s.ID, Kind: KindSession, RefID: s.ID, Payload: body}
		if err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return n, wrap(err, "queue session")
		}
		n++
	}
	return n, nil
}

func sessionItem(ctx context.Context, db *gorm.DB, s models.LiveSession) (Item, error) {
	var people int64
	if err := db.WithContext(ctx).Model(&models.LiveParticipant{}).Where("session_id = ?", s.ID).Count(&people).Error; err != nil {
		return Item{}, wrap(err, "count participants")
	}
	var rounds []models.LiveRound
	if err := db.WithContext(ctx).Where("session_id = ?", s.ID).Order("position").Find(&rounds).Error; err != nil {
		return Item{}, wrap(err, "read rounds")
	}
	ended := time.Now().UTC()
	if s.EndedAt != nil {
		ended = *s.EndedAt
	}
	sess := Session{Title: s.Title, Language: s.Language, StartedAt: s.CreatedAt.UTC(), EndedAt: ended.UTC(),
		Participants: int(people), RoomSize: s.RoomSize, Rounds: []Round{}}
	for _, r := range rounds {
		t, err := tally.Decode(r.Tally)
		if err != nil {
			return Item{}, fmt.Errorf("round %s: %w", r.ID, err)
		}
		state := r.State
		if state == models.RoundOpen {
			state = models.RoundClosed
		}
		sess.Rounds = append(sess.Rounds, Round{Position: r.Position, Kind: r.Kind, Prompt: r.Prompt, Options: r.Options,
			ProposalID: r.ProposalID, MaxRank: r.MaxRank, Dots: r.Dots, State: state, Tally: t})
	}
	return Item{ID: s.ID, Kind: KindSession, Session: &sess}, nil
}

func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
