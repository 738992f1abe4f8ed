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

func bilingual(en, es string) map[string]string { return map[string]string{"en": en, "es": es} }

// newProposal makes a proposal from participants about housing, as staff.
func newProposal(t *testing.T, s *testServer, staff caller, siteID string) string {
	t.Helper()
	r := s.as(staff, "POST", "/api/v1/proposals", map[string]any{
		"title": bilingual("Evening hours", "Horario de noche"), "description": bilingual("Open until 9 pm.", "Abrir hasta las 9."),
		"origin": "participants", "needs": []string{"housing"},
		"evidence": []map[string]string{{"kind": "need", "code": "housing", "site_id": siteID}},
	})
	wantStatus(t, r, http.StatusCreated)
	var out struct{ ID string }
	if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out.ID
}

func postUpdate(s *testServer, staff caller, id, status string) response {
	return s.as(staff, "POST", "/api/v1/proposals/"+id+"/updates", map[string]any{"status": status, "body": bilingual("Now "+status, "Ahora "+status)})
}

func TestProposalLifecycleOverHTTP(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Lifecycle Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		facilitator := session(t, db, s.store, o.Users[models.RoleFacilitator], o.ID)
		id := newProposal(t, s, staff, o.Site.ID)

		// Illegal: a draft cannot be accepted. One error shape, naming the moves allowed.
		r := postUpdate(s, staff, id, "accepted")
		wantStatus(t, r, http.StatusConflict)
		if e := r.errorBody(t); e.Code != CodeIllegalTransition || !strings.Contains(e.Message, "open") || e.Fields["status"] == "" {
			t.Fatalf("error = %+v", e)
		}
		// A facilitator may not move a proposal.
		wantStatus(t, postUpdate(s, facilitator, id, "open"), http.StatusForbidden)
		// A participants' proposal without evidence is refused.
		r = s.as(staff, "POST", "/api/v1/proposals", map[string]any{"title": bilingual("A", "A"), "description": bilingual("B", "B"), "origin": "participants"})
		wantStatus(t, r, http.StatusBadRequest)
		if e := r.errorBody(t); e.Fields["evidence"] == "" {
			t.Fatalf("error = %+v", e)
		}
		// A facilitator's own proposal is theirs whatever they send.
		r = s.as(facilitator, "POST", "/api/v1/proposals", map[string]any{"title": bilingual("Snacks", "Meriendas"), "description": bilingual("At meetings.", "En las reuniones."), "origin": "staff"})
		wantStatus(t, r, http.StatusCreated)

		for _, to := range []string{"open", "under_review", "accepted"} {
			wantStatus(t, postUpdate(s, staff, id, to), http.StatusCreated)
		}
		r = s.as(facilitator, "GET", "/api/v1/proposals/"+id, nil)
		wantStatus(t, r, http.StatusOK)
		var d struct {
			Proposal struct {
				Status, Origin string
				RespondedOn    *string `json:"responded_on"`
			}
			Updates  []struct{ Status string }
			Evidence []struct{ Kind, Code string }
		}
		if err := json.Unmarshal(r.Body.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		if d.Proposal.Status != "accepted" || len(d.Updates) != 3 || d.Proposal.RespondedOn == nil || d.Evidence[0].Code != "housing" {
			t.Fatalf("detail = %s", r.Body.String())
		}
		r = s.as(staff, "GET", "/api/v1/proposals?origin=peer_facilitator", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), "Snacks") || strings.Contains(r.Body.String(), "Evening hours") {
			t.Fatalf("filtered list = %s", r.Body.String())
		}
		wantStatus(t, s.as(staff, "GET", "/api/v1/proposals?status=maybe", nil), http.StatusBadRequest)
	})
}

func supportCall(s *testServer, token, key string, body map[string]string) response {
	return s.do("POST", "/api/v1/kiosk/support", body, "Authorization", "Bearer "+token, IdempotencyHeader, key)
}

func TestKioskSupportIsIdempotent(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Support Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		id := newProposal(t, s, staff, o.Site.ID)
		agree := map[string]string{"proposal_id": id, "answer": "agree"}

		r := supportCall(s, o.KioskToken, "k1", agree)
		wantStatus(t, r, http.StatusConflict)
		if e := r.errorBody(t); e.Code != CodeNotOpen {
			t.Fatalf("support for a draft: %+v", e)
		}
		wantStatus(t, postUpdate(s, staff, id, "open"), http.StatusCreated)
		r = s.do("GET", "/api/v1/kiosk/proposals", nil, "Authorization", "Bearer "+o.KioskToken)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), id) || !strings.Contains(r.Body.String(), "Horario de noche") {
			t.Fatalf("kiosk proposals = %s", r.Body.String())
		}
		first := supportCall(s, o.KioskToken, "k1", agree)
		wantStatus(t, first, http.StatusCreated)
		again := supportCall(s, o.KioskToken, "k1", agree)
		wantStatus(t, again, http.StatusOK)
		if first.Body.String() != again.Body.String() {
			t.Fatalf("replay answered %s, first %s", again.Body.String(), first.Body.String())
		}
		wantStatus(t, supportCall(s, o.KioskToken, "k1", map[string]string{"proposal_id": id, "answer": "disagree"}), http.StatusUnprocessableEntity)
		wantStatus(t, supportCall(s, o.KioskToken, "k2", map[string]string{"proposal_id": id, "answer": "maybe"}), http.StatusBadRequest)
		wantStatus(t, supportCall(s, o.KioskToken, "", agree), http.StatusBadRequest)
		wantStatus(t, supportCall(s, "chorus_kiosk_nope", "k3", agree), http.StatusUnauthorized)
		var n int64
		db.Model(&models.ProposalSupport{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d support rows, want 1", n)
		}
	})
}

func TestSupportIsSuppressedOutsideStaff(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Threshold Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		id := newProposal(t, s, staff, o.Site.ID)
		wantStatus(t, postUpdate(s, staff, id, "open"), http.StatusCreated)
		// 14 agree, 3 disagree, 1 unsure: 3 and 1 are below k = 11.
		answers := strings.Repeat("a", 14) + "ddd" + "u"
		for i, a := range answers {
			ans := map[rune]string{'a': "agree", 'd': "disagree", 'u': "unsure"}[a]
			wantStatus(t, supportCall(s, o.KioskToken, "key-"+string(rune('A'+i)), map[string]string{"proposal_id": id, "answer": ans}), http.StatusCreated)
		}
		type counts struct{ Agree, Disagree, Unsure, Total *int }
		var got struct {
			Suppressed bool
			Sites      []counts
			Total      counts
			BySource   map[string]map[string]int `json:"by_source"`
		}
		read := func(c caller) string {
			r := s.as(c, "GET", "/api/v1/proposals/"+id+"/support", nil)
			wantStatus(t, r, http.StatusOK)
			got.BySource = nil
			if err := json.Unmarshal(r.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			return r.Body.String()
		}
		read(staff)
		if got.Suppressed || *got.Sites[0].Disagree != 3 || *got.Sites[0].Unsure != 1 || got.BySource["kiosk"]["agree"] != 14 {
			t.Fatalf("staff see %+v", got)
		}
		body := read(policymaker)
		if !got.Suppressed || got.BySource != nil {
			t.Fatalf("policymaker see %s", body)
		}
		for _, c := range append(got.Sites, got.Total) {
			for _, n := range []*int{c.Agree, c.Disagree, c.Unsure, c.Total} {
				if n != nil && *n > 0 && *n < 11 {
					t.Fatalf("a count of %d reached a policymaker: %s", *n, body)
				}
			}
		}
		if got.Sites[0].Disagree != nil || got.Sites[0].Unsure != nil {
			t.Fatalf("small counts shown: %s", body)
		}
	})
}

func TestPublicBoardAndReceipt(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Board Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		admin := session(t, db, s.store, o.Users[models.RoleAdmin], o.ID)
		id := newProposal(t, s, staff, o.Site.ID)
		for _, to := range []string{"open", "under_review", "accepted"} {
			wantStatus(t, postUpdate(s, staff, id, to), http.StatusCreated)
		}
		wantStatus(t, submit(s, o.KioskToken, "with-receipt", map[string]any{"language": "es", "needs": []string{"housing"}, "receipt": "K7M-3QX"}), http.StatusCreated)

		var slug string
		db.Model(&models.Organization{}).Where("id = ?", o.ID).Pluck("slug", &slug)
		r := s.as(anonymous, "GET", "/api/v1/public/"+slug+"/board", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), "Ahora accepted") || strings.Contains(r.Body.String(), "evidence") {
			t.Fatalf("board = %s", r.Body.String())
		}
		r = s.as(anonymous, "POST", "/api/v1/public/"+slug+"/receipt", map[string]string{"code": "k7m3qx"})
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), id) || strings.Contains(r.Body.String(), "language") || strings.Contains(r.Body.String(), "priorities") {
			t.Fatalf("receipt = %s", r.Body.String())
		}
		wantStatus(t, s.as(anonymous, "POST", "/api/v1/public/"+slug+"/receipt", map[string]string{"code": "AAA-AAA"}), http.StatusNotFound)
		wantStatus(t, s.as(anonymous, "POST", "/api/v1/public/"+slug+"/receipt", map[string]string{"code": "<script>"}), http.StatusBadRequest)
		r = s.do("POST", "/api/v1/kiosk/receipt", map[string]string{"code": "K7M-3QX"}, "Authorization", "Bearer "+o.KioskToken)
		wantStatus(t, r, http.StatusOK)
		r = s.as(anonymous, "GET", "/api/v1/public/"+slug+"/sheet?month=2026-11&site_id="+o.Site.ID, nil)
		wantStatus(t, r, http.StatusOK)
		if strings.Count(r.Body.String(), "Ahora ") != 3 {
			t.Fatalf("sheet = %s", r.Body.String())
		}
		wantStatus(t, s.as(anonymous, "GET", "/api/v1/public/"+slug+"/sheet?month=11-2026", nil), http.StatusBadRequest)

		// Switched off, the board is not there at all.
		wantStatus(t, s.as(admin, "PATCH", "/api/v1/organization", map[string]any{"public_board": false}), http.StatusOK)
		wantStatus(t, s.as(anonymous, "GET", "/api/v1/public/"+slug+"/board", nil), http.StatusNotFound)
		wantStatus(t, s.as(anonymous, "POST", "/api/v1/public/"+slug+"/receipt", map[string]string{"code": "K7M-3QX"}), http.StatusNotFound)
	})
}

// An approved comment given as evidence shows its words to staff, and to a
// policymaker only when its author said it may be quoted; a proposal with
// no answers yet has a support table for everyone.
func TestEvidenceWordsAndEmptySupport(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Evidence Program")
		staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
		policymaker := session(t, db, s.store, o.Users[models.RolePolicymaker], o.ID)
		for i, quote := range []bool{true, false} {
			body := map[string]any{"language": "en", "text": fmt.Sprintf("Please open later, comment %d", i), "may_quote": quote}
			wantStatus(t, submit(s, o.KioskToken, fmt.Sprint("ev-", i), body), http.StatusCreated)
		}
		var queue struct{ Texts []models.FeedbackText }
		r := s.as(staff, "GET", "/api/v1/feedback/texts", nil)
		if err := json.Unmarshal(r.Body.Bytes(), &queue); err != nil || len(queue.Texts) != 2 {
			t.Fatalf("queue %s", r.Body.String())
		}
		var evidence []map[string]string
		for _, tx := range queue.Texts {
			wantStatus(t, s.as(staff, "POST", "/api/v1/feedback/texts/"+tx.ID+"/moderate", map[string]string{"decision": "approve"}), http.StatusOK)
			evidence = append(evidence, map[string]string{"kind": "feedback_text", "id": tx.ID})
		}
		r = s.as(staff, "POST", "/api/v1/proposals", map[string]any{"title": bilingual("Later hours", "Más tarde"),
			"description": bilingual("Open later.", "Abrir más tarde."), "origin": "participants", "evidence": evidence})
		wantStatus(t, r, http.StatusCreated)
		var made struct{ ID string }
		_ = json.Unmarshal(r.Body.Bytes(), &made)

		r = s.as(staff, "GET", "/api/v1/proposals/"+made.ID, nil)
		if !strings.Contains(r.Body.String(), "comment 0") || !strings.Contains(r.Body.String(), "comment 1") {
			t.Fatalf("staff see %s", r.Body.String())
		}
		r = s.as(policymaker, "GET", "/api/v1/proposals/"+made.ID, nil)
		if !strings.Contains(r.Body.String(), "comment 0") || strings.Contains(r.Body.String(), "comment 1") {
			t.Fatalf("a policymaker sees %s", r.Body.String())
		}
		r = s.as(policymaker, "GET", "/api/v1/proposals/"+made.ID+"/support", nil)
		wantStatus(t, r, http.StatusOK)
		r = s.as(staff, "GET", "/api/v1/needs/summary", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), `"labels"`) || !strings.Contains(r.Body.String(), "Vivienda y refugio") {
			t.Fatalf("need summary = %s", r.Body.String())
		}
	})
}
