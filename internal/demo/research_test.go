package demo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/demo"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A new user of the demo sees the whole research loop at once: texts to
// code, a codebook, two coders' overlap sample with a few disagreements
// and one of them reconciled.
func TestDemoShipsTheResearchLoop(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
		res, err := demo.Seed(t.Context(), db, now)
		if err != nil {
			t.Fatal(err)
		}
		st := store.New(db)
		org := res.Organization.ID
		coders, err := st.Coders(t.Context(), org)
		if err != nil || len(coders) != 2 {
			t.Fatalf("coders %+v, %v; want the admin and the staff member", coders, err)
		}
		all, total, err := st.Excerpts(t.Context(), org, coders[0].ID, store.ExcerptFilter{Limit: 200})
		if err != nil || total != 12+2+5+1 {
			t.Fatalf("excerpts %d, %v; want 12 approved texts, 2 transcripts, the meeting's 5 approved or redacted comments and its notes", total, err)
		}
		kinds := map[string]int{}
		for _, e := range all {
			kinds[e.Kind]++
			for _, number := range []string{"555-0199", "555-0142", "555-201-7788"} {
				if strings.Contains(e.Text, number) {
					t.Errorf("a demo %s kept its phone number: %q", e.Kind, e.Text)
				}
			}
			if e.Kind == models.ExcerptComment && strings.Contains(e.Text, "ok") && len(e.Text) < 5 {
				t.Errorf("a rejected comment is an excerpt: %q", e.Text)
			}
		}
		if kinds[models.ExcerptComment] != 5 || kinds["notes"] != 1 {
			t.Errorf("excerpt kinds %v; want 5 meeting comments and 1 set of session notes", kinds)
		}
		// The meeting is over: its member check counts for the finding
		// it asked about, and its comment round was revealed with the
		// approved comments only.
		sessions, err := st.LiveSessions(t.Context(), org)
		if err != nil || len(sessions) != 1 || sessions[0].State != models.LiveEnded {
			t.Fatalf("meetings %+v, %v; want one, ended", sessions, err)
		}
		rounds, err := st.Rounds(t.Context(), sessions[0].ID)
		if err != nil || len(rounds) != 3 {
			t.Fatalf("rounds %d, %v; want 3", len(rounds), err)
		}
		shown, err := st.ApprovedComments(t.Context(), rounds[2].ID)
		if err != nil || len(shown) != 5 {
			t.Errorf("comments the projector may show: %q, %v; want the 4 approved and the 1 redacted", shown, err)
		}
		var live int64
		if err := db.Model(&models.ResearchFindingCheck{}).Where("organization_id = ? AND source = ? AND agree = 11 AND disagree = 1 AND unsure = 2",
			org, models.CheckLive).Count(&live).Error; err != nil || live != 1 {
			t.Errorf("member checks from the meeting: %d, %v; want 1 (11 agree, 1 disagree, 2 unsure)", live, err)
		}
		samples, err := st.Samples(t.Context(), org)
		if err != nil || len(samples) != 1 || samples[0].Excerpts == 0 || samples[0].Submitted != 2*samples[0].Excerpts {
			t.Fatalf("samples %+v, %v; want one, fully submitted", samples, err)
		}
		table, err := st.Agreement(t.Context(), org, samples[0].ID)
		if err != nil || len(table.Disagreements) == 0 || table.Overall.Alpha.Value == nil {
			t.Fatalf("agreement %+v, %v; want disagreements and an alpha", table.Overall, err)
		}
		reconciled := 0
		for _, d := range table.Disagreements {
			if d.Agreed != nil {
				reconciled++
			}
		}
		if reconciled != 1 {
			t.Errorf("%d disagreements reconciled, want 1", reconciled)
		}
		var audit int64
		if err := db.Model(&models.AuditEvent{}).Where("organization_id = ? AND action = ?", org, store.AuditSampleDrawn).Count(&audit).Error; err != nil || audit != 1 {
			t.Errorf("sample audit rows %d, %v", audit, err)
		}
		// Findings close the loop: each in both languages, on codes, with
		// quotable exemplars, put to the kiosks, with how the community
		// answered at both sites; the one the van disagreed with is flagged.
		findings, err := st.Findings(t.Context(), org)
		if err != nil || len(findings) != 3 {
			t.Fatalf("findings %d, %v; want 3", len(findings), err)
		}
		flagged := 0
		for _, f := range findings {
			page, err := st.Finding(t.Context(), org, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			if f.StatementEN == "" || f.StatementES == "" || len(page.Codes) == 0 || len(page.Exemplars) == 0 {
				t.Errorf("finding %q: %d codes, %d exemplars; want both languages, codes and quotable exemplars", f.StatementEN, len(page.Codes), len(page.Exemplars))
			}
			checks, err := st.FindingChecks(t.Context(), org, f.ID)
			if err != nil || len(checks) != 2 {
				t.Errorf("finding %q: checks %v, %v; want answers at both sites", f.StatementEN, checks, err)
			}
			asks, err := st.FindingAsks(t.Context(), org, f.ID)
			if err != nil || len(asks) != 1 {
				t.Errorf("finding %q: asks %v, %v; want one period at the kiosks", f.StatementEN, asks, err)
			}
			if f.Flagged {
				flagged++
				if !strings.HasPrefix(f.StatementEN, "Recovery") {
					t.Errorf("flagged %q, want the recovery finding", f.StatementEN)
				}
			}
		}
		if flagged != 1 {
			t.Errorf("%d findings flagged, want 1 (the community disagreed at the van)", flagged)
		}
	})
}
