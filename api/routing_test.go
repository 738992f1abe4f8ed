package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func decodeInto(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body.String(), err)
	}
}

// An admin adds a webhook (its secret shown once), an urgent rule and a
// weekly digest, sends a test, and staff read the delivery log and their
// inbox of digests.
func TestRoutingAPI(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Routing Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)

		r := s.as(admin, "POST", "/api/v1/webhooks", map[string]any{"name": "On call", "url": "https://ops.example.org/hook"})
		wantStatus(t, r, http.StatusCreated)
		var hook struct {
			ID     string `json:"id"`
			Secret string `json:"secret"`
		}
		decodeInto(t, r, &hook)
		if !strings.HasPrefix(hook.Secret, "whsec_") {
			t.Fatalf("no secret on create: %s", r.Body.String())
		}
		r = s.as(admin, "GET", "/api/v1/webhooks", nil)
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.Body.String(), hook.Secret) || strings.Contains(r.Body.String(), "secret") {
			t.Fatalf("the list shows the secret again: %s", r.Body.String())
		}
		wantStatus(t, s.as(admin, "POST", "/api/v1/webhooks", map[string]any{"name": "Bad", "url": "javascript:alert(1)"}), http.StatusBadRequest)

		r = s.as(admin, "POST", "/api/v1/routing/rules", map[string]any{"name": "Urgent words", "event": "urgent",
			"emails": []string{"oncall@example.org"}, "webhook_ids": []string{hook.ID}})
		wantStatus(t, r, http.StatusCreated)
		r = s.as(admin, "POST", "/api/v1/routing/rules", map[string]any{"name": "Weekly", "event": "digest", "schedule": "weekly", "weekday": 1,
			"user_ids": []string{o.Users[models.RoleStaff].ID}, "emails": []string{"board@example.org"}, "language": "es"})
		wantStatus(t, r, http.StatusCreated)
		var weekly models.RoutingRule
		decodeInto(t, r, &weekly)
		if weekly.TimeZone != "America/New_York" || !weekly.Active || *weekly.Weekday != 1 {
			t.Errorf("weekly rule %+v", weekly)
		}
		r = s.as(admin, "POST", "/api/v1/routing/rules", map[string]any{"name": "No one", "event": "urgent"})
		wantStatus(t, r, http.StatusBadRequest)
		if r.errorBody(t).Fields["recipients"] == "" {
			t.Errorf("want recipients named: %s", r.Body.String())
		}
		r = s.as(admin, "POST", "/api/v1/routing/rules", map[string]any{"name": "Policy", "event": "urgent", "user_ids": []string{o.Users[models.RolePolicymaker].ID}})
		wantStatus(t, r, http.StatusBadRequest)

		r = s.as(admin, "PATCH", "/api/v1/routing/rules/"+weekly.ID, map[string]any{"active": false})
		wantStatus(t, r, http.StatusOK)
		var patched models.RoutingRule
		decodeInto(t, r, &patched)
		if patched.Active || patched.Name != "Weekly" || len(patched.Emails) != 1 {
			t.Errorf("PATCH changed more than asked: %+v", patched)
		}

		wantStatus(t, s.as(admin, "POST", "/api/v1/routing/rules/"+weekly.ID+"/test", nil), http.StatusAccepted)
		r = s.as(staff, "GET", "/api/v1/deliveries", nil)
		wantStatus(t, r, http.StatusOK)
		var log struct{ Deliveries []models.Delivery }
		decodeInto(t, r, &log)
		if len(log.Deliveries) != 3 {
			t.Fatalf("want staff e-mail, staff inbox and address e-mail queued, got %s", r.Body.String())
		}
		for _, d := range log.Deliveries {
			if d.Kind != models.DeliveryTest || (d.Channel != models.ChannelInbox && d.State != models.DeliveryPending) {
				t.Errorf("delivery %+v", d)
			}
		}
		wantStatus(t, s.as(staff, "GET", "/api/v1/deliveries?state=lost", nil), http.StatusBadRequest)

		r = s.as(staff, "GET", "/api/v1/inbox/digests", nil)
		wantStatus(t, r, http.StatusOK)
		var inbox struct {
			Digests []struct {
				Subject string
				Digest  struct {
					Exact bool `json:"exact"`
					Test  bool `json:"test"`
				}
			}
		}
		decodeInto(t, r, &inbox)
		if len(inbox.Digests) != 1 || !inbox.Digests[0].Digest.Exact || !inbox.Digests[0].Digest.Test {
			t.Fatalf("inbox %s", r.Body.String())
		}
		// A test of an urgent rule sends no digest to anyone's inbox.
		var urgent models.RoutingRule
		for _, rule := range listRules(t, s, admin) {
			if rule.Event == models.EventUrgent {
				urgent = rule
			}
		}
		wantStatus(t, s.as(admin, "PATCH", "/api/v1/routing/rules/"+urgent.ID, map[string]any{"user_ids": []string{o.Users[models.RoleStaff].ID}}), http.StatusOK)
		wantStatus(t, s.as(admin, "POST", "/api/v1/routing/rules/"+urgent.ID+"/test", nil), http.StatusAccepted)
		r = s.as(staff, "GET", "/api/v1/inbox/digests", nil)
		decodeInto(t, r, &inbox)
		if len(inbox.Digests) != 1 {
			t.Errorf("an urgent test reached the digest inbox: %s", r.Body.String())
		}
		r = s.as(session(t, db, s.store, o.Users[models.RoleAdmin], o.ID), "GET", "/api/v1/inbox/digests", nil)
		if strings.Contains(r.Body.String(), "Resumen") || strings.Contains(r.Body.String(), "summary") {
			t.Errorf("the admin sees the staff user's inbox: %s", r.Body.String())
		}

		// Another organization's admin sees nothing of it.
		b := newOrg(t, s.store, "Other Program")
		adminB := session(t, db, s.store, b.Users[models.RoleAdmin], b.ID)
		wantStatus(t, s.as(adminB, "PATCH", "/api/v1/routing/rules/"+weekly.ID, map[string]any{"active": true}), http.StatusNotFound)
		wantStatus(t, s.as(adminB, "POST", "/api/v1/routing/rules/"+weekly.ID+"/test", nil), http.StatusNotFound)
		wantStatus(t, s.as(adminB, "DELETE", "/api/v1/webhooks/"+hook.ID, nil), http.StatusNotFound)
		r = s.as(adminB, "GET", "/api/v1/deliveries", nil)
		if strings.Contains(r.Body.String(), "board@example.org") {
			t.Errorf("another organization reads the log: %s", r.Body.String())
		}

		wantStatus(t, s.as(admin, "DELETE", "/api/v1/webhooks/"+hook.ID, nil), http.StatusNoContent)
		wantStatus(t, s.as(admin, "DELETE", "/api/v1/routing/rules/"+weekly.ID, nil), http.StatusNoContent)
		wantStatus(t, s.as(admin, "DELETE", "/api/v1/routing/rules/"+weekly.ID, nil), http.StatusNotFound)
	})
}

func listRules(t *testing.T, s *testServer, c caller) []models.RoutingRule {
	t.Helper()
	r := s.as(c, "GET", "/api/v1/routing/rules", nil)
	wantStatus(t, r, http.StatusOK)
	var out struct{ Rules []models.RoutingRule }
	decodeInto(t, r, &out)
	return out.Rules
}
