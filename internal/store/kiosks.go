package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// EnrollmentTTL is how long a kiosk enrollment code works.
const EnrollmentTTL = 15 * time.Minute

// EnrollmentCodeLength is the number of characters in an enrollment code
// (27^8 ≈ 2.8·10^11 codes, tried at a rate-limited trickle for 15 minutes).
const EnrollmentCodeLength = 8

// Enrollment is a fresh one-time code for a kiosk.
type Enrollment struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// KioskAuth is a kiosk as an authenticated request sees it.
type KioskAuth struct {
	Kiosk models.Kiosk
	Site  models.Site
	// UrgentWords are the organization's urgent words, read with the
	// kiosk so that a submission with text needs no query of its own.
	UrgentWords models.Codes
	// categoriesVersion is the organization's categories_version when the
	// kiosk was authenticated; Submit validates against the code sets of
	// that version or a later one.
	categoriesVersion int64
}

// CreateKiosk adds a kiosk at a site and returns its first enrollment code.
func (s *Store) CreateKiosk(ctx context.Context, orgID, siteID, name, createdBy string) (models.Kiosk, Enrollment, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return models.Kiosk{}, Enrollment{}, invalid("name", "must be 1 to 200 characters")
	}
	var (
		k  models.Kiosk
		en Enrollment
	)
	err := s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Site(ctx, orgID, siteID); err != nil {
			if errors.Is(err, ErrNotFound) {
				return invalid("site_id", "is not a site of this organization")
			}
			return err
		}
		k = models.Kiosk{ID: models.NewID(), OrganizationID: orgID, SiteID: siteID, Name: name}
		if err := s.conn(ctx).Create(&k).Error; err != nil {
			return translate(err, "create kiosk")
		}
		var err error
		en, err = s.NewEnrollment(ctx, orgID, k.ID, createdBy)
		return err
	})
	return k, en, err
}

// NewEnrollment issues a one-time code for a kiosk, valid for
// EnrollmentTTL. Enrolling again replaces the kiosk's device token.
func (s *Store) NewEnrollment(ctx context.Context, orgID, kioskID, createdBy string) (Enrollment, error) {
	if _, err := s.Kiosk(ctx, orgID, kioskID); err != nil {
		return Enrollment{}, err
	}
	// Only the newest code works: one read aloud or photographed earlier
	// is cancelled.
	if err := s.conn(ctx).Model(&models.KioskEnrollment{}).Where("kiosk_id = ? AND used_at IS NULL", kioskID).
		Update("used_at", s.now()).Error; err != nil {
		return Enrollment{}, translate(err, "cancel earlier codes")
	}
	code := auth.NewCode(EnrollmentCodeLength)
	en := models.KioskEnrollment{CodeHash: auth.HashSecret(code), KioskID: kioskID, ExpiresAt: s.now().Add(EnrollmentTTL)}
	if createdBy != "" {
		en.CreatedBy = &createdBy
	}
	if err := s.conn(ctx).Create(&en).Error; err != nil {
		return Enrollment{}, translate(err, "create enrollment")
	}
	return Enrollment{Code: code, ExpiresAt: en.ExpiresAt}, nil
}

// claimCode marks a one-time set-up code used, in the caller's
// transaction, and loads its row into en (a *models.KioskEnrollment or a
// *models.EdgeEnrollment): ErrCredentials when the code is unknown, used
// or expired. Of two devices sending one code at once, one wins.
func (s *Store) claimCode(ctx context.Context, code string, en any, what string) error {
	hash := auth.HashSecret(code)
	res := s.conn(ctx).Model(en).Where("code_hash = ? AND used_at IS NULL AND expires_at > ?", hash, s.now()).
		Update("used_at", s.now())
	if res.Error != nil {
		return translate(res.Error, "use "+what)
	}
	if res.RowsAffected == 0 {
		return ErrCredentials
	}
	return translate(s.conn(ctx).Where("code_hash = ?", hash).First(en).Error, what)
}

// Enroll trades a valid, unused code for a device token. The code works
// once; the kiosk's earlier token, if any, stops working.
func (s *Store) Enroll(ctx context.Context, code string) (KioskAuth, string, error) {
	code = auth.NormalizeCode(code)
	var (
		ka     KioskAuth
		secret string
	)
	err := s.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		var en models.KioskEnrollment
		if err := s.claimCode(ctx, code, &en, "enrollment"); err != nil {
			return err
		}
		var hash []byte
		secret, hash = auth.NewSecret(auth.KioskTokenPrefix)
		res := s.conn(ctx).Model(&models.Kiosk{}).Where("id = ?", en.KioskID).
			Updates(map[string]any{"token_hash": hash, "enrolled_at": now, "revoked_at": nil, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "enroll kiosk")
		}
		var err error
		ka, err = s.kioskAuth(ctx, "kiosks.id = ?", en.KioskID)
		return err
	})
	s.kioskChanged() // the kiosk's earlier token stops now
	return ka, secret, err
}

// ProvisionKiosk creates a kiosk with a device token straight away, for
// scripted set-up.
func (s *Store) ProvisionKiosk(ctx context.Context, orgID, siteID, name string) (models.Kiosk, string, error) {
	var (
		k      models.Kiosk
		secret string
	)
	err := s.InTx(ctx, func(ctx context.Context) error {
		var (
			en  Enrollment
			err error
		)
		k, en, err = s.CreateKiosk(ctx, orgID, siteID, name, "")
		if err != nil {
			return err
		}
		var ka KioskAuth
		ka, secret, err = s.Enroll(ctx, en.Code)
		k = ka.Kiosk
		return err
	})
	return k, secret, err
}

// KioskByToken authenticates a kiosk device token. Revoked kiosks and
// unknown tokens are ErrCredentials.
//
// With a KioskCache (PostgreSQL), an accepted token is kept until anything
// about a kiosk, site or organization changes (see KioskCache).
func (s *Store) KioskByToken(ctx context.Context, secret string) (KioskAuth, error) {
	hash := auth.HashSecret(secret)
	var gen uint64
	if s.kiosks != nil {
		ka, g, ok := s.kiosks.get(hash)
		if ok {
			return ka, nil
		}
		gen = g
	}
	ka, err := s.kioskAuth(ctx, "kiosks.token_hash = ? AND kiosks.revoked_at IS NULL", hash)
	if errors.Is(err, ErrNotFound) {
		return KioskAuth{}, ErrCredentials
	}
	if err == nil && s.kiosks != nil {
		s.kiosks.put(gen, hash, ka)
	}
	return ka, err
}

// kioskChanged makes this process forget kept kiosk authentications at
// once after a change it committed, before the change's notification.
func (s *Store) kioskChanged() {
	if s.kiosks != nil {
		s.kiosks.changed()
	}
}

// kioskAuth reads a kiosk, its site and what a submission needs of its
// organization in one query: this runs on every kiosk request.
func (s *Store) kioskAuth(ctx context.Context, where string, arg any) (KioskAuth, error) {
	var rows []kioskAuthRow
	err := s.conn(ctx).Raw("SELECT "+kioskAuthColumns()+` FROM kiosks
		JOIN sites ON sites.id = kiosks.site_id
		JOIN organizations ON organizations.id = kiosks.organization_id
		WHERE `+where+" LIMIT 1", arg).Find(&rows).Error // Find, not Scan: Scan formats the SQL for its logger every time
	if err != nil {
		return KioskAuth{}, translate(err, "kiosk")
	}
	if len(rows) == 0 {
		return KioskAuth{}, translate(errNotFound, "kiosk")
	}
	r := rows[0]
	return KioskAuth{Kiosk: r.Kiosk, Site: r.Site, UrgentWords: r.UrgentWords, categoriesVersion: r.CategoriesVersion}, nil
}

// kioskAuthRow is one row of kioskAuth's join; the kiosk's and the site's
// columns carry a prefix because both tables have id, name and timestamps.
type kioskAuthRow struct {
	Kiosk             models.Kiosk `gorm:"embedded;embeddedPrefix:k_"`
	Site              models.Site  `gorm:"embedded;embeddedPrefix:s_"`
	UrgentWords       models.Codes
	CategoriesVersion int64
}

// kioskAuthColumns lists every column of the Kiosk and Site models, so a
// field added to either is read here too without editing this query.
var kioskAuthColumns = sync.OnceValue(func() string {
	var cols []string
	for _, t := range []struct {
		model         any
		table, prefix string
	}{{&models.Kiosk{}, "kiosks", "k_"}, {&models.Site{}, "sites", "s_"}} {
		sch, err := schema.Parse(t.model, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			// The models are fixed at compile time; a test covers this.
			panic(fmt.Sprintf("parse %s model: %v", t.table, err))
		}
		for _, c := range sch.DBNames {
			cols = append(cols, t.table+"."+c+" AS "+t.prefix+c)
		}
	}
	return strings.Join(append(cols, "organizations.urgent_words", "organizations.categories_version"), ", ")
})

// RevokeKiosk stops a kiosk's device token at once.
func (s *Store) RevokeKiosk(ctx context.Context, orgID, id string) (models.Kiosk, error) {
	if _, err := s.Kiosk(ctx, orgID, id); err != nil {
		return models.Kiosk{}, err
	}
	now := s.now()
	err := s.InTx(ctx, func(ctx context.Context) error {
		err := s.conn(ctx).Model(&models.Kiosk{}).Where("organization_id = ? AND id = ?", orgID, id).
			Updates(map[string]any{"token_hash": nil, "revoked_at": now, "updated_at": now}).Error
		if err != nil {
			return translate(err, "revoke kiosk")
		}
		// Codes issued before the revocation die with it: a stolen tablet
		// must not come back with a code someone photographed.
		return translate(s.conn(ctx).Model(&models.KioskEnrollment{}).Where("kiosk_id = ? AND used_at IS NULL", id).
			Update("used_at", now).Error, "cancel enrollment codes")
	})
	s.kioskChanged()
	if err != nil {
		return models.Kiosk{}, err
	}
	return s.Kiosk(ctx, orgID, id)
}

// Kiosks lists an organization's kiosks.
func (s *Store) Kiosks(ctx context.Context, orgID string) ([]models.Kiosk, error) {
	var out []models.Kiosk
	return out, translate(s.conn(ctx).Where("organization_id = ?", orgID).Order("name").Find(&out).Error, "kiosks")
}

// Kiosk returns one kiosk of the organization.
func (s *Store) Kiosk(ctx context.Context, orgID, id string) (models.Kiosk, error) {
	var k models.Kiosk
	if !models.IsID(id) {
		return k, translate(errNotFound, "kiosk")
	}
	return k, translate(s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&k).Error, "kiosk")
}
