package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func TestModerationGatesFreeText(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Moderated Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		// A lone first name is left by the scrubber (docs/scrubbing.md) for
		// a moderator to take out.
		for i, text := range []string{"More evening hours please", "Ana from the corner needs housing", "Nothing to add, thanks"} {
			body := map[string]any{"language": "en", "text": text, "may_quote": i != 2}
			wantStatus(t, submit(s, o.KioskToken, "t"+string(rune('0'+i)), body), http.StatusCreated)
		}
		// Not quotable before moderation.
		if quotes, _ := s.store.ApprovedQuotes(t.Context(), o.ID, 10); len(quotes) != 0 {
			t.Fatalf("quotes before moderation: %+v", quotes)
		}
		r := s.as(staff, "GET", "/api/v1/feedback/texts", nil)
		wantStatus(t, r, http.StatusOK)
		var queue struct{ Texts []models.FeedbackText }
		if err := json.Unmarshal(r.Body.Bytes(), &queue); err != nil || len(queue.Texts) != 3 {
			t.Fatalf("queue %s", r.Body.String())
		}
		byBody := map[string]string{}
		for _, tx := range queue.Texts {
			byBody[tx.Body] = tx.ID
		}
		moderate := func(id string, body map[string]string) response {
			return s.as(staff, "POST", "/api/v1/feedback/texts/"+id+"/moderate", body)
		}
		wantStatus(t, moderate(byBody["More evening hours please"], map[string]string{"decision": "approve"}), http.StatusOK)
		wantStatus(t, moderate(byBody["Ana from the corner needs housing"], map[string]string{"decision": "redact", "body": "[name] from the corner needs housing"}), http.StatusOK)
		wantStatus(t, moderate(byBody["Nothing to add, thanks"], map[string]string{"decision": "reject"}), http.StatusOK)
		// A decision is final.
		wantStatus(t, moderate(byBody["Nothing to add, thanks"], map[string]string{"decision": "approve"}), http.StatusBadRequest)

		quotes, err := s.store.ApprovedQuotes(t.Context(), o.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var bodies []string
		for _, q := range quotes {
			bodies = append(bodies, q.Body)
		}
		got := strings.Join(bodies, "|")
		if len(quotes) != 2 || !strings.Contains(got, "More evening hours please") || !strings.Contains(got, "[name] from the corner needs housing") {
			t.Fatalf("quotes %q", got)
		}
		// The redaction replaced the original everywhere.
		var n int64
		db.Model(&models.FeedbackText{}).Where("body LIKE ?", "%Ana%").Count(&n)
		if n != 0 {
			t.Fatal("the original of a redacted text is still stored")
		}
		events, _ := s.store.AuditEvents(t.Context(), o.ID, storeFilter("moderation"))
		if len(events) != 3 {
			t.Fatalf("%d moderation audit events, want 3", len(events))
		}
		for _, e := range events {
			for _, v := range e.Detail {
				if strings.Contains(v, "evening") || strings.Contains(v, "Ana") {
					t.Fatalf("audit holds participant content: %+v", e)
				}
			}
		}
	})
}

func TestUrgentWordsRaiseAnAlert(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Alert Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		wantStatus(t, submit(s, o.KioskToken, "calm", map[string]any{"language": "en", "text": "Thanks for the food"}), http.StatusCreated)
		wantStatus(t, submit(s, o.KioskToken, "urgent", map[string]any{"language": "es", "text": "Hay una MALA mezcla en el parque, cuidado con la xilacina"}), http.StatusCreated)
		r := s.as(staff, "GET", "/api/v1/alerts", nil)
		wantStatus(t, r, http.StatusOK)
		var inbox struct{ Alerts []models.Alert }
		if err := json.Unmarshal(r.Body.Bytes(), &inbox); err != nil || len(inbox.Alerts) != 1 {
			t.Fatalf("alerts %s", r.Body.String())
		}
		a := inbox.Alerts[0]
		if a.SiteID == nil || *a.SiteID != o.Site.ID || a.Day.IsZero() || !strings.Contains(strings.Join(a.Matched, ","), "mala mezcla") {
			t.Errorf("alert %+v", a)
		}
		if strings.Contains(r.Body.String(), "parque") {
			t.Errorf("the alert carries the participant's words: %s", r.Body.String())
		}
		// Admins choose the words.
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		wantStatus(t, s.as(admin, "PATCH", "/api/v1/organization", map[string]any{"urgent_words": []string{"  Police  Sweep "}}), http.StatusOK)
		wantStatus(t, submit(s, o.KioskToken, "sweep", map[string]any{"language": "en", "text": "there was a police sweep last night"}), http.StatusCreated)
		r = s.as(staff, "GET", "/api/v1/alerts", nil)
		if !strings.Contains(r.Body.String(), `"police sweep"`) {
			t.Errorf("configured word did not alert: %s", r.Body.String())
		}
	})
}

// An alert opens the very text it was raised for, however deep in the queue
// it sits, and only for its own organization.
func TestAlertOpensItsText(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Deep Queue Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		for i := range 3 {
			wantStatus(t, submit(s, o.KioskToken, fmt.Sprintf("calm-%d", i), map[string]any{"language": "en", "text": fmt.Sprintf("More hours, please (%d)", i)}), http.StatusCreated)
		}
		wantStatus(t, submit(s, o.KioskToken, "urgent", map[string]any{"language": "en", "text": "Someone had an overdose by the river"}), http.StatusCreated)
		var inbox struct{ Alerts []models.Alert }
		r := s.as(staff, "GET", "/api/v1/alerts", nil)
		if err := json.Unmarshal(r.Body.Bytes(), &inbox); err != nil || len(inbox.Alerts) != 1 || inbox.Alerts[0].FeedbackTextID == nil {
			t.Fatalf("alerts %s", r.Body.String())
		}
		path := "/api/v1/feedback/texts/" + *inbox.Alerts[0].FeedbackTextID
		r = s.as(staff, "GET", path, nil)
		wantStatus(t, r, http.StatusOK)
		var text models.FeedbackText
		if err := json.Unmarshal(r.Body.Bytes(), &text); err != nil || text.Body != "Someone had an overdose by the river" || text.State != models.TextPending {
			t.Fatalf("the alert's text: %s", r.Body.String())
		}
		// Moderated, it still opens, with its decision.
		wantStatus(t, s.as(staff, "POST", path+"/moderate", map[string]string{"decision": "approve"}), http.StatusOK)
		r = s.as(staff, "GET", path, nil)
		if err := json.Unmarshal(r.Body.Bytes(), &text); err != nil || text.State != models.TextApproved {
			t.Fatalf("after approval: %s", r.Body.String())
		}
		other := newOrg(t, s.store, "Other Program")
		outsider := session(t, db, s.store, other.Users[models.RoleStaff], other.ID)
		wantStatus(t, s.as(outsider, "GET", path, nil), http.StatusNotFound)
		wantStatus(t, s.as(staff, "GET", "/api/v1/feedback/texts/not-an-id", nil), http.StatusNotFound)
	})
}

// A redaction also forgets the request hash, which covered the words the
// moderator removed; a late retry of the same key is still a replay.
func TestRedactionForgetsRequestHash(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Forgetful Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		body := map[string]any{"language": "en", "text": "Tell Marisol the van is late"}
		first := submit(s, o.KioskToken, "late", body)
		wantStatus(t, first, http.StatusCreated)
		var text models.FeedbackText
		if err := db.First(&text).Error; err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.as(staff, "POST", "/api/v1/feedback/texts/"+text.ID+"/moderate", map[string]string{"decision": "redact", "body": "Tell [name] the van is late"}), http.StatusOK)
		var sub models.Submission
		if err := db.First(&sub).Error; err != nil {
			t.Fatal(err)
		}
		if sub.RequestHash != nil {
			t.Fatalf("request hash kept after redaction: %x", sub.RequestHash)
		}
		again := submit(s, o.KioskToken, "late", body)
		wantStatus(t, again, http.StatusOK)
		if again.Body.String() != first.Body.String() {
			t.Fatalf("retry answered %s", again.Body.String())
		}
	})
}
