package store

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/chorus-hr/chorus/internal/research"
	"github.com/chorus-hr/chorus/models"
)

// CodeView is a code as it reads now: its identity and current version.
type CodeView struct {
	ID         string      `json:"id"`
	CodebookID string      `json:"codebook_id"`
	Position   int         `json:"position"`
	Version    int         `json:"version"`
	VersionID  string      `json:"version_id"`
	ParentID   *string     `json:"parent_id"`
	Name       models.Text `json:"name"`
	Definition models.Text `json:"definition"`
	Inclusion  models.Text `json:"inclusion"`
	Exclusion  models.Text `json:"exclusion"`
	Example    models.Text `json:"example"`
	Colour     string      `json:"colour"`
}

// CodeInput is what a person writes about a code.
type CodeInput struct {
	ParentID                                        *string
	Name, Definition, Inclusion, Exclusion, Example models.Text
	Colour                                          string
}

var colourPattern = regexp.MustCompile(`^#[0-9a-f]{6}$`)

func (in *CodeInput) check() error {
	in.Colour = strings.ToLower(strings.TrimSpace(in.Colour))
	if !colourPattern.MatchString(in.Colour) {
		return invalid("colour", "must be a colour like #1f6f8b")
	}
	named := false
	for lang, v := range in.Name {
		if lang != "en" && lang != "es" {
			return invalid("name", "has a language other than en and es")
		}
		if len(v) > 200 {
			return invalid("name", "must be at most 200 characters")
		}
		named = named || strings.TrimSpace(v) != ""
	}
	if !named {
		return invalid("name", "must be given in English or Spanish")
	}
	for field, t := range map[string]models.Text{"definition": in.Definition, "inclusion": in.Inclusion, "exclusion": in.Exclusion, "example": in.Example} {
		for _, v := range t {
			if len(v) > 4000 {
				return invalid(field, "must be at most 4,000 characters")
			}
		}
	}
	for _, t := range []*models.Text{&in.Definition, &in.Inclusion, &in.Exclusion, &in.Example} {
		if *t == nil {
			*t = models.Text{}
		}
	}
	return nil
}

const codeViewColumns = "codes.id, codes.codebook_id, codes.position, code_versions.version, code_versions.id AS version_id, " +
	"code_versions.parent_id, code_versions.name, code_versions.definition, code_versions.inclusion, " +
	"code_versions.exclusion, code_versions.example, code_versions.colour"

// Codebooks lists the organization's codebooks.
func (s *Store) Codebooks(ctx context.Context, orgID string) ([]models.Codebook, error) {
	var out []models.Codebook
	err := s.conn(ctx).Where("organization_id = ?", orgID).Order("created_at, id").Find(&out).Error
	return out, translate(err, "codebooks")
}

// Codebook returns one codebook of the organization.
func (s *Store) Codebook(ctx context.Context, orgID, id string) (models.Codebook, error) {
	var cb models.Codebook
	if !models.IsID(id) {
		return cb, translate(errNotFound, "codebook")
	}
	err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&cb).Error
	return cb, translate(err, "codebook")
}

// Codes lists a codebook's codes as they read now, removed ones left out,
// in their order.
func (s *Store) Codes(ctx context.Context, orgID, codebookID string) ([]CodeView, error) {
	var out []CodeView
	err := s.conn(ctx).Table("codes").Select(codeViewColumns).
		Joins("JOIN code_versions ON code_versions.code_id = codes.id AND code_versions.version = codes.current_version").
		Where("codes.organization_id = ? AND codes.codebook_id = ? AND codes.removed_at IS NULL", orgID, codebookID).
		Order("codes.position, codes.id").Scan(&out).Error
	return out, translate(err, "codes")
}

// Code returns one code of the organization as it reads now.
func (s *Store) Code(ctx context.Context, orgID, codeID string) (CodeView, error) {
	var out []CodeView
	if !models.IsID(codeID) {
		return CodeView{}, translate(errNotFound, "code")
	}
	err := s.conn(ctx).Table("codes").Select(codeViewColumns).
		Joins("JOIN code_versions ON code_versions.code_id = codes.id AND code_versions.version = codes.current_version").
		Where("codes.organization_id = ? AND codes.id = ? AND codes.removed_at IS NULL", orgID, codeID).Scan(&out).Error
	if err == nil && len(out) == 0 {
		err = errNotFound
	}
	if err != nil {
		return CodeView{}, translate(err, "code")
	}
	return out[0], nil
}

// CodeVersions returns every version of a code, oldest first, so the
// codebook page can show what changed from one to the next.
func (s *Store) CodeVersions(ctx context.Context, orgID, codeID string) ([]models.CodeVersion, error) {
	if _, err := s.Code(ctx, orgID, codeID); err != nil {
		return nil, err
	}
	var out []models.CodeVersion
	err := s.conn(ctx).Where("code_id = ?", codeID).Order("version").Find(&out).Error
	return out, translate(err, "code versions")
}

// checkParent refuses a parent from elsewhere, and a parent that is the
// code itself or one of its descendants.
func (s *Store) checkParent(ctx context.Context, orgID, codebookID, codeID string, parentID *string) error {
	for p := parentID; p != nil; {
		if *p == codeID {
			return invalid("parent_id", "cannot be the code itself or one of its subcodes")
		}
		parent, err := s.Code(ctx, orgID, *p)
		if err != nil || parent.CodebookID != codebookID {
			return invalid("parent_id", "must be a code of the same codebook")
		}
		p = parent.ParentID
	}
	return nil
}

// addCode creates a code at version 1 at the end of its codebook.
func (s *Store) addCode(ctx context.Context, orgID, codebookID string, in CodeInput, by *string) (CodeView, error) {
	if err := in.check(); err != nil {
		return CodeView{}, err
	}
	if err := s.checkParent(ctx, orgID, codebookID, "", in.ParentID); err != nil {
		return CodeView{}, err
	}
	var last struct{ N *int }
	if err := s.conn(ctx).Table("codes").Select("MAX(position) AS n").Where("codebook_id = ?", codebookID).Scan(&last).Error; err != nil {
		return CodeView{}, translate(err, "code position")
	}
	code := models.Code{ID: models.NewID(), OrganizationID: orgID, CodebookID: codebookID, CurrentVersion: 1}
	if last.N != nil {
		code.Position = *last.N + 1
	}
	if err := s.conn(ctx).Create(&code).Error; err != nil {
		return CodeView{}, translate(err, "create code")
	}
	if err := s.createVersion(ctx, code.ID, 1, in, by); err != nil {
		return CodeView{}, err
	}
	return s.Code(ctx, orgID, code.ID)
}

func (s *Store) createVersion(ctx context.Context, codeID string, version int, in CodeInput, by *string) error {
	v := models.CodeVersion{
		ID: models.NewID(), CodeID: codeID, Version: version, ParentID: in.ParentID,
		Name: in.Name, Definition: in.Definition, Inclusion: in.Inclusion, Exclusion: in.Exclusion, Example: in.Example,
		Colour: in.Colour, CreatedBy: by, CreatedAt: s.now(),
	}
	return translate(s.conn(ctx).Create(&v).Error, "create code version")
}

// AddCode adds a code to a codebook.
func (a Actor) AddCode(ctx context.Context, orgID, codebookID string, in CodeInput) (CodeView, error) {
	var out CodeView
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		if _, err := a.s.Codebook(ctx, orgID, codebookID); err != nil {
			return err
		}
		var err error
		if out, err = a.s.addCode(ctx, orgID, codebookID, in, a.userPtr()); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditCodeAdded, "code", out.ID, nil)
	})
	return out, err
}

// EditCode writes a new version of a code; codings made under the earlier
// versions keep pointing at them.
func (a Actor) EditCode(ctx context.Context, orgID, codeID string, in CodeInput) (CodeView, error) {
	var out CodeView
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		before, err := a.s.Code(ctx, orgID, codeID)
		if err != nil {
			return err
		}
		if err := in.check(); err != nil {
			return err
		}
		if err := a.s.checkParent(ctx, orgID, before.CodebookID, before.ID, in.ParentID); err != nil {
			return err
		}
		next := before.Version + 1
		if err := a.s.createVersion(ctx, before.ID, next, in, a.userPtr()); err != nil {
			return err
		}
		res := a.s.conn(ctx).Model(&models.Code{}).Where("id = ? AND current_version = ?", before.ID, before.Version).
			Update("current_version", next)
		if res.Error != nil {
			return translate(res.Error, "edit code")
		}
		if res.RowsAffected != 1 {
			return ErrChanged
		}
		if out, err = a.s.Code(ctx, orgID, before.ID); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditCodeEdited, "code", out.ID, models.Bands{"version": strconv.Itoa(next)})
	})
	return out, err
}

// RemoveCode takes a code out of its codebook. Its codings and versions
// stay for the record; its subcodes move up to its parent.
func (a Actor) RemoveCode(ctx context.Context, orgID, codeID string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		code, err := a.s.Code(ctx, orgID, codeID)
		if err != nil {
			return err
		}
		children, err := a.s.Codes(ctx, orgID, code.CodebookID)
		if err != nil {
			return err
		}
		for _, ch := range children {
			if ch.ParentID != nil && *ch.ParentID == code.ID {
				in := CodeInput{ParentID: code.ParentID, Name: ch.Name, Definition: ch.Definition, Inclusion: ch.Inclusion,
					Exclusion: ch.Exclusion, Example: ch.Example, Colour: ch.Colour}
				if _, err := a.EditCode(ctx, orgID, ch.ID, in); err != nil {
					return err
				}
			}
		}
		if err := a.s.conn(ctx).Model(&models.Code{}).Where("id = ?", code.ID).Update("removed_at", a.s.now()).Error; err != nil {
			return translate(err, "remove code")
		}
		return a.record(ctx, orgID, AuditCodeRemoved, "code", code.ID, nil)
	})
}

// AddDefaultCodebook gives an organization the default strengths-based
// codebook (CreateOrganization does this for every new one).
func (s *Store) AddDefaultCodebook(ctx context.Context, orgID string) error {
	cb := models.Codebook{ID: models.NewID(), OrganizationID: orgID, Name: research.DefaultCodebookName, CreatedAt: s.now()}
	if err := s.conn(ctx).Create(&cb).Error; err != nil {
		return translate(err, "create codebook")
	}
	var add func(parent *string, list []research.DefaultCode) error
	add = func(parent *string, list []research.DefaultCode) error {
		for _, d := range list {
			c, err := s.addCode(ctx, orgID, cb.ID, CodeInput{ParentID: parent, Name: d.Name, Definition: d.Definition, Colour: d.Colour}, nil)
			if err != nil {
				return err
			}
			if err := add(&c.ID, d.Children); err != nil {
				return err
			}
		}
		return nil
	}
	return add(nil, research.DefaultCodebook())
}

func (a Actor) userPtr() *string {
	if a.user == nil {
		return nil
	}
	return &a.user.ID
}
