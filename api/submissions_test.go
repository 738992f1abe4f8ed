package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func submit(s *testServer, token, key string, body any) response {
	s.t.Helper()
	headers := []string{"Authorization", "Bearer " + token}
	if key != "" {
		headers = append(headers, IdempotencyHeader, key)
	}
	return s.do("POST", "/api/v1/kiosk/submissions", body, headers...)
}

func countRows(t *testing.T, db *database.DB, model any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

var goodSubmission = map[string]any{
	"language": "es", "needs": []string{"naloxone", "housing", "food"}, "priorities": []string{"housing", "naloxone"},
	"strengths": []string{"naloxone_carry"}, "text": "Call me at 555-123-4567 about the van", "may_quote": true,
	"about": map[string]string{"age_band": "35_44", "housing": "unhoused"},
}

func TestSubmissionIsStoredExactlyOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Kiosk Program")
		// 03:00 UTC on the 26th is still the 25th in New York.
		s.clock.Advance(12 * time.Hour)

		first := submit(s, o.KioskToken, "key-1", goodSubmission)
		wantStatus(t, first, http.StatusCreated)
		var created SubmissionCreated
		if err := json.Unmarshal(first.Body.Bytes(), &created); err != nil || !models.IsID(created.ID) {
			t.Fatalf("created %s", first.Body.String())
		}
		again := submit(s, o.KioskToken, "key-1", goodSubmission)
		wantStatus(t, again, http.StatusOK)
		if again.Body.String() != first.Body.String() {
			t.Fatalf("replay answered %s, want %s", again.Body.String(), first.Body.String())
		}
		changed := map[string]any{"language": "en", "needs": []string{"food"}}
		r := submit(s, o.KioskToken, "key-1", changed)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.errorBody(t).Code != "idempotency_mismatch" {
			t.Errorf("mismatch body %s", r.Body.String())
		}
		if n := countRows(t, db, &models.Submission{}); n != 1 {
			t.Fatalf("%d submissions, want 1", n)
		}
		if got := s.metrics.SubmissionsAccepted; got == nil {
			t.Fatal("no metric")
		}

		var sub models.Submission
		if err := db.First(&sub, "id = ?", created.ID).Error; err != nil {
			t.Fatal(err)
		}
		if sub.Day.String() != "2026-11-25" || sub.SiteID != o.Site.ID || sub.Language != "es" ||
			strings.Join(sub.Priorities, ",") != "housing,naloxone" || sub.About["housing"] != "unhoused" {
			t.Errorf("stored %+v", sub)
		}
		var text models.FeedbackText
		if err := db.First(&text, "submission_id = ?", created.ID).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text.Body, "555") || !strings.Contains(text.Body, "[removed]") || text.State != models.TextPending || !text.MayQuote {
			t.Errorf("free text stored as %+v", text)
		}
	})
}

// Bad input gets a 4xx naming the field, and nothing is stored.
func TestBadSubmissionsChangeNothing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Strict Program")
		tests := []struct {
			name   string
			token  string
			key    string
			body   any
			status int
			field  string
		}{
			{"no key", o.KioskToken, "", goodSubmission, 400, IdempotencyHeader},
			{"unknown need", o.KioskToken, "k1", map[string]any{"language": "en", "needs": []string{"teleport"}}, 400, "needs[0]"},
			{"priority not chosen", o.KioskToken, "k2", map[string]any{"language": "en", "needs": []string{"food"}, "priorities": []string{"housing"}}, 400, "priorities[0]"},
			{"too many priorities", o.KioskToken, "k3", map[string]any{"language": "en", "needs": []string{"food", "housing", "naloxone", "jobs"}, "priorities": []string{"food", "housing", "naloxone", "jobs"}}, 400, "priorities"},
			{"repeated need", o.KioskToken, "k4", map[string]any{"language": "en", "needs": []string{"food", "food"}}, 400, "needs"},
			{"unknown strength", o.KioskToken, "k5", map[string]any{"language": "en", "strengths": []string{"flying"}}, 400, "strengths[0]"},
			{"long text", o.KioskToken, "k6", map[string]any{"language": "en", "text": strings.Repeat("a", 1001)}, 400, "text"},
			{"wrong type", o.KioskToken, "k7", map[string]any{"language": "en", "needs": "food"}, 400, "needs"},
			{"unknown language", o.KioskToken, "k8", map[string]any{"language": "fr"}, 400, "language"},
			{"unknown field", o.KioskToken, "k9", map[string]any{"language": "en", "name": "Sam"}, 400, "name"},
			{"unknown band", o.KioskToken, "k10", map[string]any{"language": "en", "about": map[string]string{"age_band": "33"}}, 400, "about.age_band"},
			{"unknown question", o.KioskToken, "k11", map[string]any{"language": "en", "about": map[string]string{"birthday": "may"}}, 400, "about.birthday"},
			{"oversized", o.KioskToken, "k12", `{"language":"en","text":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, 413, ""},
			{"revoked or unknown token", "chorus_kiosk_nope", "k13", goodSubmission, 401, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := submit(s, tt.token, tt.key, tt.body)
				wantStatus(t, r, tt.status)
				e := r.errorBody(t)
				if tt.field != "" && e.Fields[tt.field] == "" {
					t.Errorf("fields %v do not name %s", e.Fields, tt.field)
				}
			})
		}
		if n := countRows(t, db, &models.Submission{}); n != 0 {
			t.Fatalf("%d submissions stored from bad input", n)
		}
		if n := countRows(t, db, &models.FeedbackText{}); n != 0 {
			t.Fatalf("%d texts stored from bad input", n)
		}
	})
}

func TestSubmissionBatch(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Batch Program")
		wantStatus(t, submit(s, o.KioskToken, "a", map[string]any{"language": "en", "needs": []string{"food"}}), http.StatusCreated)
		body := map[string]any{"items": []map[string]any{
			{"idempotency_key": "a", "submission": map[string]any{"language": "en", "needs": []string{"food"}}},
			{"idempotency_key": "b", "submission": map[string]any{"language": "en", "needs": []string{"jobs"}}},
			{"idempotency_key": "c", "submission": map[string]any{"language": "en", "needs": []string{"nope"}}},
			{"idempotency_key": "a", "submission": map[string]any{"language": "es"}},
			{"idempotency_key": "", "submission": map[string]any{"language": "en"}},
		}}
		r := s.do("POST", "/api/v1/kiosk/submissions:batch", body, "Authorization", "Bearer "+o.KioskToken)
		wantStatus(t, r, http.StatusOK)
		var out struct{ Results []BatchResult }
		if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		var statuses []int
		for _, res := range out.Results {
			statuses = append(statuses, res.Status)
		}
		if want := []int{200, 201, 400, 422, 400}; len(statuses) != len(want) || statuses[0] != 200 || statuses[1] != 201 || statuses[2] != 400 || statuses[3] != 422 || statuses[4] != 400 {
			t.Fatalf("statuses %v, want %v; %s", statuses, want, r.Body.String())
		}
		if n := countRows(t, db, &models.Submission{}); n != 2 {
			t.Fatalf("%d submissions, want 2", n)
		}
		tooMany := map[string]any{"items": make([]map[string]any, MaxBatch+1)}
		for i := range tooMany["items"].([]map[string]any) {
			tooMany["items"].([]map[string]any)[i] = map[string]any{"idempotency_key": "x", "submission": map[string]any{"language": "en"}}
		}
		wantStatus(t, s.do("POST", "/api/v1/kiosk/submissions:batch", tooMany, "Authorization", "Bearer "+o.KioskToken), http.StatusBadRequest)
	})
}

// Nothing stored about a participant holds a time finer than the day, an
// address or a device detail.
func TestParticipantTablesHoldNoIdentifyingColumns(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		// Any of these words in a column name (split at underscores) is
		// refused: addresses, agents, devices, names and fine times.
		forbidden := map[string]bool{"ip": true, "addr": true, "address": true, "agent": true, "fingerprint": true, "device": true,
			"created": true, "updated": true, "time": true, "timestamp": true, "at": true, "name": true, "email": true, "phone": true}
		for _, table := range []string{"submissions", "feedback_texts"} {
			cols, err := db.Migrator().ColumnTypes(table)
			if err != nil {
				t.Fatal(err)
			}
			for _, col := range cols {
				name := strings.ToLower(col.Name())
				for _, word := range strings.Split(name, "_") {
					if forbidden[word] {
						t.Errorf("%s.%s looks like it could identify someone (%s)", table, name, word)
					}
				}
				typ := strings.ToLower(col.DatabaseTypeName())
				if strings.Contains(typ, "time") || strings.Contains(typ, "stamp") {
					t.Errorf("%s.%s has type %s: finer than a day", table, name, typ)
				}
				if name == "day" && typ != "date" {
					t.Errorf("%s.day has type %s, want date", table, typ)
				}
			}
		}
	})
}

func TestReceiptIsStoredOnlyAsAHash(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Receipt Program")
		r := submit(s, o.KioskToken, "r1", map[string]any{"language": "en", "needs": []string{"food"}, "receipt": "k7m-3qx"})
		wantStatus(t, r, http.StatusCreated)
		var sub models.Submission
		if err := db.First(&sub).Error; err != nil {
			t.Fatal(err)
		}
		if len(sub.ReceiptHash) != 32 || strings.Contains(string(sub.ReceiptHash), "K7M") {
			t.Fatalf("receipt stored as %x", sub.ReceiptHash)
		}
		r = submit(s, o.KioskToken, "r2", map[string]any{"language": "en", "receipt": "K0O-1IL"})
		wantStatus(t, r, http.StatusBadRequest)
	})
}

func TestKioskConfigAndBoard(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Board Program")
		k := bearer("kiosk", o.KioskToken)
		r := s.as(k, "GET", "/api/v1/kiosk/config", nil)
		wantStatus(t, r, http.StatusOK)
		var cfg KioskConfig
		if err := json.Unmarshal(r.Body.Bytes(), &cfg); err != nil {
			t.Fatal(err)
		}
		if len(cfg.Needs) != 17 || cfg.Needs[0].Code != "sterile_supplies" || cfg.Needs[0].Labels["es"] == "" ||
			len(cfg.Strengths) == 0 || len(cfg.About["housing"]) == 0 || len(cfg.Resources) < 2 || cfg.Site.ID != o.Site.ID {
			t.Fatalf("config %s", r.Body.String())
		}
		r = s.as(k, "GET", "/api/v1/kiosk/board", nil)
		wantStatus(t, r, http.StatusOK)
		if r.Body.String() != `{"outcomes":[]}` {
			t.Fatalf("empty board %s", r.Body.String())
		}
		p := models.Proposal{ID: models.NewID(), OrganizationID: o.ID, Title: models.Text{"en": "Naloxone box", "es": "Caja de naloxona"},
			Description: models.Text{"en": "d"}, Origin: models.OriginParticipants, Status: models.StatusAccepted}
		if err := db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
		up := models.ProposalUpdate{ID: models.NewID(), ProposalID: p.ID, Status: models.StatusAccepted, Body: models.Text{"en": "Yes", "es": "Sí"}, Day: models.DayOf(time.Now(), time.UTC)}
		if err := db.Create(&up).Error; err != nil {
			t.Fatal(err)
		}
		r = s.as(k, "GET", "/api/v1/kiosk/board", nil)
		if !strings.Contains(r.Body.String(), `"Caja de naloxona"`) || !strings.Contains(r.Body.String(), `"status":"accepted"`) || !strings.Contains(r.Body.String(), `"es":"Sí"`) {
			t.Fatalf("board %s", r.Body.String())
		}
	})
}
