package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// TestSupportResistsSubtraction is issue 12's third attack: 12 agree at an
// urban site and 3 at a rural one. The proposals report for the whole
// organization, for the urban site (site_id or setting=urban), and the
// proposal's own support table must not let a policymaker subtract the
// rural 3.
func TestSupportResistsSubtraction(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Subtraction Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		ctx := context.Background()
		rural, err := s.store.CreateSite(ctx, o.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		_, ruralToken, err := s.store.ProvisionKiosk(ctx, o.ID, rural.ID, "Van tablet")
		if err != nil {
			t.Fatal(err)
		}
		id := newProposal(t, s, staff, o.Site.ID)
		wantStatus(t, postUpdate(s, staff, id, "open"), http.StatusCreated)
		for i := range 12 {
			wantStatus(t, supportCall(s, o.KioskToken, fmt.Sprint("u", i), map[string]string{"proposal_id": id, "answer": "agree"}), http.StatusCreated)
		}
		for i := range 3 {
			wantStatus(t, supportCall(s, ruralToken, fmt.Sprint("r", i), map[string]string{"proposal_id": id, "answer": "agree"}), http.StatusCreated)
		}
		agree := func(path string) *int {
			r := s.as(policymaker, "GET", path, nil)
			wantStatus(t, r, http.StatusOK)
			var out struct {
				Proposals []struct {
					ID      string
					Support struct{ Agree *int }
				}
				Total struct{ Agree *int }
				Sites []struct {
					SiteID string `json:"site_id"`
					Agree  *int
				}
			}
			if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			for _, p := range out.Proposals {
				if p.ID == id {
					return p.Support.Agree
				}
			}
			for _, site := range out.Sites {
				if site.SiteID == o.Site.ID {
					return site.Agree
				}
			}
			return out.Total.Agree
		}
		whole := agree("/api/v1/reports/proposals")
		for _, part := range []*int{agree("/api/v1/reports/proposals?site_id=" + o.Site.ID), agree("/api/v1/reports/proposals?setting=urban"),
			agree("/api/v1/proposals/" + id + "/support")} {
			if whole != nil && part != nil && *whole-*part > 0 && *whole-*part < 11 {
				t.Fatalf("the organization shows %d agree and the urban site %d: the rural site's %d is given away", *whole, *part, *whole-*part)
			}
		}
	})
}
