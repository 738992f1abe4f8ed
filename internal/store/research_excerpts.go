package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/models"
)

// ExcerptView is an excerpt with its text, as a coder reads it.
type ExcerptView struct {
	ID     string     `json:"id"`
	SiteID string     `json:"site_id"`
	Day    models.Day `json:"day"`
	Kind   string     `json:"kind"`
	Title  string     `json:"title"`
	Text   string     `json:"text"`
	// For the coder asking: whether the excerpt is theirs to code, in an
	// overlap sample, and submitted.
	Assigned  bool `json:"assigned"`
	Sample    bool `json:"sample"`
	Submitted bool `json:"submitted"`
}

// ExcerptFilter narrows the workspace's list. Empty fields do not filter.
type ExcerptFilter struct {
	SiteID, Kind, CodeID, Query string
	From, To                    *models.Day
	// AssignedOnly keeps the excerpts assigned to the viewer.
	AssignedOnly  bool
	Limit, Offset int
}

// noOne is an identifier no row has.
const noOne = "00000000-0000-0000-0000-000000000000"

// previewRunes is how much of a long text the list shows.
const previewRunes = 400

// excerptBody is an excerpt's text: the moderated kiosk text it refers to,
// or its own scrubbed body.
const excerptBody = "COALESCE(feedback_texts.body, research_excerpts.body)"

// SyncExcerpts makes an excerpt of every approved or redacted text that
// has none yet: a kiosk's, or a live session's comment (kind 'comment',
// titled with the session's title). Either keeps its site and day, and the
// text itself is not copied (see the migration).
func (s *Store) SyncExcerpts(ctx context.Context, orgID string) error {
	var missing []struct {
		ID, SiteID string
		Day        models.Day
		// Session is the title of a comment's live session; nil for a
		// kiosk text.
		Session *string
	}
	err := s.conn(ctx).Table("feedback_texts").
		Select("feedback_texts.id, feedback_texts.site_id, feedback_texts.day, live_sessions.title AS session").
		Joins("LEFT JOIN live_rounds ON live_rounds.id = feedback_texts.live_round_id").
		Joins("LEFT JOIN live_sessions ON live_sessions.id = live_rounds.session_id").
		Where("feedback_texts.organization_id = ? AND feedback_texts.state IN ('approved', 'redacted')", orgID).
		Where("NOT EXISTS (SELECT 1 FROM research_excerpts e WHERE e.feedback_text_id = feedback_texts.id)").
		Scan(&missing).Error
	if err != nil || len(missing) == 0 {
		return translate(err, "find new excerpts")
	}
	rows := make([]models.ResearchExcerpt, len(missing))
	for i, m := range missing {
		id := m.ID
		rows[i] = models.ResearchExcerpt{ID: models.NewID(), OrganizationID: orgID, SiteID: m.SiteID, Day: m.Day,
			Kind: models.ExcerptKiosk, FeedbackTextID: &id, CreatedAt: s.now()}
		if m.Session != nil {
			rows[i].Kind, rows[i].Title = models.ExcerptComment, *m.Session
		}
	}
	// Two workspaces syncing at once may race for the same text: the
	// unique feedback_text_id makes the loser's insert fail, harmlessly.
	err = s.conn(ctx).CreateInBatches(rows, 200).Error
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "unique") {
		return nil
	}
	return translate(err, "create excerpts")
}

// readable starts a query over the excerpts a coder may read: transcripts,
// session notes, and kiosk texts and live comments while they stay approved
// or redacted.
func (s *Store) readable(ctx context.Context, orgID string) *gorm.DB {
	return s.conn(ctx).Table("research_excerpts").
		Joins("LEFT JOIN feedback_texts ON feedback_texts.id = research_excerpts.feedback_text_id").
		Where("research_excerpts.organization_id = ?", orgID).
		Where("(research_excerpts.kind IN ('transcript', 'notes') OR feedback_texts.state IN ('approved', 'redacted'))")
}

// excerpts is readable with the viewer's own assignment joined (as mine).
func (s *Store) excerpts(ctx context.Context, orgID, viewerID string) *gorm.DB {
	if viewerID == "" {
		viewerID = noOne // a uuid column takes no empty string
	}
	return s.readable(ctx, orgID).
		Joins("LEFT JOIN research_assignments mine ON mine.excerpt_id = research_excerpts.id AND mine.coder_id = ?", viewerID)
}

const excerptColumns = "research_excerpts.id, research_excerpts.site_id, research_excerpts.day, research_excerpts.kind, research_excerpts.title, " +
	"mine.coder_id IS NOT NULL AS assigned, mine.sample_id IS NOT NULL AS sample, mine.submitted_at IS NOT NULL AS submitted"

// excerptOrder is the workspace's order, newest day first; the index
// research_excerpts_page (organization_id, day, id) serves it backwards.
const excerptOrder = "research_excerpts.day DESC, research_excerpts.id DESC"

// Excerpts lists excerpts for the workspace, newest day first, with a
// preview of each text, and how many match in all. It pages on
// identifiers first, so only the page's rows carry their text.
func (s *Store) Excerpts(ctx context.Context, orgID, viewerID string, f ExcerptFilter) ([]ExcerptView, int64, error) {
	if err := s.SyncExcerpts(ctx, orgID); err != nil {
		return nil, 0, err
	}
	q := s.readable(ctx, orgID)
	if f.AssignedOnly {
		q = q.Where("EXISTS (SELECT 1 FROM research_assignments a WHERE a.excerpt_id = research_excerpts.id AND a.coder_id = ?)", viewerID)
	}
	if f.SiteID != "" {
		q = q.Where("research_excerpts.site_id = ?", f.SiteID)
	}
	if f.Kind != "" {
		q = q.Where("research_excerpts.kind = ?", f.Kind)
	}
	if f.From != nil {
		q = q.Where("research_excerpts.day >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("research_excerpts.day <= ?", *f.To)
	}
	if f.CodeID != "" {
		// Only codings the viewer may see: their own, and others' on an
		// excerpt that is not blind for them (blindFor) — a filter must not
		// tell a blind coder which excerpts the others coded.
		q = q.Where("research_excerpts.id IN (SELECT codings.excerpt_id FROM codings WHERE codings.organization_id = ? AND codings.code_id = ? AND (codings.coder_id = ? OR NOT "+blindFor+"))",
			orgID, f.CodeID, viewerID, viewerID)
	}
	if term := strings.TrimSpace(f.Query); term != "" {
		q = q.Where("LOWER("+excerptBody+") LIKE ? ESCAPE '\\'", "%"+likeEscape(strings.ToLower(term))+"%")
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count excerpts")
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var ids []string
	err := q.Order(excerptOrder).Limit(limit).Offset(max(f.Offset, 0)).Pluck("research_excerpts.id", &ids).Error
	if err != nil || len(ids) == 0 {
		return []ExcerptView{}, total, translate(err, "excerpt page")
	}
	var out []ExcerptView
	err = s.excerpts(ctx, orgID, viewerID).Select(excerptColumns+", SUBSTR("+excerptBody+", 1, ?) AS text", previewRunes).
		Where("research_excerpts.id IN ?", ids).Order(excerptOrder).Scan(&out).Error
	return out, total, translate(err, "excerpts")
}

// Excerpt returns one excerpt with its whole text.
func (s *Store) Excerpt(ctx context.Context, orgID, viewerID, id string) (ExcerptView, error) {
	var out []ExcerptView
	if !models.IsID(id) {
		return ExcerptView{}, translate(errNotFound, "excerpt")
	}
	err := s.excerpts(ctx, orgID, viewerID).Select(excerptColumns+", "+excerptBody+" AS text").
		Where("research_excerpts.id = ?", id).Scan(&out).Error
	if err == nil && len(out) == 0 {
		err = errNotFound
	}
	if err != nil {
		return ExcerptView{}, translate(err, "excerpt")
	}
	return out[0], nil
}

// MaxTranscriptRunes is the longest transcript, after scrubbing, that an
// upload may hold.
const MaxTranscriptRunes = 200000

// ImportTranscript stores an uploaded transcript. text must already be
// scrubbed: the store never sees the original.
func (a Actor) ImportTranscript(ctx context.Context, orgID, siteID string, day models.Day, title, text string, removed int) (ExcerptView, error) {
	var out ExcerptView
	title = strings.TrimSpace(title)
	switch {
	case len([]rune(title)) > 200:
		return out, invalid("title", "must be at most 200 characters")
	case strings.TrimSpace(text) == "":
		return out, invalid("text", "is empty")
	case len([]rune(text)) > MaxTranscriptRunes:
		return out, invalid("text", "must be at most 200,000 characters")
	case day.IsZero() || day.Time().After(a.s.now().Add(24*time.Hour)):
		return out, invalid("day", "must be a day that has come")
	}
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		if _, err := a.s.Site(ctx, orgID, siteID); err != nil {
			return invalid("site_id", "must be one of your sites")
		}
		e := models.ResearchExcerpt{ID: models.NewID(), OrganizationID: orgID, SiteID: siteID, Day: day,
			Kind: models.ExcerptTranscript, Title: title, Body: &text, CreatedAt: a.s.now()}
		if err := a.s.conn(ctx).Create(&e).Error; err != nil {
			return translate(err, "create transcript")
		}
		var err error
		if out, err = a.s.Excerpt(ctx, orgID, a.userID(), e.ID); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditTranscript, "excerpt", e.ID, models.Bands{"removed": strconv.Itoa(removed)})
	})
	return out, err
}

// likeEscape makes a search term match itself only in LIKE.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
