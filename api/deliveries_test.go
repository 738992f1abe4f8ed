package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/deliver"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// Staff read the delivery log of an urgent alert — one webhook sent, one
// e-mail waiting for SMTP — and see its day, never a time (which would say
// when someone used the kiosk) nor anything that leads to the submission.
func TestDeliveryLogShowsOnlyTheDay(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Delivery Day Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
		t.Cleanup(receiver.Close)
		r := s.as(admin, "POST", "/api/v1/webhooks", map[string]any{"name": "On call", "url": receiver.URL + "/hook"})
		wantStatus(t, r, http.StatusCreated)
		var hook models.Webhook
		decodeInto(t, r, &hook)
		wantStatus(t, s.as(admin, "POST", "/api/v1/routing/rules", map[string]any{"name": "Urgent words", "event": "urgent",
			"emails": []string{"oncall@example.org"}, "webhook_ids": []string{hook.ID}}), http.StatusCreated)

		s.clock.Advance(17*time.Minute + 23*time.Second)
		wantStatus(t, submit(s, o.KioskToken, "urgent", map[string]any{"language": "en", "text": "An overdose by the river"}), http.StatusCreated)
		if err := deliver.NewWorker(s.store, "http://chorus.test", nil, testutil.Logger()).Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		var alert models.Alert
		var sub models.Submission
		if err := db.First(&alert).Error; err != nil || alert.FeedbackTextID == nil {
			t.Fatalf("alert %+v: %v", alert, err)
		}
		if err := db.First(&sub).Error; err != nil {
			t.Fatal(err)
		}

		r = s.as(staff, "GET", "/api/v1/deliveries", nil)
		wantStatus(t, r, http.StatusOK)
		var log struct{ Deliveries []map[string]any }
		decodeInto(t, r, &log)
		if len(log.Deliveries) != 2 {
			t.Fatalf("want the webhook and the e-mail, got %s", r.Body.String())
		}
		states := map[string]bool{}
		for _, d := range log.Deliveries {
			states[d["state"].(string)] = true
			if d["day"] != sub.Day.String() {
				t.Errorf("delivery day %v, want the submission's %s", d["day"], sub.Day)
			}
		}
		if !states[models.DeliverySent] || !states[models.DeliveryPending] {
			t.Errorf("want one sent and one waiting: %s", r.Body.String())
		}
		body := r.Body.String()
		for _, name := range []string{"created_at", "sent_at", "next_attempt_at"} {
			if strings.Contains(body, name) {
				t.Errorf("the log shows %s: %s", name, body)
			}
		}
		if m := regexp.MustCompile(`\d\d:\d\d`).FindString(body); m != "" {
			t.Errorf("the log shows a time of day (%s): %s", m, body)
		}
		for _, id := range []string{sub.ID, *alert.FeedbackTextID, alert.ID} {
			if strings.Contains(body, id) {
				t.Errorf("the log holds %s of the submission, its text or its alert: %s", id, body)
			}
		}
	})
}
