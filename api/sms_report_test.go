package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// TestSMSInReports: text-message feedback counts in the reports like any
// other, through the same suppression, and the channels report tells
// kiosk, own phone and text message apart.
func TestSMSInReports(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newSMSServer(t, db)
		for i := range 14 {
			body := map[string]any{"language": "en", "needs": []string{"food"}}
			wantStatus(t, submit(s.testServer, s.org.KioskToken, fmt.Sprint("kiosk-", i), body), http.StatusCreated)
		}
		for i := range 12 {
			phone := fmt.Sprintf("+1555060%04d", i)
			s.wantReply(phone, "hi", "What do you need?")
			s.wantReply(phone, "11", "Anything else") // Food
			s.wantReply(phone, "0", "Thank you")
		}
		policymaker := session(t, db, s.store, s.org.Users[models.RolePolicymaker], s.org.ID)
		r := s.as(policymaker, "GET", "/api/v1/reports/channels?from=2026-11-01&to=2026-11-30", nil)
		wantStatus(t, r, http.StatusOK)
		var ch struct {
			Total    *int `json:"total"`
			Channels []struct {
				Code  string `json:"code"`
				Total *int   `json:"total"`
			} `json:"channels"`
		}
		if err := json.Unmarshal(r.Body.Bytes(), &ch); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, row := range ch.Channels {
			if row.Total == nil {
				t.Fatalf("channel %s hidden: %s", row.Code, r.Body.String())
			}
			got[row.Code] = *row.Total
		}
		if ch.Total == nil || *ch.Total != 26 || got["kiosk"] != 14 || got["phone"] != 0 || got["sms"] != 12 {
			t.Fatalf("channels %v of %v, want kiosk 14, phone 0, sms 12 of 26: %s", got, ch.Total, r.Body.String())
		}
		r = s.as(policymaker, "GET", "/api/v1/reports/needs?from=2026-11-01&to=2026-11-30", nil)
		wantStatus(t, r, http.StatusOK)
		var needs struct {
			Rows []struct {
				Code  string `json:"code"`
				Total *int   `json:"total"`
			} `json:"rows"`
		}
		if err := json.Unmarshal(r.Body.Bytes(), &needs); err != nil {
			t.Fatal(err)
		}
		food := -1
		for _, row := range needs.Rows {
			if row.Code == "food" && row.Total != nil {
				food = *row.Total
			}
		}
		if food != 26 {
			t.Fatalf("food chosen by %d, want 26 (kiosk and text alike): %s", food, r.Body.String())
		}
	})
}
