package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// demoKioskCode issues a fresh one-time enrollment code for the demo's first
// kiosk, so that trying the kiosk needs no admin pages: each start of the
// demo prints a new one (valid for store.EnrollmentTTL), which cancels the
// one printed before.
func demoKioskCode(ctx context.Context, db *database.DB, orgID string) (models.Kiosk, store.Enrollment, error) {
	st := store.New(db)
	kiosks, err := st.Kiosks(ctx, orgID)
	if err != nil {
		return models.Kiosk{}, store.Enrollment{}, fmt.Errorf("demo kiosk: %w", err)
	}
	if len(kiosks) == 0 {
		return models.Kiosk{}, store.Enrollment{}, errors.New("demo kiosk: the demo organization has no kiosk")
	}
	en, err := st.NewEnrollment(ctx, orgID, kiosks[0].ID, "")
	if err != nil {
		return models.Kiosk{}, store.Enrollment{}, fmt.Errorf("demo kiosk %q: %w", kiosks[0].Name, err)
	}
	return kiosks[0], en, nil
}

// demoPosters returns each demo site's own-phone poster, making one for a
// site that has none yet (a new demo, or one seeded before posters), so
// the printed links work at once. A poster stays as printed across starts
// of the demo; a code staff rotated prints as the new one.
func demoPosters(ctx context.Context, db *database.DB, orgID string, sites []models.Site) ([]models.SitePoster, error) {
	st := store.New(db)
	out := make([]models.SitePoster, 0, len(sites))
	for _, site := range sites {
		p, err := st.Poster(ctx, orgID, site.ID)
		if err != nil {
			return nil, fmt.Errorf("demo poster for %q: %w", site.Name, err)
		}
		if p == nil {
			made, err := st.IssuePoster(ctx, orgID, site.ID)
			if err != nil {
				return nil, fmt.Errorf("demo poster for %q: %w", site.Name, err)
			}
			p = &made
		}
		out = append(out, *p)
	}
	return out, nil
}
