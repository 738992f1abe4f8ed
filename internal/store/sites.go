package store

import (
	"context"
	"strings"
	"time"

	"github.com/chorus-hr/chorus/models"
)

// SiteInput is what an admin gives to create or change a site.
type SiteInput struct {
	Name     string
	Kind     string
	Setting  string
	TimeZone string
}

func (in *SiteInput) validate() error {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "" || len(in.Name) > 200:
		return invalid("name", "must be 1 to 200 characters")
	case in.Kind != models.SiteFixed && in.Kind != models.SiteMobile:
		return invalid("kind", "must be one of: fixed, mobile")
	case in.Setting != models.SiteUrban && in.Setting != models.SiteRural:
		return invalid("setting", "must be one of: urban, rural")
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "" || in.TimeZone == "Local" {
		return invalid("time_zone", "must be a time zone such as America/New_York")
	}
	return nil
}

// CreateSite adds a site to an organization.
func (s *Store) CreateSite(ctx context.Context, orgID string, in SiteInput) (models.Site, error) {
	if err := in.validate(); err != nil {
		return models.Site{}, err
	}
	site := models.Site{ID: models.NewID(), OrganizationID: orgID, Name: in.Name, Kind: in.Kind, Setting: in.Setting, TimeZone: in.TimeZone}
	return site, translate(s.conn(ctx).Create(&site).Error, "create site")
}

// UpdateSite replaces a site's details.
func (s *Store) UpdateSite(ctx context.Context, orgID, id string, in SiteInput) (models.Site, error) {
	if err := in.validate(); err != nil {
		return models.Site{}, err
	}
	res := s.conn(ctx).Model(&models.Site{}).Where("organization_id = ? AND id = ?", orgID, id).
		Updates(map[string]any{"name": in.Name, "kind": in.Kind, "setting": in.Setting, "time_zone": in.TimeZone, "updated_at": s.now()})
	if err := translate(res.Error, "update site"); err != nil {
		return models.Site{}, err
	}
	if res.RowsAffected == 0 {
		return models.Site{}, translate(errNotFound, "site")
	}
	return s.Site(ctx, orgID, id)
}

// Sites lists an organization's sites by name.
func (s *Store) Sites(ctx context.Context, orgID string) ([]models.Site, error) {
	var sites []models.Site
	err := s.conn(ctx).Where("organization_id = ?", orgID).Order("name").Find(&sites).Error
	return sites, translate(err, "sites")
}

// Site returns one site of the organization.
func (s *Store) Site(ctx context.Context, orgID, id string) (models.Site, error) {
	var site models.Site
	if !models.IsID(id) {
		return site, translate(errNotFound, "site")
	}
	err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&site).Error
	return site, translate(err, "site")
}

// SiteByName finds a site of the organization by name.
func (s *Store) SiteByName(ctx context.Context, orgID, name string) (models.Site, error) {
	var site models.Site
	err := s.conn(ctx).Where("organization_id = ? AND name = ?", orgID, name).First(&site).Error
	return site, translate(err, "site "+name)
}
