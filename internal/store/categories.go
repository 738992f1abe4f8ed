package store

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/models"
)

var codePattern = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// CategoryInput is what an admin sets on a need or strength.
type CategoryInput struct {
	Kind   string
	Code   string
	Icon   string
	Labels models.Text
}

func validateLabels(labels models.Text) error {
	for _, lang := range catalog.Languages {
		l := strings.TrimSpace(labels[lang])
		if l == "" || len([]rune(l)) > 120 {
			return invalid("label."+lang, "must be 1 to 120 characters")
		}
	}
	for lang := range labels {
		if !slices.Contains(catalog.Languages, lang) {
			return invalid("label."+lang, "is not a language Chorus speaks")
		}
	}
	return nil
}

// AllCategories lists an organization's categories of a kind, retired ones
// included, for admins.
func (s *Store) AllCategories(ctx context.Context, orgID, kind string) ([]models.Category, error) {
	var out []models.Category
	err := s.conn(ctx).Where("organization_id = ? AND kind = ?", orgID, kind).Order("position, code").Find(&out).Error
	return out, translate(err, "categories")
}

// CreateCategory adds a need or strength, shown last.
func (s *Store) CreateCategory(ctx context.Context, orgID string, in CategoryInput) (models.Category, error) {
	if in.Kind != models.KindNeed && in.Kind != models.KindStrength {
		return models.Category{}, invalid("kind", "must be one of: need, strength")
	}
	if !codePattern.MatchString(in.Code) {
		return models.Category{}, invalid("code", "must be 1 to 64 lower-case letters, digits or underscores")
	}
	if err := validateLabels(in.Labels); err != nil {
		return models.Category{}, err
	}
	var last struct{ Max *int }
	if err := s.conn(ctx).Model(&models.Category{}).Select("MAX(position) AS max").
		Where("organization_id = ? AND kind = ?", orgID, in.Kind).Scan(&last).Error; err != nil {
		return models.Category{}, translate(err, "category position")
	}
	pos := 0
	if last.Max != nil {
		pos = *last.Max + 1
	}
	c := models.Category{ID: models.NewID(), OrganizationID: orgID, Kind: in.Kind, Code: in.Code,
		Icon: strings.TrimSpace(in.Icon), Labels: in.Labels, Position: pos, Active: true}
	err := s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&c).Error; err != nil {
			return translate(err, "create category")
		}
		return s.bumpCategoriesVersion(ctx, orgID)
	})
	return c, err
}

// CategoryChange is a partial update of a category. Codes never change:
// stored answers refer to them.
type CategoryChange struct {
	Labels   models.Text
	Icon     *string
	Active   *bool
	Position *int
}

// UpdateCategory changes labels, icon, order or whether the kiosk offers it.
func (s *Store) UpdateCategory(ctx context.Context, orgID, id string, ch CategoryChange) (models.Category, error) {
	if !models.IsID(id) {
		return models.Category{}, translate(errNotFound, "category")
	}
	updates := map[string]any{}
	if ch.Labels != nil {
		if err := validateLabels(ch.Labels); err != nil {
			return models.Category{}, err
		}
		updates["labels"] = ch.Labels
	}
	if ch.Icon != nil {
		updates["icon"] = strings.TrimSpace(*ch.Icon)
	}
	if ch.Active != nil {
		updates["active"] = *ch.Active
	}
	if ch.Position != nil {
		updates["position"] = *ch.Position
	}
	var c models.Category
	if err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&c).Error; err != nil {
		return c, translate(err, "category")
	}
	if len(updates) > 0 {
		err := s.InTx(ctx, func(ctx context.Context) error {
			if err := s.conn(ctx).Model(&c).Updates(updates).Error; err != nil {
				return translate(err, "update category")
			}
			return s.bumpCategoriesVersion(ctx, orgID)
		})
		if err != nil {
			return c, err
		}
	}
	return c, translate(s.conn(ctx).Where("id = ?", id).First(&c).Error, "category")
}

// bumpCategoriesVersion marks the organization's categories as changed. It
// must run in the transaction that changes them: a server that cached the
// codes of an older version sees the new number at the next kiosk
// authentication and loads them again, whichever process made the change.
func (s *Store) bumpCategoriesVersion(ctx context.Context, orgID string) error {
	err := s.conn(ctx).Model(&models.Organization{}).Where("id = ?", orgID).
		UpdateColumn("categories_version", gorm.Expr("categories_version + 1")).Error
	return translate(err, "bump categories version")
}

// codeSets are an organization's active need and strength codes as of one
// categories_version.
type codeSets struct {
	version   int64
	needs     map[string]bool
	strengths map[string]bool
}

// activeCodes returns the organization's active category codes, as of
// version or later, from the Store's memory when nothing changed since they
// were read. The memory never goes stale unnoticed: an entry is used only
// when its version is the one the caller just read with the kiosk.
func (s *Store) activeCodes(ctx context.Context, orgID string, version int64) (*codeSets, error) {
	if v, ok := s.codes.Load(orgID); ok && v.(*codeSets).version == version {
		return v.(*codeSets), nil
	}
	// Read after version was: what this finds is that version or newer,
	// so a later submission that reads a newer number loads again.
	var active []models.Category
	if err := s.conn(ctx).Select("kind", "code").Where("organization_id = ? AND active = ?", orgID, true).
		Find(&active).Error; err != nil {
		return nil, translate(err, "categories")
	}
	sets := &codeSets{version: version, needs: map[string]bool{}, strengths: map[string]bool{}}
	for _, c := range active {
		if c.Kind == models.KindNeed {
			sets.needs[c.Code] = true
		} else {
			sets.strengths[c.Code] = true
		}
	}
	_, inTx := ctx.Value(txKey{}).(*gorm.DB)
	if v, ok := s.codes.Load(orgID); !inTx && (!ok || v.(*codeSets).version < version) {
		// A transaction's uncommitted view is not for other requests, and
		// a slow request that read an older number keeps the newer entry.
		s.codes.Store(orgID, sets)
	}
	return sets, nil
}
