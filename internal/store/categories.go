package store

import (
	"context"
	"regexp"
	"slices"
	"strings"

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
	return c, translate(s.conn(ctx).Create(&c).Error, "create category")
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
		if err := s.conn(ctx).Model(&c).Updates(updates).Error; err != nil {
			return c, translate(err, "update category")
		}
	}
	return c, translate(s.conn(ctx).Where("id = ?", id).First(&c).Error, "category")
}
