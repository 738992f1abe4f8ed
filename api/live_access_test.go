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

// Facilitators, staff and admins run sessions; policymakers, kiosks and
// anonymous callers cannot; another organization's sessions answer 404.
func TestLiveEndpointsAccess(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newLiveServer(t, db, WSLimits{})
		id, _ := s.startSession()
		roundID := s.addRound(id, map[string]any{"kind": "scale", "prompt": "How important?"})

		for role, want := range map[models.Role]int{models.RoleAdmin: 200, models.RoleStaff: 200, models.RoleFacilitator: 200, models.RolePolicymaker: 403} {
			c := session(t, db, s.store, s.org.Users[role], s.org.ID)
			if r := s.as(c, "GET", "/api/v1/sessions/"+id, nil); r.Code != want {
				t.Errorf("GET session as %s: %d, want %d", role, r.Code, want)
			}
		}
		wantStatus(t, s.as(anonymous, "POST", "/api/v1/sessions", map[string]any{}), http.StatusUnauthorized)
		wantStatus(t, s.as(bearer("kiosk", s.org.KioskToken), "GET", "/api/v1/sessions", nil), http.StatusUnauthorized)

		other := newOrg(t, s.store, "Other Program")
		stranger := session(t, db, s.store, other.Users[models.RoleAdmin], other.ID)
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/sessions/" + id, nil},
			{"POST", "/api/v1/sessions/" + id + "/rounds", map[string]any{"kind": "agree", "prompt": "Hijack?"}},
			{"POST", "/api/v1/sessions/" + id + "/end", nil},
			{"POST", "/api/v1/rounds/" + roundID + "/close", nil},
			{"POST", "/api/v1/rounds/" + roundID + "/reveal", nil},
			{"POST", "/api/v1/rounds/" + roundID + "/hand-count", map[string]any{"counts": map[string]int{"1": 3}}},
			{"POST", "/api/v1/rounds/not-an-id/open", nil},
		} {
			if r := s.as(stranger, req.method, req.path, req.body); r.Code != http.StatusNotFound {
				t.Errorf("%s %s from another organization: %d %s", req.method, req.path, r.Code, r.Body.String())
			}
		}
		r := s.as(stranger, "POST", "/api/v1/sessions", map[string]any{"site_id": s.org.Site.ID, "title": "x", "language": "en"})
		if e := r.errorBody(t); r.Code != http.StatusBadRequest || e.Fields["site_id"] == "" {
			t.Errorf("a session at another organization's site: %d %s", r.Code, r.Body.String())
		}
		// The round is untouched.
		r = s.as(s.boss, "GET", "/api/v1/sessions/"+id, nil)
		if !strings.Contains(r.Body.String(), `"state":"open"`) {
			t.Errorf("another organization changed the round: %s", r.Body.String())
		}
	})
}

// Round definitions are checked; state changes that make no sense are
// refused with 409 and a code.
func TestLiveRoundRules(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newLiveServer(t, db, WSLimits{})
		id, _ := s.startSession()
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"kind": "vote", "prompt": "x"}, "kind"},
			{map[string]any{"kind": "agree", "prompt": "x", "options": []string{"a", "b"}}, "options"},
			{map[string]any{"kind": "pick", "prompt": "x", "options": []string{"a"}}, "options"},
			{map[string]any{"kind": "rank", "prompt": "x", "options": []string{"a", "b"}, "max_rank": 3}, "max_rank"},
			{map[string]any{"kind": "dots", "prompt": "x", "options": []string{"a", "b"}, "dots": 0}, "dots"},
			{map[string]any{"kind": "pick", "prompt": "", "options": []string{"a", "b"}}, "prompt"},
			{map[string]any{"kind": "pick", "prompt": "x", "options": []string{"a", "b"}, "proposal_id": "00000000-0000-4000-8000-000000000000"}, "proposal_id"},
		} {
			r := s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/rounds", tc.body)
			if r.Code != http.StatusBadRequest || r.errorBody(t).Fields[tc.field] == "" {
				t.Errorf("%v: %d %s, want 400 on %s", tc.body, r.Code, r.Body.String(), tc.field)
			}
		}
		r := s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/rounds", map[string]any{"kind": "rank", "prompt": "Order", "options": []string{"a", "b", "c", "d"}})
		wantStatus(t, r, http.StatusCreated)
		if !strings.Contains(r.Body.String(), `"max_rank":3`) || !strings.Contains(r.Body.String(), `"state":"draft"`) {
			t.Fatalf("rank round %s", r.Body.String())
		}
		var round struct{ ID string }
		decodeLive(t, r, &round)
		for _, action := range []string{"close", "reveal"} {
			r := s.as(s.boss, "POST", "/api/v1/rounds/"+round.ID+"/"+action, nil)
			if r.Code != http.StatusConflict || r.errorBody(t).Code != "round_draft" {
				t.Errorf("%s a draft: %d %s", action, r.Code, r.Body.String())
			}
		}
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/rounds/"+round.ID+"/hand-count", map[string]any{"counts": map[string]int{"a": 1}}), http.StatusConflict)
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/rounds/"+round.ID+"/open", nil), http.StatusOK)
		r = s.as(s.boss, "POST", "/api/v1/rounds/"+round.ID+"/hand-count", map[string]any{"counts": map[string]int{"e": 1}})
		if r.Code != http.StatusBadRequest || r.errorBody(t).Fields["counts.e"] == "" {
			t.Errorf("hand count for an unknown option: %d %s", r.Code, r.Body.String())
		}
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/end", nil), http.StatusOK)
		wantStatus(t, s.as(s.boss, "POST", "/api/v1/sessions/"+id+"/end", nil), http.StatusOK)
		r = s.as(s.boss, "POST", "/api/v1/rounds/"+round.ID+"/open", nil)
		if r.Code != http.StatusConflict || r.errorBody(t).Code != "session_ended" {
			t.Errorf("open in an ended session: %d %s", r.Code, r.Body.String())
		}
	})
}

func decodeLive(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		t.Fatal(err)
	}
}
