package api

import (
	"net/http"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// quotableText stores an approved kiosk text whose participant allowed
// quoting, as the kiosk and moderation would.
func quotableText(t *testing.T, db *database.DB, o *org, body string, mayQuote bool) {
	t.Helper()
	day, _ := models.ParseDay("2026-11-20")
	sub := models.Submission{ID: models.NewID(), OrganizationID: o.ID, SiteID: o.Site.ID, Channel: models.ChannelKiosk,
		Language: "en", Day: day, IdempotencyKey: []byte(models.NewID())}
	text := models.FeedbackText{ID: models.NewID(), SubmissionID: sub.ID, OrganizationID: o.ID, SiteID: o.Site.ID, Day: day,
		Body: body, MayQuote: mayQuote, State: models.TextApproved}
	if err := db.Create(&sub).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&text).Error; err != nil {
		t.Fatal(err)
	}
}

func TestFindingPageProtectsCountsForPolicymakers(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		rt := newResearchTeam(t, db)
		s := rt.s
		quotableText(t, db, rt.o, "We carry naloxone for each other.", true)
		quotableText(t, db, rt.o, "My friend showed me where to get new supplies.", false)
		code := rt.codes[0].ID
		policymaker := session(t, db, s.store, rt.o.Users[models.RolePolicymaker], rt.o.ID)
		for range 3 {
			r := s.as(rt.a, "POST", "/api/v1/research/transcripts", map[string]any{
				"site_id": rt.o.Site.ID, "day": "2026-11-21", "text": "We share new supplies with friends."})
			wantStatus(t, r, http.StatusCreated)
			ex := decoded[TranscriptImported](t, r).Excerpt.ID
			wantStatus(t, s.as(rt.a, "POST", "/api/v1/research/excerpts/"+ex+"/codings", map[string]any{"code_id": code, "start": 3, "end": 8}), http.StatusCreated)
		}
		var quotable, private string
		for _, e := range decoded[struct{ Excerpts []store.ExcerptView }](t, s.as(rt.a, "GET", "/api/v1/research/excerpts?kind=kiosk", nil)).Excerpts {
			var text models.FeedbackText
			if err := db.Joins("JOIN research_excerpts ON research_excerpts.feedback_text_id = feedback_texts.id").
				Where("research_excerpts.id = ?", e.ID).First(&text).Error; err != nil {
				t.Fatal(err)
			}
			if text.MayQuote {
				quotable = e.ID
			} else {
				private = e.ID
			}
		}
		if quotable == "" || private == "" {
			t.Fatalf("kiosk excerpts: quotable %q, private %q", quotable, private)
		}
		finding := map[string]any{"statement_en": "People share new supplies.", "statement_es": "Las personas comparten material nuevo.",
			"code_ids": []string{code}, "excerpt_ids": []string{quotable, private}}
		r := s.as(rt.a, "POST", "/api/v1/research/findings", finding)
		if r.Code != http.StatusBadRequest || r.errorBody(t).Fields["excerpt_ids"] == "" {
			t.Fatalf("a text without consent as an exemplar: %d %s, want 400 on excerpt_ids", r.Code, r.Body.String())
		}
		if n := countRows(t, db, &models.ResearchFinding{}); n != 0 {
			t.Fatalf("%d findings stored after a refusal", n)
		}
		finding["excerpt_ids"] = []string{quotable}
		wantStatus(t, s.as(policymaker, "POST", "/api/v1/research/findings", finding), http.StatusForbidden)
		r = s.as(rt.a, "POST", "/api/v1/research/findings", finding)
		wantStatus(t, r, http.StatusCreated)
		id := decoded[store.FindingView](t, r).ID

		staff := decoded[FindingPage](t, s.as(rt.a, "GET", "/api/v1/research/findings/"+id, nil))
		if len(staff.Exemplars) != 1 || len(staff.Codes) != 1 || staff.Frequencies.Suppressed ||
			staff.Frequencies.Codes[0].Total.Suppressed || staff.Frequencies.Codes[0].Total.Value != 3 {
			t.Fatalf("staff see %+v, want 3 excerpts exactly", staff)
		}
		policy := s.as(policymaker, "GET", "/api/v1/research/findings/"+id, nil)
		wantStatus(t, policy, http.StatusOK)
		seen := decoded[struct {
			Frequencies struct {
				Suppressed bool
				Codes      []struct {
					Total *int
					Sites []struct{ Count *int }
				}
			}
		}](t, policy)
		if f := seen.Frequencies; !f.Suppressed || len(f.Codes) != 1 || f.Codes[0].Total != nil || f.Codes[0].Sites[0].Count != nil {
			t.Fatalf("a policymaker sees %s, want the count of 3 as null", policy.Body.String())
		}
		list := decoded[struct{ Findings []store.FindingView }](t, s.as(policymaker, "GET", "/api/v1/research/findings", nil))
		if len(list.Findings) != 1 {
			t.Fatalf("findings %+v", list)
		}
		var audits int64
		if err := db.Model(&models.AuditEvent{}).Where("action = ? AND target_id = ?", store.AuditFindingCreated, id).Count(&audits).Error; err != nil || audits != 1 {
			t.Fatalf("%d audit rows (%v), want 1", audits, err)
		}
	})
}
