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
