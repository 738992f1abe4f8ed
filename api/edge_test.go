package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// An admin adds an edge device and gets a code; the laptop enrolls with it,
// pulls its state and sends a batch, which is stored once however often it
// comes; bad batches are refused with the one error body and store
// nothing; a revoked device is refused at once.
func TestEdgeDeviceEnrollsAndSyncsOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Van Program")
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)

		wantStatus(t, s.as(staff, http.MethodPost, "/api/v1/edge-devices", map[string]any{"site_id": o.Site.ID, "name": "Van laptop"}), http.StatusForbidden)
		r := s.as(admin, http.MethodPost, "/api/v1/edge-devices", map[string]any{"site_id": o.Site.ID, "name": "Van laptop"})
		wantStatus(t, r, http.StatusCreated)
		var created EdgeCreated
		if err := json.Unmarshal(r.Body.Bytes(), &created); err != nil || created.Enrollment.Code == "" {
			t.Fatalf("created: %s %v", r.Body.String(), err)
		}
		if e := s.do(http.MethodPost, edge.PathEnroll, map[string]any{"code": "WRONG234"}).errorBody(t); e.Fields["code"] == "" {
			t.Fatalf("a wrong code: %+v", e)
		}
		r = s.do(http.MethodPost, edge.PathEnroll, map[string]any{"code": created.Enrollment.Code})
		wantStatus(t, r, http.StatusCreated)
		var en edge.EnrollResponse
		if err := json.Unmarshal(r.Body.Bytes(), &en); err != nil || en.Token == "" || en.State.Site.ID != o.Site.ID || len(en.State.Categories) == 0 {
			t.Fatalf("enrolled: %s %v", r.Body.String(), err)
		}
		dev := bearer("edge", en.Token)
		wantStatus(t, s.as(dev, http.MethodGet, edge.PathState, nil), http.StatusOK)
		wantStatus(t, s.as(bearer("kiosk", o.KioskToken), http.MethodGet, edge.PathState, nil), http.StatusUnauthorized)

		start := s.clock.Now().Add(-2 * time.Hour)
		batch := edge.Batch{ID: "b-1", SiteID: o.Site.ID, Items: []edge.Item{
			{ID: "s-1", Kind: edge.KindSubmission, Submission: &edge.Submission{Language: "en", Needs: []string{"housing"},
				Text: "Call me at 555-123-4567 about the overdose"}},
			{ID: "m-1", Kind: edge.KindSession, Session: &edge.Session{Title: "Van meeting", Language: "es", StartedAt: start,
				EndedAt: start.Add(time.Hour), Participants: 3, Rounds: []edge.Round{{Position: 0, Kind: tally.Scale, Prompt: "How was today?",
					State: models.RoundRevealed, Tally: tally.Tally{Voters: 3, Votes: map[string]int{"4": 2, "5": 1}}}}}},
		}}
		first := s.as(dev, http.MethodPost, edge.PathBatches, batch)
		wantStatus(t, first, http.StatusOK)
		again := s.as(dev, http.MethodPost, edge.PathBatches, batch)
		wantStatus(t, again, http.StatusOK)
		if again.Body.String() != first.Body.String() {
			t.Fatalf("the same batch answered %s, first %s", again.Body.String(), first.Body.String())
		}
		var body string
		if err := db.Raw("SELECT body FROM feedback_texts").Scan(&body).Error; err != nil || body == "" || strings.Contains(body, "555-123-4567") {
			t.Fatalf("stored text %q (%v): want it scrubbed", body, err)
		}
		before := testutil.Snapshot(t, db)
		forged := batch
		forged.ID = "b-2"
		forged.Items = []edge.Item{{ID: "m-2", Kind: edge.KindSession, Session: &edge.Session{Title: "Forged", Language: "en",
			StartedAt: start, EndedAt: start.Add(time.Hour), Participants: 1, Rounds: []edge.Round{{Position: 0, Kind: tally.Agree,
				Prompt: "Stuffed?", State: models.RoundClosed, Tally: tally.Tally{Voters: 50, Votes: map[string]int{"agree": 50}}}}}}}
		r = s.as(dev, http.MethodPost, edge.PathBatches, forged)
		wantStatus(t, r, http.StatusBadRequest)
		if e := r.errorBody(t); e.Code != CodeInvalidInput || e.Fields["items[0].session.rounds[0].tally"] == "" {
			t.Fatalf("forged summary: %+v", e)
		}
		if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) > 0 {
			t.Fatalf("a refused batch changed %v", changed)
		}

		wantStatus(t, s.as(admin, http.MethodPost, "/api/v1/edge-devices/"+en.Device.ID+"/revoke", nil), http.StatusOK)
		r = s.as(dev, http.MethodPost, edge.PathBatches, batch)
		wantStatus(t, r, http.StatusUnauthorized)
		if e := r.errorBody(t); e.Code != CodeUnauthenticated {
			t.Fatalf("revoked device: %+v", e)
		}
		if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) != 2 {
			// edge_devices (revoked) and audit_events only.
			t.Fatalf("after revoking, changed %v", changed)
		}
	})
}
