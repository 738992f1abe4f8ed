package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// PosterCodeLength is the number of characters in a poster code: 27^10 ≈
// 2·10^14 codes, so one cannot be found by trying addresses at any rate the
// per-address limit allows, although anyone at the site may read it.
const PosterCodeLength = 10

// ErrPosterRetired means a poster's code was replaced: its poster is no
// longer in use.
var ErrPosterRetired = errors.New("poster retired")

// PosterAuth is a site's current poster as a participant's phone presents
// it, with what a submission needs of the site and its organization.
type PosterAuth struct {
	Poster            models.SitePoster
	Site              models.Site
	UrgentWords       models.Codes
	categoriesVersion int64
}

// Source is the poster as the source of a submission: own-phone feedback
// for its site, from no device Chorus knows.
func (pa PosterAuth) Source() Source {
	return Source{OrganizationID: pa.Site.OrganizationID, Site: pa.Site, Channel: models.ChannelPhone,
		UrgentWords: pa.UrgentWords, categoriesVersion: pa.categoriesVersion}
}

// Poster returns a site's current poster code, nil when the site has none
// yet; ErrNotFound when the site is not the organization's.
func (s *Store) Poster(ctx context.Context, orgID, siteID string) (*models.SitePoster, error) {
	if _, err := s.Site(ctx, orgID, siteID); err != nil {
		return nil, err
	}
	var found []models.SitePoster
	err := s.conn(ctx).Where("organization_id = ? AND site_id = ? AND retired_at IS NULL", orgID, siteID).Limit(1).Find(&found).Error
	if err != nil || len(found) == 0 {
		return nil, translate(err, "poster")
	}
	return &found[0], nil
}

// IssuePoster gives a site a new poster code and retires the one before,
// whose posters then say they are no longer in use.
func (s *Store) IssuePoster(ctx context.Context, orgID, siteID string) (models.SitePoster, error) {
	var p models.SitePoster
	err := s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Site(ctx, orgID, siteID); err != nil {
			return err
		}
		now := s.now()
		err := s.conn(ctx).Model(&models.SitePoster{}).Where("site_id = ? AND retired_at IS NULL", siteID).
			Update("retired_at", now).Error
		if err != nil {
			return translate(err, "retire poster")
		}
		p = models.SitePoster{ID: models.NewID(), OrganizationID: orgID, SiteID: siteID,
			Code: auth.NewCode(PosterCodeLength), CreatedAt: now}
		return translate(s.conn(ctx).Create(&p).Error, "create poster")
	})
	return p, err
}

// Retired reports whether staff replaced the poster's code.
func (pa PosterAuth) Retired() bool { return pa.Poster.RetiredAt != nil }

// PosterByCode finds the site of a poster code as typed or scanned (case,
// spaces and dashes do not matter). A retired code is ErrPosterRetired,
// returned with the retired poster and its site (a phone's replay of what
// it sent before the rotation is still answered: SubmittedWith); an
// unknown one is ErrNotFound. One query: it runs on every own-phone request.
func (s *Store) PosterByCode(ctx context.Context, code string) (PosterAuth, error) {
	code = auth.NormalizeCode(code)
	if len(code) != PosterCodeLength || strings.Trim(code, auth.CodeAlphabet) != "" {
		return PosterAuth{}, translate(errNotFound, "poster")
	}
	var rows []posterAuthRow
	err := s.conn(ctx).Raw(`SELECT site_posters.id AS p_id, site_posters.organization_id AS p_organization_id,
			site_posters.site_id AS p_site_id, site_posters.code AS p_code, site_posters.created_at AS p_created_at,
			site_posters.retired_at AS p_retired_at,
			sites.id AS s_id, sites.organization_id AS s_organization_id, sites.name AS s_name, sites.kind AS s_kind,
			sites.setting AS s_setting, sites.time_zone AS s_time_zone, sites.created_at AS s_created_at,
			sites.updated_at AS s_updated_at,
			organizations.urgent_words, organizations.categories_version
		FROM site_posters
		JOIN sites ON sites.id = site_posters.site_id
		JOIN organizations ON organizations.id = site_posters.organization_id
		WHERE site_posters.code = ? LIMIT 1`, code).Find(&rows).Error
	if err != nil {
		return PosterAuth{}, translate(err, "poster")
	}
	if len(rows) == 0 {
		return PosterAuth{}, translate(errNotFound, "poster")
	}
	r := rows[0]
	pa := PosterAuth{Poster: r.Poster, Site: r.Site, UrgentWords: r.UrgentWords, categoriesVersion: r.CategoriesVersion}
	if pa.Retired() {
		return pa, ErrPosterRetired
	}
	return pa, nil
}

// SubmittedWith reports whether a phone's submission with this idempotency
// key was stored at the poster's site, whichever of the site's poster codes
// it came with: a retired poster answers only the replays of those.
func (s *Store) SubmittedWith(ctx context.Context, pa PosterAuth, key string) (bool, error) {
	if key == "" {
		return false, nil
	}
	keyHash := sha256.Sum256([]byte(key))
	_, found, err := s.priorSubmission(ctx, pa.Source(), keyHash[:])
	return found, err
}

type posterAuthRow struct {
	Poster            models.SitePoster `gorm:"embedded;embeddedPrefix:p_"`
	Site              models.Site       `gorm:"embedded;embeddedPrefix:s_"`
	UrgentWords       models.Codes
	CategoriesVersion int64
}
