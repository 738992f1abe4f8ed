package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/models"
)

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify derives an organization's URL name from its display name.
func Slugify(name string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	if s == "" {
		s = "org"
	}
	return s
}

// CreateOrganization adds an organization with the default need and
// strength categories and the default strengths-based codebook.
func (s *Store) CreateOrganization(ctx context.Context, name string) (models.Organization, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return models.Organization{}, invalid("name", "must be 1 to 200 characters")
	}
	org := models.Organization{ID: models.NewID(), Name: name, Slug: Slugify(name), MinCell: 11, MinVoters: 5, Languages: "en,es"}
	err := s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&org).Error; err != nil {
			return translate(err, "create organization")
		}
		if err := s.conn(ctx).Create(catalog.Categories(org.ID)).Error; err != nil {
			return translate(err, "create categories")
		}
		return s.AddDefaultCodebook(ctx, org.ID)
	})
	return org, err
}

// Organization returns one organization.
func (s *Store) Organization(ctx context.Context, id string) (models.Organization, error) {
	var org models.Organization
	err := s.conn(ctx).Where("id = ?", id).First(&org).Error
	return org, translate(err, "organization")
}

// OrganizationByName finds an organization by its name or slug.
func (s *Store) OrganizationByName(ctx context.Context, name string) (models.Organization, error) {
	var org models.Organization
	err := s.conn(ctx).Where("name = ? OR slug = ?", name, name).First(&org).Error
	return org, translate(err, "organization "+name)
}

// OrganizationSettings are the settings an admin may change.
type OrganizationSettings struct {
	Name      *string
	MinCell   *int
	MinVoters *int
	// UrgentWords replaces the urgent-word list; words are trimmed and
	// lowercased, blanks and repeats dropped.
	UrgentWords *[]string
	// Resources replaces the kiosk's "Need help now?" list.
	Resources *models.Resources
	// PublicBoard switches the public "you said, we did" board on or off.
	PublicBoard *bool
	// ResponseDays is how soon the program promises to answer a proposal.
	ResponseDays *int
	// RetentionDays is how long submissions and free text are kept; a
	// pointer to 0 keeps them until deleted by hand.
	RetentionDays *int
}

// UpdateOrganization changes settings, refusing values that would weaken
// privacy below Chorus's floor.
func (s *Store) UpdateOrganization(ctx context.Context, id string, set OrganizationSettings) (models.Organization, error) {
	updates := map[string]any{"updated_at": s.now()}
	if set.Name != nil {
		n := strings.TrimSpace(*set.Name)
		if n == "" || len(n) > 200 {
			return models.Organization{}, invalid("name", "must be 1 to 200 characters")
		}
		updates["name"] = n
	}
	if set.MinCell != nil {
		if *set.MinCell < 5 || *set.MinCell > 1000 {
			return models.Organization{}, invalid("min_cell", "must be between 5 and 1000")
		}
		updates["min_cell"] = *set.MinCell
	}
	if set.MinVoters != nil {
		if *set.MinVoters < 1 || *set.MinVoters > 1000 {
			return models.Organization{}, invalid("min_voters", "must be between 1 and 1000")
		}
		updates["min_voters"] = *set.MinVoters
	}
	if set.UrgentWords != nil {
		words := models.Codes{}
		for _, w := range *set.UrgentWords {
			w = strings.ToLower(strings.Join(strings.Fields(w), " "))
			if w != "" && !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
		updates["urgent_words"] = words
	}
	if set.Resources != nil {
		if err := validateResources(*set.Resources); err != nil {
			return models.Organization{}, err
		}
		updates["resources"] = *set.Resources
	}
	if set.PublicBoard != nil {
		updates["public_board"] = *set.PublicBoard
	}
	if set.ResponseDays != nil {
		if *set.ResponseDays < 1 || *set.ResponseDays > 365 {
			return models.Organization{}, invalid("response_days", "must be between 1 and 365")
		}
		updates["response_days"] = *set.ResponseDays
	}
	if set.RetentionDays != nil {
		switch days := *set.RetentionDays; {
		case days == 0:
			updates["retention_days"] = nil
		case days < 30 || days > 3650:
			return models.Organization{}, invalid("retention_days", "must be 0 (keep) or between 30 and 3650")
		default:
			updates["retention_days"] = days
		}
	}
	res := s.conn(ctx).Model(&models.Organization{}).Where("id = ?", id).Updates(updates)
	if err := translate(res.Error, "update organization"); err != nil {
		return models.Organization{}, err
	}
	return s.Organization(ctx, id)
}

var phonePattern = regexp.MustCompile(`^[0-9+() -]{2,24}$`)

// validateResources wants a label in every language, short details and
// dialable numbers.
func validateResources(list models.Resources) error {
	for i, r := range list {
		field := fmt.Sprintf("resources[%d]", i)
		for _, lang := range catalog.Languages {
			if l := strings.TrimSpace(r.Label[lang]); l == "" || len([]rune(l)) > 80 {
				return invalid(field+".label."+lang, "must be 1 to 80 characters")
			}
			if len([]rune(r.Detail[lang])) > 200 {
				return invalid(field+".detail."+lang, "must be at most 200 characters")
			}
		}
		if r.Phone != "" && !phonePattern.MatchString(r.Phone) {
			return invalid(field+".phone", "must be a phone number such as 988 or (555) 123-4567")
		}
	}
	return nil
}
