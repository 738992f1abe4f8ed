package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// excerptOf returns the excerpt made of a kiosk text.
func (f *researchFixture) excerptOf(t *testing.T, text models.FeedbackText) string {
	t.Helper()
	if err := f.st.SyncExcerpts(context.Background(), f.org.ID); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := f.db.Model(&models.ResearchExcerpt{}).Where("feedback_text_id = ?", text.ID).Pluck("id", &ids).Error; err != nil || len(ids) != 1 {
		t.Fatalf("excerpt of %s: %v, %v", text.ID, ids, err)
	}
	return ids[0]
}

func countFindingRows(t *testing.T, db *database.DB) (n int64) {
	t.Helper()
	for _, m := range []any{&models.ResearchFinding{}, &models.ResearchFindingCode{}, &models.ResearchFindingExcerpt{}} {
		var k int64
		if err := db.Model(m).Count(&k).Error; err != nil {
			t.Fatal(err)
		}
		n += k
	}
	return n
}

func TestFindingsTakeOnlyQuotableExemplars(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newResearchFixture(t, db)
		ctx := context.Background()
		codes := f.codes(t)
		quotable := f.text(t, f.site, "2026-11-20", "We carry naloxone for each other.", models.TextApproved)
		if err := db.Model(&quotable).Update("may_quote", true).Error; err != nil {
			t.Fatal(err)
		}
		private := f.text(t, f.site, "2026-11-21", "I keep new supplies for friends.", models.TextApproved)
		quoteID, privateID := f.excerptOf(t, quotable), f.excerptOf(t, private)
		transcript, err := f.st.By(&f.a.User).ImportTranscript(ctx, f.org.ID, f.site.ID, quotable.Day, "Group 1", "We look out for each other.", 0)
		if err != nil {
			t.Fatal(err)
		}
		en, es := "People carry naloxone for their peers.", "Las personas llevan naloxona para sus pares."
		codeIDs := []string{codes[0].ID, codes[1].ID}
		actor := f.st.By(&f.a.User)

		for _, bad := range []struct {
			name, excerpt string
		}{{"no consent to quote", privateID}, {"a transcript", transcript.ID}, {"no such excerpt", models.NewID()}} {
			ids := []string{quoteID, bad.excerpt}
			_, err := actor.CreateFinding(ctx, f.org.ID, store.FindingInput{StatementEN: &en, StatementES: &es, CodeIDs: &codeIDs, ExcerptIDs: &ids})
			var inv *store.InvalidError
			if !errors.As(err, &inv) || inv.Field != "excerpt_ids" {
				t.Fatalf("%s as an exemplar: %v, want refused on excerpt_ids", bad.name, err)
			}
			if n := countFindingRows(t, db); n != 0 {
				t.Fatalf("%s refused, yet %d finding rows stored", bad.name, n)
			}
		}
		var audits int64
		db.Model(&models.AuditEvent{}).Where("action = ?", store.AuditFindingCreated).Count(&audits)
		if audits != 0 {
			t.Fatalf("%d audit rows for refused findings", audits)
		}

		ids := []string{quoteID}
		made, err := actor.CreateFinding(ctx, f.org.ID, store.FindingInput{StatementEN: &en, StatementES: &es, CodeIDs: &codeIDs, ExcerptIDs: &ids})
		if err != nil {
			t.Fatal(err)
		}
		if len(made.CodeIDs) != 2 || len(made.ExcerptIDs) != 1 || made.StatementES != es || made.CreatedOn.IsZero() {
			t.Fatalf("created %+v", made)
		}
		var ev models.AuditEvent
		if err := db.Where("action = ? AND target_id = ?", store.AuditFindingCreated, made.ID).First(&ev).Error; err != nil || ev.Detail["exemplars"] != "1" {
			t.Fatalf("audit %+v, %v", ev, err)
		}
		page, err := f.st.Finding(ctx, f.org.ID, made.ID)
		if err != nil || len(page.Codes) != 2 || len(page.Exemplars) != 1 || page.Exemplars[0].Text != quotable.Body {
			t.Fatalf("finding %+v, %v", page, err)
		}

		// A participant's text rejected later drops out of the page.
		if err := db.Model(&quotable).Update("state", models.TextRejected).Error; err != nil {
			t.Fatal(err)
		}
		if page, err = f.st.Finding(ctx, f.org.ID, made.ID); err != nil || len(page.Exemplars) != 0 {
			t.Fatalf("after rejection %+v, %v", page.Exemplars, err)
		}

		flag := true
		blank := "  "
		if _, err := actor.UpdateFinding(ctx, f.org.ID, made.ID, store.FindingInput{StatementEN: &blank, Flagged: &flag}); err == nil {
			t.Fatal("a blank statement was accepted")
		}
		got, err := actor.UpdateFinding(ctx, f.org.ID, made.ID, store.FindingInput{Flagged: &flag})
		if err != nil || !got.Flagged || got.StatementEN != en || len(got.CodeIDs) != 2 {
			t.Fatalf("flagged %+v, %v", got, err)
		}
		db.Model(&models.AuditEvent{}).Where("action = ?", store.AuditFindingUpdated).Count(&audits)
		if audits != 1 {
			t.Fatalf("%d update audit rows, want 1", audits)
		}
	})
}

func TestFindingCodeCountsCountExcerptsOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newResearchFixture(t, db)
		ctx := context.Background()
		codes := f.codes(t)
		var excerpts []string
		for _, site := range []models.Site{f.site, f.site, f.clinic} {
			day, _ := models.ParseDay("2026-11-20")
			ex, err := f.st.By(&f.a.User).ImportTranscript(ctx, f.org.ID, site.ID, day, "", "We share new supplies with friends.", 0)
			if err != nil {
				t.Fatal(err)
			}
			excerpts = append(excerpts, ex.ID)
		}
		code := codes[0].ID
		// Whole text and a span on the first, by two coders: one excerpt.
		for _, c := range []struct {
			coder   *store.Member
			excerpt string
			span    *store.Span
		}{{&f.a, excerpts[0], nil}, {&f.a, excerpts[0], &store.Span{Start: 0, End: 2}}, {&f.b, excerpts[0], nil},
			{&f.b, excerpts[1], &store.Span{Start: 3, End: 8}}, {&f.a, excerpts[2], nil}} {
			if _, err := f.st.By(&c.coder.User).AddCoding(ctx, f.org.ID, c.excerpt, code, c.span); err != nil {
				t.Fatal(err)
			}
		}
		other := []string{code, codes[1].ID}
		en, es := "Sharing supplies.", "Compartir material."
		made, err := f.st.By(&f.admin.User).CreateFinding(ctx, f.org.ID, store.FindingInput{StatementEN: &en, StatementES: &es, CodeIDs: &other})
		if err != nil {
			t.Fatal(err)
		}
		j := 0
		if made.CodeIDs[1] == code {
			j = 1
		}
		// bySite counts the listed excerpts holding code bit b at each site.
		bySite := func(b int) (map[string]int, error) {
			list, err := f.st.FindingCodeCounts(ctx, f.org.ID, made)
			out := map[string]int{}
			for _, e := range list {
				if e.Codes&(1<<b) != 0 {
					out[e.SiteID]++
				}
			}
			return out, err
		}
		counts, err := bySite(j)
		if err != nil {
			t.Fatal(err)
		}
		if other, _ := bySite(1 - j); counts[f.site.ID] != 2 || counts[f.clinic.ID] != 1 || len(other) != 0 {
			t.Fatalf("counts %v (code at %d), other %v; want 2 at the van and 1 at the clinic", counts, j, other)
		}
		// Drawn into a blind overlap sample, the excerpts' codings are not
		// counted until both coders have submitted them.
		sample, err := f.st.By(&f.admin.User).DrawSample(ctx, f.org.ID, 100, 7, []string{f.a.ID, f.b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if counts, err := bySite(j); err != nil || len(counts) != 0 {
			t.Fatalf("while blind (sample of %d): counts %v, %v; want none", sample.Excerpts, counts, err)
		}
		for _, coder := range []*store.Member{&f.a, &f.b} {
			for _, ex := range excerpts {
				if err := f.st.By(&coder.User).SubmitExcerpt(ctx, f.org.ID, ex); err != nil {
					t.Fatal(err)
				}
			}
		}
		if counts, err := bySite(j); err != nil || counts[f.site.ID] != 2 || counts[f.clinic.ID] != 1 {
			t.Fatalf("after both submitted: counts %v, %v; want 2 and 1 again", counts, err)
		}
	})
}
