package api

import (
	"net/http"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// checkPage is the member-check part of a finding's page, with nulls kept.
type checkPage struct {
	Flagged bool
	Checks  struct {
		Suppressed bool
		Total      struct {
			Agree, Disagree, Unsure, Answers *int
			TooFew                           bool `json:"too_few"`
		}
		Sites []struct {
			SiteID                           string `json:"site_id"`
			Agree, Disagree, Unsure, Answers *int
		}
	}
}

func TestMemberCheckRoundResultsReachTheFindingPage(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		r := s.as(rt.a, "POST", "/api/v1/research/findings", map[string]any{"statement_en": "People carry naloxone for each other.",
			"statement_es": "Las personas llevan naloxona para los demás.", "code_ids": []string{rt.codes[0].ID}})
		wantStatus(t, r, http.StatusCreated)
		findingID := decoded[store.FindingView](t, r).ID
		other := newOrg(t, s.store, "Another Program")
		theirs := models.ResearchFinding{ID: models.NewID(), OrganizationID: other.ID, StatementEN: "Theirs.", StatementES: "Suyo."}
		if err := db.Create(&theirs).Error; err != nil {
			t.Fatal(err)
		}

		r = s.as(rt.a, "POST", "/api/v1/sessions", map[string]any{"site_id": rt.o.Site.ID, "title": "Check-in", "language": "en"})
		wantStatus(t, r, http.StatusCreated)
		sessionID := decoded[models.LiveSession](t, r).ID
		rounds := "/api/v1/sessions/" + sessionID + "/rounds"
		for _, bad := range []map[string]any{
			{"kind": "agree", "finding_id": theirs.ID},
			{"kind": "agree", "finding_id": models.NewID()},
			{"kind": "agree", "finding_id": "not-an-id"},
			{"kind": "pick", "options": []string{"a", "b"}, "finding_id": findingID},
		} {
			r := s.as(rt.a, "POST", rounds, bad)
			if r.Code != http.StatusBadRequest || r.errorBody(t).Code != "invalid_input" {
				t.Errorf("round %v: %d %s; want the uniform 400", bad, r.Code, r.Body.String())
			}
		}
		if n := countRows(t, db, &models.LiveRound{}); n != 0 {
			t.Fatalf("%d rounds stored after refusals", n)
		}

		r = s.as(rt.a, "POST", rounds, map[string]any{"kind": "agree", "finding_id": findingID})
		wantStatus(t, r, http.StatusCreated)
		round := decoded[struct {
			ID, Prompt string
			FindingID  string `json:"finding_id"`
		}](t, r)
		if round.Prompt != "People carry naloxone for each other." || round.FindingID != findingID {
			t.Fatalf("member-check round %+v", round)
		}
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/rounds/"+round.ID+"/open", nil), http.StatusOK)
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/rounds/"+round.ID+"/hand-count",
			map[string]any{"counts": map[string]int{"agree": 4, "disagree": 1, "unsure": 1}}), http.StatusOK)
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/rounds/"+round.ID+"/reveal", nil), http.StatusOK)
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/rounds/"+round.ID+"/reveal", nil), http.StatusOK)
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/sessions/"+sessionID+"/end", nil), http.StatusOK)

		staff := decoded[checkPage](t, s.as(rt.a, "GET", "/api/v1/research/findings/"+findingID, nil))
		tot := staff.Checks.Total
		if staff.Checks.Suppressed || tot.Agree == nil || *tot.Agree != 4 || *tot.Disagree != 1 || *tot.Unsure != 1 || *tot.Answers != 6 {
			t.Fatalf("staff see %+v; want 4 agree, 1 disagree, 1 unsure once", staff.Checks)
		}
		if len(staff.Checks.Sites) != 1 || staff.Checks.Sites[0].SiteID != rt.o.Site.ID || *staff.Checks.Sites[0].Answers != 6 {
			t.Fatalf("staff see sites %+v", staff.Checks.Sites)
		}
		// Six answers are fewer than min_cell (11): a policymaker sees none.
		policymaker := session(t, db, s.store, rt.o.Users[models.RolePolicymaker], rt.o.ID)
		policy := s.as(policymaker, "GET", "/api/v1/research/findings/"+findingID, nil)
		wantStatus(t, policy, http.StatusOK)
		seen := decoded[checkPage](t, policy)
		if !seen.Checks.Suppressed || !seen.Checks.Total.TooFew || seen.Checks.Total.Agree != nil || seen.Checks.Total.Answers != nil ||
			seen.Checks.Sites[0].Agree != nil || seen.Checks.Sites[0].Answers != nil {
			t.Fatalf("a policymaker sees %s; want every member-check count null", policy.Body.String())
		}
	})
}
