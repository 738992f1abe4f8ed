package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/models"
)

// A facilitator's notes on a live session are a source for the research
// loop (issue 15). They are kept in one place only: the session's research
// excerpt of kind 'notes', with the session's site, day and title. Saving
// writes the excerpt at once, during the meeting or after it (notes are
// often written once people have gone home), so coders see the latest
// notes; once a coder has coded them or submitted them, their character
// offsets must hold, and the notes can no longer change.

// MaxNotesRunes is the longest session notes, in characters.
const MaxNotesRunes = 20000

// AuditNotesSaved records that a session's notes were saved (never their
// text: how many identifiers were taken out, and their length in
// characters).
const AuditNotesSaved = "research.notes_saved"

// ErrNotesCoded refuses a change to notes that a coder has coded or
// submitted: their codes point at characters of the text as it is.
var ErrNotesCoded = errors.New("session notes already coded")

// SessionNotes is a session's notes as its facilitator reads them.
type SessionNotes struct {
	SessionID string `json:"session_id"`
	// ExcerptID is the notes' research excerpt; nil while there are none.
	ExcerptID *string    `json:"excerpt_id"`
	SiteID    string     `json:"site_id"`
	Day       models.Day `json:"day"`
	Title     string     `json:"title"`
	// Text is already scrubbed: the original was never stored.
	Text string `json:"text"`
	// Locked is true once a coder has coded or submitted the notes.
	Locked bool `json:"locked"`
}

// SessionNotes returns a session of the organization's notes ("" while
// there are none).
func (s *Store) SessionNotes(ctx context.Context, orgID, sessionID string) (SessionNotes, error) {
	sess, err := s.LiveSession(ctx, orgID, sessionID)
	if err != nil {
		return SessionNotes{}, err
	}
	ex, err := s.notesExcerpt(ctx, sess.ID, false)
	if err != nil {
		return SessionNotes{}, err
	}
	return s.notesView(ctx, sess, ex)
}

// SaveSessionNotes replaces a session's notes. text must already be
// scrubbed (removed is how many identifiers the scrubber took out): the
// store never sees the original. Blank text removes the notes. Notes that
// a coder has coded or submitted are refused with ErrNotesCoded unless
// the text is unchanged.
func (a Actor) SaveSessionNotes(ctx context.Context, orgID, sessionID, text string, removed int) (SessionNotes, error) {
	var out SessionNotes
	if utf8.RuneCountInString(text) > MaxNotesRunes {
		return out, invalid("text", "must be at most 20,000 characters")
	}
	blank := strings.TrimSpace(text) == ""
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		sess, err := a.s.LiveSession(ctx, orgID, sessionID)
		if err != nil {
			return err
		}
		// The row lock makes a coding committed meanwhile visible to the
		// check below (PostgreSQL: FOR UPDATE waits for the coding's key
		// share lock); SQLite runs one writer at a time.
		ex, err := a.s.notesExcerpt(ctx, sess.ID, true)
		if err != nil {
			return err
		}
		if ex != nil && ex.Body != nil && *ex.Body == text {
			out, err = a.s.notesView(ctx, sess, ex)
			return err
		}
		if ex != nil {
			if coded, err := a.s.notesCoded(ctx, ex.ID); err != nil || coded {
				return errors.Join(err, codedError(coded))
			}
		}
		switch {
		case ex == nil && blank:
			out, err = a.s.notesView(ctx, sess, nil)
			return err
		case ex == nil:
			if ex, err = a.s.createNotes(ctx, sess, text); err != nil {
				return err
			}
		case blank:
			if err := a.s.conn(ctx).Delete(&models.ResearchExcerpt{}, "id = ?", ex.ID).Error; err != nil {
				return translate(err, "remove session notes")
			}
			ex = nil
		default:
			err := a.s.conn(ctx).Model(&models.ResearchExcerpt{}).Where("id = ?", ex.ID).
				UpdateColumns(map[string]any{"body": text, "title": sess.Title}).Error
			if err != nil {
				return translate(err, "update session notes")
			}
			ex.Body, ex.Title = &text, sess.Title
		}
		if out, err = a.s.notesView(ctx, sess, ex); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditNotesSaved, "live_session", sess.ID, models.Bands{
			"removed": strconv.Itoa(removed), "characters": strconv.Itoa(utf8.RuneCountInString(text))})
	})
	return out, err
}

func codedError(coded bool) error {
	if coded {
		return ErrNotesCoded
	}
	return nil
}

// notesExcerpt returns a session's notes excerpt, or nil, locking its row
// for update when lock is set.
func (s *Store) notesExcerpt(ctx context.Context, sessionID string, lock bool) (*models.ResearchExcerpt, error) {
	q := s.conn(ctx).Where("session_id = ?", sessionID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var rows []models.ResearchExcerpt
	if err := q.Limit(1).Find(&rows).Error; err != nil {
		return nil, translate(err, "session notes")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// holdExcerpt takes a share lock on an excerpt's row for the rest of the
// transaction, before a coder's codes or submission read its text: a notes
// edit (SaveSessionNotes locks the row for update) then either waits for
// the coding, and is refused because it sees it, or comes first, and the
// coding reads the edited text. SQLite runs one writer at a time and needs
// no lock.
func (s *Store) holdExcerpt(ctx context.Context, orgID, excerptID string) error {
	if !models.IsID(excerptID) {
		return nil // Excerpt answers not found
	}
	var ids []string
	err := s.conn(ctx).Table("research_excerpts").Clauses(clause.Locking{Strength: "SHARE"}).
		Where("organization_id = ? AND id = ?", orgID, excerptID).Pluck("id", &ids).Error
	return translate(err, "hold excerpt")
}

// notesCoded says whether any coder coded the excerpt or submitted it.
func (s *Store) notesCoded(ctx context.Context, excerptID string) (bool, error) {
	var n int64
	err := s.conn(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM codings WHERE excerpt_id = ?) +
		(SELECT COUNT(*) FROM research_assignments WHERE excerpt_id = ? AND submitted_at IS NOT NULL)`,
		excerptID, excerptID).Scan(&n).Error
	return n > 0, translate(err, "session notes codings")
}

// createNotes stores a session's first notes as its excerpt, on the day
// the session began at its site.
func (s *Store) createNotes(ctx context.Context, sess models.LiveSession, text string) (*models.ResearchExcerpt, error) {
	day, err := s.sessionDay(ctx, sess)
	if err != nil {
		return nil, err
	}
	id := sess.ID
	ex := models.ResearchExcerpt{ID: models.NewID(), OrganizationID: sess.OrganizationID, SiteID: sess.SiteID,
		Day: day, Kind: models.ExcerptNotes, Title: sess.Title, Body: &text,
		SessionID: &id, CreatedAt: s.now()}
	if err := s.conn(ctx).Create(&ex).Error; err != nil {
		return nil, translate(err, "create session notes")
	}
	return &ex, nil
}

// sessionDay is the day a session began, at its site.
func (s *Store) sessionDay(ctx context.Context, sess models.LiveSession) (models.Day, error) {
	site, err := s.Site(ctx, sess.OrganizationID, sess.SiteID)
	if err != nil {
		return models.Day{}, err
	}
	loc, err := time.LoadLocation(site.TimeZone)
	if err != nil {
		return models.Day{}, fmt.Errorf("site %s time zone: %w", site.ID, err)
	}
	return models.DayOf(sess.CreatedAt, loc), nil
}

func (s *Store) notesView(ctx context.Context, sess models.LiveSession, ex *models.ResearchExcerpt) (SessionNotes, error) {
	out := SessionNotes{SessionID: sess.ID, SiteID: sess.SiteID, Title: sess.Title}
	if ex == nil {
		var err error
		out.Day, err = s.sessionDay(ctx, sess)
		return out, err
	}
	out.ExcerptID, out.Day, out.Title = &ex.ID, ex.Day, ex.Title
	if ex.Body != nil {
		out.Text = *ex.Body
	}
	var err error
	out.Locked, err = s.notesCoded(ctx, ex.ID)
	return out, err
}
