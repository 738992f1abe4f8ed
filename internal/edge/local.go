package edge

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/models"
)

// FacilitatorEmail is the edge's one local account. Its password is the
// van's passphrase: staff passwords never leave the main server, and the
// edge's sign-in (with its back-off) unlocks the console with it.
const FacilitatorEmail = "facilitator@van.local"

// Link reads the edge's link to upstream; ok is false on a server that
// was never enrolled as an edge.
func Link(ctx context.Context, db *gorm.DB) (models.EdgeLink, bool, error) {
	var rows []models.EdgeLink
	if err := db.WithContext(ctx).Where("id = 1").Limit(1).Find(&rows).Error; err != nil {
		return models.EdgeLink{}, false, fmt.Errorf("edge link: %w", err)
	}
	if len(rows) == 0 {
		return models.EdgeLink{}, false, nil
	}
	return rows[0], true, nil
}

// SaveEnrollment keeps the device token and mirrors the first state, in
// one transaction: enrolling again replaces the token and keeps every
// record and the outbox.
func SaveEnrollment(ctx context.Context, db *gorm.DB, upstream string, en EnrollResponse, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		link := models.EdgeLink{ID: 1, Upstream: upstream, DeviceID: en.Device.ID, Token: en.Token,
			OrganizationID: en.State.Organization.ID, SiteID: en.State.Site.ID, State: models.RawJSON("{}"), Online: true}
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
			DoUpdates: clause.AssignmentColumns([]string{"upstream", "device_id", "token", "organization_id", "site_id", "online", "revoked", "last_error"})}).
			Create(&link).Error
		if err != nil {
			return fmt.Errorf("save edge link: %w", err)
		}
		if err := tx.Model(&models.EdgeLink{}).Where("id = 1").Updates(map[string]any{"revoked": false, "last_error": ""}).Error; err != nil {
			return fmt.Errorf("save edge link: %w", err)
		}
		return mirror(tx, en.State, now)
	})
}

// Mirror stores a pulled state: the main server owns configuration, so it
// replaces the van's copy. Categories are never deleted (answers refer to
// them); open proposals that are no longer open upstream stop being
// offered for rounds.
func Mirror(ctx context.Context, db *gorm.DB, st State, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return mirror(tx, st, now) })
}

func mirror(tx *gorm.DB, st State, now time.Time) error {
	o := st.Organization
	org := models.Organization{ID: o.ID, Name: o.Name, Slug: o.Slug, Languages: o.Languages, MinCell: o.MinCell,
		MinVoters: o.MinVoters, UrgentWords: o.UrgentWords, Resources: o.Resources, PublicBoard: true, ResponseDays: 30,
		CreatedAt: now, UpdatedAt: now}
	if org.UrgentWords == nil {
		org.UrgentWords = models.Codes{}
	}
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "slug", "languages", "min_cell", "min_voters", "urgent_words", "resources", "updated_at"})}).
		Create(&org).Error; err != nil {
		return fmt.Errorf("mirror organization: %w", err)
	}
	site := st.Site
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "kind", "setting", "time_zone", "updated_at"})}).
		Create(&site).Error; err != nil {
		return fmt.Errorf("mirror site: %w", err)
	}
	for _, c := range st.Categories {
		row := models.Category{ID: models.NewID(), OrganizationID: o.ID, Kind: c.Kind, Code: c.Code, Icon: c.Icon, Labels: c.Labels,
			Position: c.Position, Active: c.Active}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "organization_id"}, {Name: "kind"}, {Name: "code"}},
			DoUpdates: clause.AssignmentColumns([]string{"icon", "labels", "position", "active"})}).Create(&row).Error; err != nil {
			return fmt.Errorf("mirror category %s: %w", c.Code, err)
		}
		// GORM leaves a false bool out of an INSERT (the column's default
		// is true): a retired category is set explicitly.
		if !c.Active {
			if err := tx.Model(&models.Category{}).Where("organization_id = ? AND kind = ? AND code = ?", o.ID, c.Kind, c.Code).
				Update("active", false).Error; err != nil {
				return fmt.Errorf("mirror category %s: %w", c.Code, err)
			}
		}
	}
	// Kiosks check codes against a cache keyed by this version.
	if err := tx.Exec("UPDATE organizations SET categories_version = categories_version + 1 WHERE id = ?", o.ID).Error; err != nil {
		return fmt.Errorf("mirror categories version: %w", err)
	}
	ids := []string{}
	for _, p := range st.Proposals {
		ids = append(ids, p.ID)
		created := p.CreatedOn
		if created.IsZero() {
			created = models.DayOf(now, time.UTC)
			if p.Update != nil {
				created = p.Update.Day
			}
		}
		row := models.Proposal{ID: p.ID, OrganizationID: o.ID, Title: p.Title, Description: p.Description, Origin: p.Origin,
			Status: p.Status, Needs: p.Needs, CreatedOn: created, CreatedAt: now, UpdatedAt: now}
		if row.Description == nil {
			row.Description = models.Text{}
		}
		if row.Needs == nil {
			row.Needs = models.Codes{}
		}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
			DoUpdates: clause.AssignmentColumns([]string{"title", "description", "status", "needs", "updated_at"})}).Create(&row).Error; err != nil {
			return fmt.Errorf("mirror proposal %s: %w", p.ID, err)
		}
		if u := p.Update; u != nil {
			up := *u
			up.ProposalID, up.CreatedBy, up.CreatedAt = p.ID, nil, now
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&up).Error; err != nil {
				return fmt.Errorf("mirror proposal update %s: %w", u.ID, err)
			}
		}
	}
	q := tx.Model(&models.Proposal{}).Where("organization_id = ? AND status = ?", o.ID, models.StatusOpen)
	if len(ids) > 0 {
		q = q.Where("id NOT IN ?", ids)
	}
	if err := q.Update("status", models.StatusUnderReview).Error; err != nil {
		return fmt.Errorf("retire proposals closed upstream: %w", err)
	}
	return tx.Model(&models.EdgeLink{}).Where("id = 1").Updates(map[string]any{"pulled_at": now}).Error
}
