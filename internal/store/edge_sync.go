package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/models"
)

// EdgeText prepares a van's free text on arrival: scrubbed again, and the
// organization's urgent words found in it (they raise the alert here).
type EdgeText func(text string, urgentWords []string) (clean string, urgent []string)

// EdgeBatch is a batch as the API decoded it, with the hash of the whole
// request and of each item as received (for idempotency).
type EdgeBatch struct {
	Batch       edge.Batch
	RequestHash []byte
	ItemHashes  [][]byte
}

// ApplyEdgeBatch stores what a van recorded, all or nothing, exactly once:
// the same batch id again answers what it answered first (another body
// under that id is ErrIdempotencyMismatch), and an item id stored before
// is not stored again. Submissions are stored as kiosk submissions of the
// device's site, to be moderated here as usual; sessions as ended live
// sessions with their rounds' tallies and summary, never their votes;
// support answers as kiosk answers of the device's site.
func (s *Store) ApplyEdgeBatch(ctx context.Context, ea EdgeAuth, in EdgeBatch, prepare EdgeText) (edge.BatchResult, error) {
	var out edge.BatchResult
	apply := func() error {
		return s.InTx(ctx, func(ctx context.Context) error {
			var err error
			out, err = s.applyEdgeBatch(ctx, ea, in, prepare)
			return err
		})
	}
	err := apply()
	if errors.Is(err, ErrConflict) {
		// The same batch or item committed by a concurrent request: now
		// it is a replay.
		err = apply()
	}
	return out, err
}

func (s *Store) applyEdgeBatch(ctx context.Context, ea EdgeAuth, in EdgeBatch, prepare EdgeText) (edge.BatchResult, error) {
	b := in.Batch
	devID := ea.Device.ID
	var prior []models.EdgeBatch
	if err := s.conn(ctx).Where("device_id = ? AND batch_id = ?", devID, b.ID).Limit(1).Find(&prior).Error; err != nil {
		return edge.BatchResult{}, translate(err, "edge batch")
	}
	if len(prior) > 0 {
		if !bytes.Equal(prior[0].RequestHash, in.RequestHash) {
			return edge.BatchResult{}, ErrIdempotencyMismatch
		}
		var res edge.BatchResult
		return res, json.Unmarshal(prior[0].Response, &res)
	}
	if b.SiteID != ea.Site.ID {
		return edge.BatchResult{}, invalid("site_id", "is not this device's site")
	}
	org, err := s.Organization(ctx, ea.Device.OrganizationID)
	if err != nil {
		return edge.BatchResult{}, err
	}
	stored, err := s.edgeItems(ctx, devID, b.Items)
	if err != nil {
		return edge.BatchResult{}, err
	}
	v := &edgeValidator{s: s, org: org, site: ea.Site}
	if err := v.load(ctx); err != nil {
		return edge.BatchResult{}, err
	}
	res := edge.BatchResult{BatchID: b.ID, Items: make([]edge.ItemResult, len(b.Items))}
	var (
		subs  []*pendingSubmission
		items []models.EdgeItem
		seen  = map[string]bool{}
	)
	for i, it := range b.Items {
		field := fmt.Sprintf("items[%d]", i)
		if seen[it.ID] {
			return edge.BatchResult{}, invalid(field+".id", "repeats another item of this batch")
		}
		seen[it.ID] = true
		r := edge.ItemResult{ID: it.ID, Kind: it.Kind}
		if before, ok := stored[it.ID]; ok {
			if !bytes.Equal(before.RequestHash, in.ItemHashes[i]) || before.Kind != it.Kind {
				return edge.BatchResult{}, fmt.Errorf("%s: %w", field, ErrIdempotencyMismatch)
			}
			r.RefID = before.RefID
			res.Items[i] = r
			continue
		}
		switch {
		case it.Kind == edge.KindSubmission && it.Submission != nil && it.Session == nil && it.Support == nil:
			p, err := v.submission(field+".submission", devID, it, in.ItemHashes[i], prepare)
			if err != nil {
				return edge.BatchResult{}, err
			}
			subs = append(subs, p)
			r.RefID = p.sub.ID
		case it.Kind == edge.KindSession && it.Session != nil && it.Submission == nil && it.Support == nil:
			id, notes, err := v.session(ctx, field+".session", devID, *it.Session)
			if err != nil {
				return edge.BatchResult{}, err
			}
			r.RefID, r.Notes = id, notes
		case it.Kind == edge.KindSupport && it.Support != nil && it.Submission == nil && it.Session == nil:
			id, notes, err := v.support(ctx, field+".support", devID, it, in.ItemHashes[i])
			if err != nil {
				return edge.BatchResult{}, err
			}
			r.RefID, r.Notes = id, notes
		default:
			return edge.BatchResult{}, invalid(field, "must carry exactly the "+it.Kind+" its kind names")
		}
		items = append(items, models.EdgeItem{DeviceID: devID, ItemID: it.ID, Kind: it.Kind, RefID: r.RefID, RequestHash: in.ItemHashes[i]})
		res.Items[i] = r
	}
	if len(subs) > 0 {
		if err := s.insertSubmissions(ctx, subs, false); err != nil {
			return edge.BatchResult{}, err
		}
		if err := s.insertTexts(ctx, subs); err != nil {
			return edge.BatchResult{}, err
		}
	}
	if len(items) > 0 {
		if err := s.conn(ctx).CreateInBatches(&items, 200).Error; err != nil {
			return edge.BatchResult{}, translate(err, "record edge items")
		}
	}
	body, err := json.Marshal(res)
	if err != nil {
		return edge.BatchResult{}, err
	}
	loc, err := loadZone(ea.Site.TimeZone)
	if err != nil {
		return edge.BatchResult{}, fmt.Errorf("site %s time zone: %w", ea.Site.ID, err)
	}
	today := models.DayOf(s.now(), loc)
	row := models.EdgeBatch{DeviceID: devID, BatchID: b.ID, RequestHash: in.RequestHash, Response: body, ReceivedOn: today}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return edge.BatchResult{}, translate(err, "record edge batch")
	}
	err = s.conn(ctx).Model(&models.EdgeDevice{}).Where("id = ?", devID).UpdateColumn("last_sync_on", today).Error
	return res, translate(err, "edge device sync day")
}

// edgeItems returns the items of this batch the device sent before.
func (s *Store) edgeItems(ctx context.Context, deviceID string, items []edge.Item) (map[string]models.EdgeItem, error) {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	var rows []models.EdgeItem
	if err := s.conn(ctx).Where("device_id = ? AND item_id IN ?", deviceID, ids).Find(&rows).Error; err != nil {
		return nil, translate(err, "edge items")
	}
	out := make(map[string]models.EdgeItem, len(rows))
	for _, r := range rows {
		out[r.ItemID] = r
	}
	return out, nil
}

// edgeValidator checks a batch's items against what the main server owns.
type edgeValidator struct {
	s    *Store
	org  models.Organization
	site models.Site
	// codes are every category code of the organization by kind, retired
	// ones included: a van's answers from before a retirement are facts
	// of that day.
	codes     map[string]map[string]bool
	minVoters int
}

func (v *edgeValidator) load(ctx context.Context) error {
	var cats []models.Category
	if err := v.s.conn(ctx).Select("kind", "code").Where("organization_id = ?", v.org.ID).Find(&cats).Error; err != nil {
		return translate(err, "categories")
	}
	v.codes = map[string]map[string]bool{models.KindNeed: {}, models.KindStrength: {}}
	for _, c := range cats {
		if v.codes[c.Kind] != nil {
			v.codes[c.Kind][c.Code] = true
		}
	}
	v.minVoters = max(v.org.MinVoters, 1)
	return nil
}

// submission checks a van's submission and builds its rows. Its day is
// the van's, unless that day is already settled in the rollups (reports
// would never count it): then it is the day it arrived, as for a kiosk.
func (v *edgeValidator) submission(field, deviceID string, it edge.Item, itemHash []byte, prepare EdgeText) (*pendingSubmission, error) {
	in := it.Submission
	if !slices.Contains(catalog.Languages, in.Language) {
		return nil, invalid(field+".language", "must be one of: "+strings.Join(catalog.Languages, ", "))
	}
	for name, codes := range map[string][]string{"needs": in.Needs, "strengths": in.Strengths} {
		kind := models.KindNeed
		if name == "strengths" {
			kind = models.KindStrength
		}
		for j, c := range codes {
			if !v.codes[kind][c] {
				return nil, invalid(fmt.Sprintf("%s.%s[%d]", field, name, j), "is not a "+kind+" category of this program")
			}
		}
	}
	for j, c := range in.Priorities {
		if !slices.Contains(in.Needs, c) {
			return nil, invalid(fmt.Sprintf("%s.priorities[%d]", field, j), "must be one of the chosen needs")
		}
	}
	for q, band := range in.About {
		if bands, ok := catalog.About[q]; !ok || !slices.Contains(bands, band) {
			return nil, invalid(field+".about."+q, "is not a known question and answer")
		}
	}
	if in.ReceiptHash != nil && len(in.ReceiptHash) != sha256.Size {
		return nil, invalid(field+".receipt_hash", "must be a SHA-256")
	}
	day, err := v.day(in.Day)
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256([]byte("edge:" + deviceID + ":" + it.ID))
	p := &pendingSubmission{keyHash: key[:], requestHash: itemHash}
	channel := models.ChannelKiosk
	if in.Channel == models.ChannelPhone {
		channel = models.ChannelPhone
	}
	p.sub = models.Submission{ID: models.NewID(), OrganizationID: v.org.ID, SiteID: v.site.ID, Channel: channel,
		Language: in.Language, Day: day, Needs: nonNilCodes(in.Needs), Priorities: nonNilCodes(in.Priorities),
		Strengths: nonNilCodes(in.Strengths), About: in.About, IdempotencyKey: key[:], RequestHash: itemHash, ReceiptHash: in.ReceiptHash}
	if strings.TrimSpace(in.Text) != "" {
		clean, urgent := prepare(in.Text, v.org.UrgentWords)
		p.text = &models.FeedbackText{ID: models.NewID(), SubmissionID: p.sub.ID, OrganizationID: v.org.ID, SiteID: v.site.ID,
			Day: day, Body: clean, MayQuote: in.MayQuote, State: models.TextPending}
		p.urgent = urgent
	}
	return p, nil
}

// day settles the day a van recorded something under: the van's, unless
// reports have settled that day for good or it lies in the future (a
// clock ahead); then the day it arrived.
func (v *edgeValidator) day(sent models.Day) (models.Day, error) {
	loc, err := loadZone(v.site.TimeZone)
	if err != nil {
		return models.Day{}, fmt.Errorf("site %s time zone: %w", v.site.ID, err)
	}
	today := models.DayOf(v.s.now(), loc)
	if sent.IsZero() || sent.Time().Before(today.AddDays(-settledAfterDays).Time()) || sent.Time().After(today.Time()) {
		return today, nil
	}
	return sent, nil
}

// support checks a van kiosk's answer to "Do you support this?" and stores
// it as a kiosk answer of the device's site (no kiosk: the edge item
// records the device). The proposal must be the organization's and
// concern the site; one closed here while the van was away still takes
// the answer as evidence of that day, and the note says so.
func (v *edgeValidator) support(ctx context.Context, field, deviceID string, it edge.Item, itemHash []byte) (string, []string, error) {
	in := it.Support
	if !slices.Contains(SupportAnswers, in.Answer) {
		return "", nil, invalid(field+".answer", "must be one of: "+strings.Join(SupportAnswers, ", "))
	}
	var p []models.Proposal
	if models.IsID(in.ProposalID) {
		err := v.s.conn(ctx).Select("id", "status").Where("organization_id = ? AND id = ?", v.org.ID, in.ProposalID).
			Where(concernsSite, v.site.ID).Limit(1).Find(&p).Error
		if err != nil {
			return "", nil, translate(err, "proposal")
		}
	}
	if len(p) == 0 || p[0].Status == models.StatusDraft {
		return "", nil, invalid(field+".proposal_id", "is not a proposal of this program for this site")
	}
	var notes []string
	if p[0].Status != models.StatusOpen {
		notes = append(notes, fmt.Sprintf("proposal %s is %s here, no longer open; the answer is kept as evidence of that day",
			p[0].ID, p[0].Status))
	}
	day, err := v.day(in.Day)
	if err != nil {
		return "", nil, err
	}
	key := sha256.Sum256([]byte("edge:" + deviceID + ":" + it.ID))
	row := models.ProposalSupport{ID: models.NewID(), OrganizationID: v.org.ID, ProposalID: p[0].ID, SiteID: v.site.ID,
		Day: day, Answer: in.Answer, IdempotencyKey: key[:], RequestHash: itemHash}
	if err := v.s.conn(ctx).Create(&row).Error; err != nil {
		return "", nil, translate(err, "store van support answer")
	}
	return row.ID, notes, nil
}

// settledAfterDays matches report's settleDays: a day older than this is
// rolled up for good, so a submission must not be stored under it.
const settledAfterDays = 1

// edgeLiveSession is live_sessions with the columns only van sessions fill.
type edgeLiveSession struct {
	models.LiveSession
	EdgeDeviceID *string
	Participants *int
}

func (edgeLiveSession) TableName() string { return "live_sessions" }

// session checks a van session's summary and stores it as an ended session
// of the device's site: rounds with their tallies (so agree rounds tied to
// a proposal count toward its support as on this server), hand counts, and
// the summary staff read. No participant or vote rows.
func (v *edgeValidator) session(ctx context.Context, field, deviceID string, in edge.Session) (string, []string, error) {
	s := v.s
	if strings.TrimSpace(in.Title) == "" {
		return "", nil, invalid(field+".title", "must be 1 to 200 characters")
	}
	if !slices.Contains(catalog.Languages, in.Language) {
		return "", nil, invalid(field+".language", "must be one of: "+strings.Join(catalog.Languages, ", "))
	}
	if in.EndedAt.IsZero() || in.StartedAt.IsZero() || in.EndedAt.Before(in.StartedAt) {
		return "", nil, invalid(field+".ended_at", "must follow started_at")
	}
	sessID := models.NewID()
	// A van's clock may run ahead while it has no network: a meeting
	// cannot have ended after it arrived.
	started, ended := in.StartedAt.UTC(), in.EndedAt.UTC()
	if now := s.now().UTC(); ended.After(now) {
		started, ended = now.Add(-ended.Sub(started)), now
	}
	row := edgeLiveSession{LiveSession: models.LiveSession{ID: sessID, OrganizationID: v.org.ID, SiteID: v.site.ID,
		Title: strings.TrimSpace(in.Title), Language: in.Language, Code: "EDGE00", State: models.LiveEnded,
		CreatedAt: started, EndedAt: &ended, RoomSize: in.RoomSize}, EdgeDeviceID: &deviceID, Participants: &in.Participants}
	var (
		rounds []models.LiveRound
		hands  []models.LiveHandCount
		notes  []string
		sum    = Summary{SessionID: sessID, Title: row.Title, Language: in.Language, MinVoters: v.minVoters}
		pos    = map[int]bool{}
	)
	for j, r := range in.Rounds {
		rf := fmt.Sprintf("%s.rounds[%d]", field, j)
		if pos[r.Position] {
			return "", nil, invalid(rf+".position", "repeats another round's position")
		}
		pos[r.Position] = true
		lr, note, err := v.round(ctx, rf, sessID, in.Participants, r)
		if err != nil {
			return "", nil, err
		}
		if note != "" {
			notes = append(notes, note)
		}
		rounds = append(rounds, lr)
		for o, n := range r.Tally.Hand {
			hands = append(hands, models.LiveHandCount{RoundID: lr.ID, Option: o, N: n, UpdatedAt: ended})
		}
		sr, err := SummaryOf(lr)
		if err != nil {
			return "", nil, err
		}
		sum.Rounds = append(sum.Rounds, sr)
	}
	slices.SortFunc(sum.Rounds, func(a, b SummaryRound) int { return a.Position - b.Position })
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return "", nil, translate(err, "store van session")
	}
	if len(rounds) > 0 {
		if err := s.conn(ctx).Create(&rounds).Error; err != nil {
			return "", nil, translate(err, "store van rounds")
		}
	}
	if len(hands) > 0 {
		if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&hands).Error; err != nil {
			return "", nil, translate(err, "store van hand counts")
		}
	}
	loc, err := loadZone(v.site.TimeZone)
	if err != nil {
		return "", nil, fmt.Errorf("site %s time zone: %w", v.site.ID, err)
	}
	body, err := json.Marshal(sum)
	if err != nil {
		return "", nil, err
	}
	summary := models.LiveSummary{SessionID: sessID, OrganizationID: v.org.ID, SiteID: v.site.ID,
		Day: models.DayOf(ended, loc), Summary: body, CreatedAt: s.now()}
	if err := s.conn(ctx).Create(&summary).Error; err != nil {
		return "", nil, translate(err, "store van session summary")
	}
	return sessID, notes, nil
}
