package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/models"
)

// Batch limits: a batch stays well under the API's 1 MiB body limit.
const (
	batchItems = 200
	batchBytes = 600 << 10
)

// Syncer moves the van's outbox upstream and the upstream's state down,
// whenever upstream answers.
type Syncer struct {
	DB     *gorm.DB
	Client *Client
	Log    *slog.Logger
	// Every is how often it tries when all went well; after a failure it
	// waits twice as long each time, up to MaxBackoff.
	Every      time.Duration
	MaxBackoff time.Duration
	Now        func() time.Time
}

// Run syncs until ctx ends.
func (s *Syncer) Run(ctx context.Context) {
	wait := s.Every
	for {
		err := s.Once(ctx)
		switch {
		case err == nil:
			wait = s.Every
		case errors.Is(err, ErrRevoked):
			wait = s.MaxBackoff
		default:
			wait = min(max(wait*2, s.Every), s.MaxBackoff)
		}
		if err != nil && ctx.Err() == nil {
			s.Log.Warn("edge sync", "error", err, "next_try_in", wait)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Once queues what is new, pulls the state, and sends every waiting batch,
// recording on the link whether upstream answered.
func (s *Syncer) Once(ctx context.Context) error {
	if _, err := Collect(ctx, s.DB); err != nil {
		return err
	}
	err := s.exchange(ctx)
	if ctx.Err() != nil {
		return err
	}
	var refused *RefusedError
	online := err == nil || errors.As(err, &refused)
	up := map[string]any{"online": online, "revoked": errors.Is(err, ErrRevoked), "last_error": ""}
	if err != nil {
		up["last_error"] = err.Error()
	}
	if err == nil {
		up["synced_at"] = s.Now().UTC()
	}
	if uerr := s.DB.WithContext(ctx).Model(&models.EdgeLink{}).Where("id = 1").Updates(up).Error; uerr != nil {
		return errors.Join(err, uerr)
	}
	return err
}

func (s *Syncer) exchange(ctx context.Context) error {
	if err := s.pull(ctx); err != nil {
		return err
	}
	for {
		b, err := s.nextBatch(ctx)
		if err != nil || b == nil {
			return err
		}
		res, err := s.Client.Send(ctx, *b)
		var refused *RefusedError
		if errors.As(err, &refused) && refused.Status == http.StatusBadRequest {
			// One item upstream will never take must not hold back the
			// rest: it is set aside (kept here, shown on the console) and
			// the others go in a new batch.
			if aerr := s.setAside(ctx, *b, refused); aerr != nil {
				return errors.Join(err, aerr)
			}
		}
		if err != nil {
			return fmt.Errorf("batch %s: %w", b.ID, err)
		}
		if err := s.confirm(ctx, *b, res); err != nil {
			return err
		}
	}
}

// pull mirrors upstream's state when it changed since the last pull, and
// keeps it as pulled (the console and the next comparison read it).
func (s *Syncer) pull(ctx context.Context) error {
	st, err := s.Client.State(ctx)
	if err != nil {
		return err
	}
	body, err := json.Marshal(st)
	if err != nil {
		return err
	}
	link, _, err := Link(ctx, s.DB)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	if bytes.Equal(link.State, body) {
		return wrap(s.DB.WithContext(ctx).Model(&models.EdgeLink{}).Where("id = 1").Update("pulled_at", now).Error, "edge link")
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := mirror(tx, st, now); err != nil {
			return err
		}
		return wrap(tx.Model(&models.EdgeLink{}).Where("id = 1").Update("state", models.RawJSON(body)).Error, "edge link")
	})
}

// nextBatch is the batch that was sent but not confirmed (sent again as it
// was, so upstream answers it as a replay), or a new one of waiting items,
// its id stored before it is sent; nil when nothing waits.
func (s *Syncer) nextBatch(ctx context.Context) (*Batch, error) {
	link, _, err := Link(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var pending []models.EdgeOutboxItem
	err = s.DB.WithContext(ctx).Where("confirmed_at IS NULL AND batch_id IS NOT NULL AND batch_id <> ?", SetAside).Order("batch_id, item_id").Limit(1).Find(&pending).Error
	if err != nil {
		return nil, wrap(err, "read outbox")
	}
	if len(pending) == 0 {
		id := models.NewID()
		err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var waiting []models.EdgeOutboxItem
			if err := tx.Select("item_id", "payload").Where("confirmed_at IS NULL AND batch_id IS NULL").Order("item_id").
				Limit(batchItems).Find(&waiting).Error; err != nil {
				return err
			}
			var ids []string
			size := 0
			for _, w := range waiting {
				if size += len(w.Payload); size > batchBytes && len(ids) > 0 {
					break
				}
				ids = append(ids, w.ItemID)
			}
			if len(ids) == 0 {
				id = ""
				return nil
			}
			return tx.Model(&models.EdgeOutboxItem{}).Where("item_id IN ?", ids).Update("batch_id", id).Error
		})
		if err != nil || id == "" {
			return nil, wrap(err, "form a batch")
		}
		pending = []models.EdgeOutboxItem{{BatchID: &id}}
	}
	batchID := *pending[0].BatchID
	var items []models.EdgeOutboxItem
	if err := s.DB.WithContext(ctx).Where("batch_id = ?", batchID).Order("item_id").Find(&items).Error; err != nil {
		return nil, wrap(err, "read batch")
	}
	b := &Batch{ID: batchID, SiteID: link.SiteID}
	for _, it := range items {
		var item Item
		if err := jsonUnmarshal(it.Payload, &item); err != nil {
			return nil, fmt.Errorf("outbox item %s: %w", it.ItemID, err)
		}
		b.Items = append(b.Items, item)
	}
	return b, nil
}

// SetAside is the batch id of items upstream refused: kept on the van,
// never sent again by themselves, counted on the console.
const SetAside = "set-aside"

var refusedItem = regexp.MustCompile(`^items\[(\d+)\]`)

// setAside takes the items a refusal names out of their batch, and frees
// the batch's other items for a new batch (the old id cannot carry another
// body). A refusal of the batch as a whole (its site) sets nothing aside.
func (s *Syncer) setAside(ctx context.Context, b Batch, refused *RefusedError) error {
	var bad []string
	for field := range refused.Fields {
		if m := refusedItem.FindStringSubmatch(field); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(b.Items) {
				bad = append(bad, b.Items[i].ID)
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	s.Log.Warn("edge sync: upstream refused an item; it is kept here and set aside", "items", bad, "error", refused.Error())
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&models.EdgeOutboxItem{}).Where("item_id IN ?", bad).Update("batch_id", SetAside).Error; err != nil {
			return wrap(err, "set aside")
		}
		return wrap(tx.Model(&models.EdgeOutboxItem{}).Where("batch_id = ?", b.ID).Update("batch_id", nil).Error, "free batch")
	})
}

// confirm marks a batch's items as stored upstream, then deletes what the
// van no longer needs to hold: a sent submission and its text, a sent
// answer to "Do you support this?", and a session's participant tokens
// and individual votes (its rounds' tallies and summary stay). The outbox keeps each item's id, not its content.
func (s *Syncer) confirm(ctx context.Context, b Batch, res BatchResult) error {
	if res.BatchID != b.ID || len(res.Items) != len(b.Items) {
		return fmt.Errorf("batch %s: upstream answered for batch %q with %d items", b.ID, res.BatchID, len(res.Items))
	}
	for _, r := range res.Items {
		for _, n := range r.Notes {
			s.Log.Info("edge sync note", "item", r.ID, "note", n)
		}
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var subs, sessions, answers []string
		for _, it := range b.Items {
			switch it.Kind {
			case KindSubmission:
				subs = append(subs, it.ID)
			case KindSupport:
				answers = append(answers, it.ID)
			default:
				sessions = append(sessions, it.ID)
			}
		}
		if err := tx.Model(&models.EdgeOutboxItem{}).Where("batch_id = ?", b.ID).
			Updates(map[string]any{"confirmed_at": s.Now().UTC(), "payload": "{}"}).Error; err != nil {
			return wrap(err, "confirm batch")
		}
		if len(subs) > 0 {
			if err := tx.Where("id IN ?", subs).Delete(&models.Submission{}).Error; err != nil {
				return wrap(err, "delete sent submissions")
			}
		}
		if len(answers) > 0 {
			if err := tx.Where("id IN ?", answers).Delete(&models.ProposalSupport{}).Error; err != nil {
				return wrap(err, "delete sent support answers")
			}
		}
		return PurgeSessions(tx, sessions)
	})
}

// PurgeSessions deletes the participant tokens, shared-device keys and
// individual votes of sessions whose summary upstream confirmed.
func PurgeSessions(tx *gorm.DB, sessionIDs []string) error {
	if len(sessionIDs) == 0 {
		return nil
	}
	rounds := tx.Model(&models.LiveRound{}).Select("id").Where("session_id IN ?", sessionIDs)
	if err := tx.Where("round_id IN (?)", rounds).Delete(&models.LiveVote{}).Error; err != nil {
		return wrap(err, "delete votes")
	}
	if err := tx.Where("session_id IN ?", sessionIDs).Delete(&models.LiveSharedDevice{}).Error; err != nil {
		return wrap(err, "delete shared devices")
	}
	return wrap(tx.Where("session_id IN ?", sessionIDs).Delete(&models.LiveParticipant{}).Error, "delete participants")
}
