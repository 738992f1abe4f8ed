package store

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/chorus-hr/chorus/models"
)

// ErrSubmitted refuses a change to a blind excerpt its coder has
// submitted: the codes they gave before seeing the others' must stay.
var ErrSubmitted = errors.New("already submitted")

// CodingView is a coding with its coder's address and code version number.
type CodingView struct {
	models.Coding
	CoderEmail string `json:"coder_email"`
	Version    int    `json:"version"`
}

// ExcerptCodings is what a coder sees of an excerpt's codings. Blind is
// true while the excerpt is in an overlap sample that the viewer is coding
// and not everyone has submitted: only the viewer's own codings are shown.
type ExcerptCodings struct {
	Codings []CodingView `json:"codings"`
	Blind   bool         `json:"blind"`
}

// Span is a coding's range of code points in the excerpt's text.
type Span struct{ Start, End int }

// blindFor is true, for the excerpt of the enclosing row's codings and the
// viewer bound to its one parameter, while the viewer codes it in an
// overlap sample that someone has not yet submitted: only the viewer's own
// codes may then be seen or searched.
const blindFor = "EXISTS (SELECT 1 FROM research_assignments mine JOIN research_assignments other " +
	"ON other.sample_id = mine.sample_id AND other.excerpt_id = mine.excerpt_id " +
	"WHERE mine.excerpt_id = codings.excerpt_id AND mine.coder_id = ? AND mine.sample_id IS NOT NULL AND other.submitted_at IS NULL)"

// blind reports whether viewer must not yet see others' codes on excerpt.
func (s *Store) blind(ctx context.Context, excerptID, viewerID string) (bool, error) {
	var n int64
	err := s.conn(ctx).Table("research_assignments mine").
		Joins("JOIN research_assignments other ON other.sample_id = mine.sample_id AND other.excerpt_id = mine.excerpt_id").
		Where("mine.excerpt_id = ? AND mine.coder_id = ? AND mine.sample_id IS NOT NULL AND other.submitted_at IS NULL", excerptID, viewerID).
		Count(&n).Error
	return n > 0, translate(err, "blind")
}

// Codings returns the codings of an excerpt the viewer may see.
func (s *Store) Codings(ctx context.Context, orgID, viewerID, excerptID string) (ExcerptCodings, error) {
	if _, err := s.Excerpt(ctx, orgID, viewerID, excerptID); err != nil {
		return ExcerptCodings{}, err
	}
	blind, err := s.blind(ctx, excerptID, viewerID)
	if err != nil {
		return ExcerptCodings{}, err
	}
	q := s.conn(ctx).Table("codings").
		Select("codings.*, users.email AS coder_email, code_versions.version").
		Joins("JOIN users ON users.id = codings.coder_id").
		Joins("JOIN code_versions ON code_versions.id = codings.code_version_id").
		Where("codings.organization_id = ? AND codings.excerpt_id = ?", orgID, excerptID)
	if blind {
		q = q.Where("codings.coder_id = ?", viewerID)
	}
	out := ExcerptCodings{Codings: []CodingView{}, Blind: blind}
	err = q.Order("codings.created_at, codings.id").Scan(&out.Codings).Error
	return out, translate(err, "codings")
}

// submitted reports whether the coder has submitted a sample excerpt.
func (s *Store) submitted(ctx context.Context, excerptID, coderID string) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&models.ResearchAssignment{}).
		Where("excerpt_id = ? AND coder_id = ? AND sample_id IS NOT NULL AND submitted_at IS NOT NULL", excerptID, coderID).
		Count(&n).Error
	return n > 0, translate(err, "submitted")
}

// AddCoding applies the current version of a code to an excerpt, to its
// whole text (span nil) or to a span of it. Applying the same code to the
// same place again changes nothing.
func (a Actor) AddCoding(ctx context.Context, orgID, excerptID, codeID string, span *Span) (CodingView, error) {
	var out CodingView
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		// Notes may be edited until coded: hold the text while its span is checked.
		if err := a.s.holdExcerpt(ctx, orgID, excerptID); err != nil {
			return err
		}
		ex, err := a.s.Excerpt(ctx, orgID, a.userID(), excerptID)
		if err != nil {
			return err
		}
		code, err := a.s.Code(ctx, orgID, codeID)
		if err != nil {
			return invalid("code_id", "must be a code of your codebook")
		}
		if span != nil && (span.Start < 0 || span.End <= span.Start || span.End > utf8.RuneCountInString(ex.Text)) {
			return invalid("span", "must lie within the text")
		}
		if done, err := a.s.submitted(ctx, ex.ID, a.userID()); err != nil || done {
			return errors.Join(err, submittedError(done))
		}
		c := models.Coding{ID: models.NewID(), OrganizationID: orgID, ExcerptID: ex.ID, CodeID: code.ID,
			CodeVersionID: code.VersionID, CoderID: a.userID(), CreatedAt: a.s.now()}
		same := a.s.conn(ctx).Where("excerpt_id = ? AND code_id = ? AND coder_id = ?", ex.ID, code.ID, a.userID())
		if span != nil {
			c.SpanStart, c.SpanEnd = &span.Start, &span.End
			same = same.Where("span_start = ? AND span_end = ?", span.Start, span.End)
		} else {
			same = same.Where("span_start IS NULL")
		}
		var existing []models.Coding
		if err := same.Limit(1).Find(&existing).Error; err != nil {
			return translate(err, "find coding")
		}
		if len(existing) == 1 {
			c = existing[0]
		} else if err := a.s.conn(ctx).Create(&c).Error; err != nil {
			return translate(err, "create coding")
		}
		out = CodingView{Coding: c, Version: code.Version}
		if a.user != nil {
			out.CoderEmail = a.user.Email
		}
		return nil
	})
	return out, err
}

func submittedError(done bool) error {
	if done {
		return ErrSubmitted
	}
	return nil
}

// RemoveCoding takes back one of the actor's own codings.
func (a Actor) RemoveCoding(ctx context.Context, orgID, codingID string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		var c models.Coding
		if !models.IsID(codingID) {
			return translate(errNotFound, "coding")
		}
		err := a.s.conn(ctx).Where("organization_id = ? AND id = ? AND coder_id = ?", orgID, codingID, a.userID()).First(&c).Error
		if err != nil {
			return translate(err, "coding")
		}
		if done, err := a.s.submitted(ctx, c.ExcerptID, a.userID()); err != nil || done {
			return errors.Join(err, submittedError(done))
		}
		return translate(a.s.conn(ctx).Delete(&c).Error, "remove coding")
	})
}

// SubmitExcerpt records that the actor has finished coding an excerpt.
// On a sample excerpt this fixes their codes and, once every coder has
// submitted, lifts the blind.
func (a Actor) SubmitExcerpt(ctx context.Context, orgID, excerptID string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.holdExcerpt(ctx, orgID, excerptID); err != nil {
			return err
		}
		ex, err := a.s.Excerpt(ctx, orgID, a.userID(), excerptID)
		if err != nil {
			return err
		}
		now := a.s.now()
		res := a.s.conn(ctx).Model(&models.ResearchAssignment{}).
			Where("excerpt_id = ? AND coder_id = ? AND submitted_at IS NULL", ex.ID, a.userID()).Update("submitted_at", now)
		if res.Error != nil {
			return translate(res.Error, "submit")
		}
		if res.RowsAffected == 0 && !ex.Assigned {
			row := models.ResearchAssignment{OrganizationID: orgID, ExcerptID: ex.ID, CoderID: a.userID(), SubmittedAt: &now}
			if err := a.s.conn(ctx).Create(&row).Error; err != nil {
				return translate(err, "submit")
			}
		}
		return a.record(ctx, orgID, AuditCodingSubmitted, "excerpt", ex.ID, nil)
	})
}

// Memos lists the memos on an excerpt or on a code, oldest first.
func (s *Store) Memos(ctx context.Context, orgID, viewerID string, excerptID, codeID *string) ([]models.ResearchMemo, error) {
	q := s.conn(ctx).Where("organization_id = ?", orgID)
	if excerptID != nil {
		q = q.Where("excerpt_id = ?", *excerptID)
		// A memo can say how its author coded: on an excerpt that is still
		// blind for the viewer, only their own memos.
		blind, err := s.blind(ctx, *excerptID, viewerID)
		if err != nil {
			return nil, err
		}
		if blind {
			q = q.Where("author_id = ?", viewerID)
		}
	} else if codeID != nil {
		q = q.Where("code_id = ?", *codeID)
	}
	out := []models.ResearchMemo{}
	err := q.Order("created_at, id").Find(&out).Error
	return out, translate(err, "memos")
}

// AddMemo writes a memo on an excerpt or a code (exactly one).
func (a Actor) AddMemo(ctx context.Context, orgID string, excerptID, codeID *string, body string) (models.ResearchMemo, error) {
	m := models.ResearchMemo{ID: models.NewID(), OrganizationID: orgID, ExcerptID: excerptID, CodeID: codeID,
		AuthorID: a.userPtr(), Body: strings.TrimSpace(body), CreatedAt: a.s.now()}
	switch {
	case (excerptID == nil) == (codeID == nil):
		return m, invalid("excerpt_id", "give an excerpt or a code, not both")
	case m.Body == "" || utf8.RuneCountInString(m.Body) > 10000:
		return m, invalid("body", "must be 1 to 10,000 characters")
	}
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		if excerptID != nil {
			if _, err := a.s.Excerpt(ctx, orgID, a.userID(), *excerptID); err != nil {
				return err
			}
		} else if _, err := a.s.Code(ctx, orgID, *codeID); err != nil {
			return err
		}
		return translate(a.s.conn(ctx).Create(&m).Error, "create memo")
	})
	return m, err
}
