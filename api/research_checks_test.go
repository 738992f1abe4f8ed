package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

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

// kioskAnswer is a submission that also answers a kiosk's member-check question.
func kioskAnswer(findingID, answer string) map[string]any {
	return map[string]any{"language": "es", "needs": []string{"food"}, "text": "Me ayudan mucho.",
		"member_check": map[string]any{"finding_id": findingID, "answer": answer}}
}

func TestKioskMemberCheckAnswers(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		newFinding := func(en string) string {
			r := s.as(rt.a, "POST", "/api/v1/research/findings", map[string]any{"statement_en": en, "statement_es": en + " (es)", "code_ids": []string{rt.codes[0].ID}})
			wantStatus(t, r, http.StatusCreated)
			return decoded[store.FindingView](t, r).ID
		}
		asked, notAsked, elsewhere := newFinding("Asked here."), newFinding("Never asked."), newFinding("Asked at the van.")
		later := newFinding("Asked from next week.")
		van, err := s.store.CreateSite(context.Background(), rt.o.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/New_York"})
		if err != nil {
			t.Fatal(err)
		}
		// The test clock's day in New York is 2026-11-25.
		for _, bad := range []map[string]any{
			{"start_day": "2026-11-26", "end_day": "2026-11-24"},
			{"site_ids": []string{models.NewID()}, "start_day": "2026-11-24", "end_day": "2026-11-26"},
			{"start_day": "2026-11-24"},
		} {
			r := s.as(rt.admin, "POST", "/api/v1/research/findings/"+asked+"/asks", bad)
			if r.Code != http.StatusBadRequest || r.errorBody(t).Code != "invalid_input" {
				t.Errorf("ask %v: %d %s; want the uniform 400", bad, r.Code, r.Body.String())
			}
		}
		if n := countRows(t, db, &models.ResearchFindingAsk{}); n != 0 {
			t.Fatalf("%d asks stored after refusals", n)
		}
		r := s.as(rt.a, "POST", "/api/v1/research/findings/"+asked+"/asks",
			map[string]any{"site_ids": []string{rt.o.Site.ID}, "start_day": "2026-11-24", "end_day": "2026-11-26"})
		wantStatus(t, r, http.StatusCreated)
		doc := jsonschema.NewCompiler()
		if err := doc.AddResource("openapi.json", closed(openAPI(t))); err != nil {
			t.Fatal(err)
		}
		matchSchema(t, schemaFor(t, doc, "post", "/api/v1/research/findings/{id}/asks", "201", "application/json"), r, "POST asks")
		askID := decoded[struct{ Asks []models.ResearchFindingAsk }](t, r).Asks[0].ID
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/findings/"+elsewhere+"/asks",
			map[string]any{"site_ids": []string{van.ID}, "start_day": "2026-11-01", "end_day": "2026-11-30"}), http.StatusCreated)
		policymaker := session(t, db, s.store, rt.o.Users[models.RolePolicymaker], rt.o.ID)
		wantStatus(t, s.as(policymaker, "POST", "/api/v1/research/findings/"+asked+"/asks",
			map[string]any{"start_day": "2026-11-24", "end_day": "2026-11-26"}), http.StatusForbidden)

		cfg := s.do("GET", "/api/v1/kiosk/config", nil, "Authorization", "Bearer "+rt.o.KioskToken)
		wantStatus(t, cfg, http.StatusOK)
		question := decoded[struct {
			MemberCheck *struct {
				FindingID   string `json:"finding_id"`
				StatementES string `json:"statement_es"`
			} `json:"member_check"`
		}](t, cfg).MemberCheck
		if question == nil || question.FindingID != asked || question.StatementES != "Asked here. (es)" {
			t.Fatalf("kiosk config member_check %+v; want the finding asked at its site", question)
		}

		// An answer rides in the submission: stored once, however often it is sent.
		wantStatus(t, submit(s, rt.o.KioskToken, "mc-1", kioskAnswer(asked, "disagree")), http.StatusCreated)
		wantStatus(t, submit(s, rt.o.KioskToken, "mc-1", kioskAnswer(asked, "disagree")), http.StatusOK)
		wantStatus(t, submit(s, rt.o.KioskToken, "mc-2", kioskAnswer(asked, "agree")), http.StatusCreated)
		var checks []models.ResearchFindingCheck
		if err := db.Where("finding_id = ?", asked).Find(&checks).Error; err != nil {
			t.Fatal(err)
		}
		if len(checks) != 1 || checks[0].Source != models.CheckKiosk || checks[0].Agree != 1 || checks[0].Disagree != 1 ||
			checks[0].Unsure != 0 || checks[0].Day.String() != "2026-11-25" || checks[0].SiteID != rt.o.Site.ID {
			t.Fatalf("kiosk checks %+v; want one row of 1 agree and 1 disagree on 2026-11-25", checks)
		}

		// A finding not asked at this site, or not yet, is refused, with nothing stored.
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/findings/"+later+"/asks", map[string]any{"start_day": "2026-11-30", "end_day": "2026-12-04"}), http.StatusCreated)
		before := countRows(t, db, &models.Submission{})
		for name, body := range map[string]map[string]any{
			"not asked yet":         kioskAnswer(later, "agree"),
			"never asked":           kioskAnswer(notAsked, "agree"),
			"asked at another site": kioskAnswer(elsewhere, "agree"),
			"no such finding":       kioskAnswer(models.NewID(), "agree"),
			"not an answer":         kioskAnswer(asked, "maybe"),
		} {
			r := submit(s, rt.o.KioskToken, "bad-"+name, body)
			if r.Code != http.StatusBadRequest || r.errorBody(t).Code != "invalid_input" {
				t.Errorf("%s: %d %s; want the uniform 400", name, r.Code, r.Body.String())
			}
		}
		r = s.do("POST", `/api/v1/kiosk/submissions:batch`, map[string]any{"items": []map[string]any{
			{"idempotency_key": "batch-bad", "submission": kioskAnswer(notAsked, "agree")},
			{"idempotency_key": "batch-good", "submission": kioskAnswer(asked, "unsure")},
		}}, "Authorization", "Bearer "+rt.o.KioskToken)
		wantStatus(t, r, http.StatusOK)
		results := decoded[struct{ Results []BatchResult }](t, r).Results
		if len(results) != 2 || results[0].Status != http.StatusBadRequest || results[1].Status != http.StatusCreated {
			t.Fatalf("batch results %+v; want 400 then 201", results)
		}
		if n := countRows(t, db, &models.Submission{}); n != before+1 {
			t.Fatalf("%d submissions stored by refused answers; want only the batch's good one", n-before-1)
		}
		var rows int64
		if err := db.Model(&models.ResearchFindingCheck{}).Where("finding_id <> ?", asked).Count(&rows).Error; err != nil || rows != 0 {
			t.Fatalf("%d check rows for findings not asked (%v)", rows, err)
		}

		// Kiosk answers reach the finding's page: exact for staff, hidden below min_cell for policymakers.
		staff := decoded[checkPage](t, s.as(rt.a, "GET", "/api/v1/research/findings/"+asked, nil))
		if tot := staff.Checks.Total; tot.Answers == nil || *tot.Answers != 3 || *tot.Unsure != 1 {
			t.Fatalf("staff see %+v; want 3 answers, 1 unsure", staff.Checks.Total)
		}
		seen := decoded[checkPage](t, s.as(policymaker, "GET", "/api/v1/research/findings/"+asked, nil))
		if seen.Checks.Total.Answers != nil || seen.Checks.Total.Agree != nil || !seen.Checks.Suppressed {
			t.Fatalf("a policymaker sees %+v; want 3 answers hidden", seen.Checks.Total)
		}

		// Stopping the question: the kiosks no longer ask it, but an answer a tablet
		// took before and sends later still counts (refusing it would refuse
		// the person's whole feedback with it).
		wantStatus(t, s.as(rt.a, "DELETE", "/api/v1/research/finding-asks/"+askID, nil), http.StatusNoContent)
		wantStatus(t, s.as(rt.a, "DELETE", "/api/v1/research/finding-asks/"+askID, nil), http.StatusNotFound)
		cfg = s.do("GET", "/api/v1/kiosk/config", nil, "Authorization", "Bearer "+rt.o.KioskToken)
		if !strings.Contains(cfg.Body.String(), `"member_check":null`) {
			t.Fatalf("kiosk config after stopping: %s", cfg.Body.String())
		}
		wantStatus(t, submit(s, rt.o.KioskToken, "mc-after", kioskAnswer(asked, "agree")), http.StatusCreated)
		var late models.ResearchFindingCheck
		if err := db.Where("finding_id = ? AND source = ?", asked, models.CheckKiosk).First(&late).Error; err != nil || late.Agree != 2 {
			t.Fatalf("kiosk answers after stopping: %+v (%v); want the late agree counted", late, err)
		}
		var stopped models.ResearchFindingAsk
		if err := db.Where("id = ?", askID).First(&stopped).Error; err != nil || stopped.StoppedOn == nil {
			t.Fatalf("stopped ask %+v (%v); want it kept with its day", stopped, err)
		}
	})
}

// Kiosk answers flag a finding once a site's answers reach min_cell with
// more disagreeing than agreeing, and not before.
func TestKioskDisagreementFlagsTheFinding(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		if err := db.Model(&models.Organization{}).Where("id = ?", rt.o.ID).Update("min_cell", 5).Error; err != nil {
			t.Fatal(err)
		}
		r := s.as(rt.a, "POST", "/api/v1/research/findings", map[string]any{"statement_en": "Asked.", "statement_es": "Preguntado.", "code_ids": []string{rt.codes[0].ID}})
		wantStatus(t, r, http.StatusCreated)
		id := decoded[store.FindingView](t, r).ID
		wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/findings/"+id+"/asks", map[string]any{"start_day": "2026-11-25", "end_day": "2026-11-25"}), http.StatusCreated)
		flagged := func() bool {
			return decoded[checkPage](t, s.as(rt.a, "GET", "/api/v1/research/findings/"+id, nil)).Flagged
		}
		for i, answer := range []string{"agree", "disagree", "disagree", "unsure"} {
			wantStatus(t, submit(s, rt.o.KioskToken, "flag-"+answer+string(rune('a'+i)), kioskAnswer(id, answer)), http.StatusCreated)
		}
		if flagged() {
			t.Fatal("flagged with 4 answers, fewer than min_cell 5")
		}
		wantStatus(t, submit(s, rt.o.KioskToken, "flag-last", kioskAnswer(id, "unsure")), http.StatusCreated)
		if !flagged() {
			t.Fatal("not flagged: 2 disagree against 1 agree among 5 answers")
		}
	})
}

// A peer facilitator cannot read findings, but may list their statements
// for a meeting and put one to the room.
func TestFacilitatorPutsAFindingToTheRoom(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		r := s.as(rt.a, "POST", "/api/v1/research/findings", map[string]any{"statement_en": "We look out for each other.", "statement_es": "Nos cuidamos.", "code_ids": []string{rt.codes[0].ID}})
		wantStatus(t, r, http.StatusCreated)
		id := decoded[store.FindingView](t, r).ID
		facilitator := session(t, db, s.store, rt.o.Users[models.RoleFacilitator], rt.o.ID)
		wantStatus(t, s.as(facilitator, "GET", "/api/v1/research/findings", nil), http.StatusForbidden)
		r = s.as(facilitator, "GET", "/api/v1/meeting-findings", nil)
		wantStatus(t, r, http.StatusOK)
		if body := r.Body.String(); !strings.Contains(body, `"statement_es":"Nos cuidamos."`) || strings.Contains(body, "code") {
			t.Fatalf("meeting findings: %s; want the statements only", body)
		}
		r = s.as(facilitator, "POST", "/api/v1/sessions", map[string]any{"site_id": rt.o.Site.ID, "title": "Reunión", "language": "es"})
		wantStatus(t, r, http.StatusCreated)
		r = s.as(facilitator, "POST", "/api/v1/sessions/"+decoded[models.LiveSession](t, r).ID+"/rounds", map[string]any{"kind": "agree", "finding_id": id})
		wantStatus(t, r, http.StatusCreated)
		if !strings.Contains(r.Body.String(), `"prompt":"Nos cuidamos."`) {
			t.Fatalf("round %s; want the Spanish statement as its prompt", r.Body.String())
		}
	})
}
