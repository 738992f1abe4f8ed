package store_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/research/agreement"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

type researchFixture struct {
	st           *store.Store
	db           *database.DB
	org          models.Organization
	site, clinic models.Site
	a, b, admin  store.Member
}

func newResearchFixture(t *testing.T, db *database.DB) *researchFixture {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	org, err := st.CreateOrganization(ctx, "Research Program")
	if err != nil {
		t.Fatal(err)
	}
	f := &researchFixture{st: st, db: db, org: org}
	for _, s := range []struct {
		dst  *models.Site
		name string
	}{{&f.site, "Van"}, {&f.clinic, "Clinic"}} {
		if *s.dst, err = st.CreateSite(ctx, org.ID, store.SiteInput{Name: s.name, Kind: "fixed", Setting: "urban", TimeZone: "UTC"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []struct {
		dst   *store.Member
		email string
		role  models.Role
	}{{&f.a, "ana@example.org", models.RoleStaff}, {&f.b, "ben@example.org", models.RoleStaff}, {&f.admin, "ada@example.org", models.RoleAdmin}} {
		if *m.dst, _, err = st.CreateMember(ctx, org.ID, m.email, m.role, "correct horse battery", false); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []store.Member{f.a, f.b} {
		if err := st.By(&f.admin.User).SetCoder(ctx, org.ID, m.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// text stores a participant's free text in a moderation state, as the
// kiosk and moderation would.
func (f *researchFixture) text(t *testing.T, site models.Site, day, body, state string) models.FeedbackText {
	t.Helper()
	d, _ := models.ParseDay(day)
	sub := models.Submission{ID: models.NewID(), OrganizationID: f.org.ID, SiteID: site.ID, Channel: models.ChannelPhone,
		Language: "en", Day: d, IdempotencyKey: []byte(models.NewID())}
	if err := f.db.Create(&sub).Error; err != nil {
		t.Fatal(err)
	}
	ft := models.FeedbackText{ID: models.NewID(), SubmissionID: sub.ID, OrganizationID: f.org.ID, SiteID: site.ID, Day: d, Body: body, State: state}
	if err := f.db.Create(&ft).Error; err != nil {
		t.Fatal(err)
	}
	return ft
}

func (f *researchFixture) codes(t *testing.T) []store.CodeView {
	t.Helper()
	books, err := f.st.Codebooks(context.Background(), f.org.ID)
	if err != nil || len(books) != 1 {
		t.Fatalf("codebooks %v, %v; want the default one", books, err)
	}
	codes, err := f.st.Codes(context.Background(), f.org.ID, books[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

func TestDefaultCodebookIsSeeded(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newResearchFixture(t, db)
		codes := f.codes(t)
		themes, names := 0, map[string]bool{}
		for _, c := range codes {
			if c.ParentID == nil {
				themes++
			}
			if c.Name["en"] == "" || c.Name["es"] == "" {
				t.Errorf("code %v lacks an English or Spanish name", c.Name)
			}
			names[c.Name["en"]] = true
		}
		for _, want := range []string{"Advocate and resource for harm-reduction knowledge and practice", "Continuous self-actualization",
			"Safer injection and sharing sterile supplies", "Self-advocacy with clinics, courts and police", "Anticipated stigma", "Recovery capital"} {
			if !names[want] {
				t.Errorf("default codebook lacks %q", want)
			}
		}
		if themes != 4 || len(codes) != 4+4+4+3+3 {
			t.Errorf("%d themes and %d codes, want 4 and 18", themes, len(codes))
		}
	})
}

func TestEditingACodeKeepsEarlierCodingsOnTheirVersion(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newResearchFixture(t, db)
		ft := f.text(t, f.site, "2026-03-02", "Carrying naloxone saved my friend.", "approved")
		list, _, err := f.st.Excerpts(ctx, f.org.ID, f.a.ID, store.ExcerptFilter{})
		if err != nil || len(list) != 1 || list[0].Text != ft.Body {
			t.Fatalf("excerpts %+v, %v", list, err)
		}
		code := f.codes(t)[1]
		first, err := f.st.By(&f.a.User).AddCoding(ctx, f.org.ID, list[0].ID, code.ID, &store.Span{Start: 0, End: 17})
		if err != nil {
			t.Fatal(err)
		}
		in := store.CodeInput{ParentID: code.ParentID, Name: models.Text{"en": "Overdose response", "es": "Respuesta a sobredosis"}, Colour: "#123abc"}
		edited, err := f.st.By(&f.admin.User).EditCode(ctx, f.org.ID, code.ID, in)
		if err != nil || edited.Version != 2 || edited.Name["en"] != "Overdose response" {
			t.Fatalf("edited %+v, %v", edited, err)
		}
		second, err := f.st.By(&f.b.User).AddCoding(ctx, f.org.ID, list[0].ID, code.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.st.Codings(ctx, f.org.ID, f.admin.ID, list[0].ID)
		if err != nil || len(got.Codings) != 2 {
			t.Fatalf("codings %+v, %v", got, err)
		}
		byID := map[string]store.CodingView{}
		for _, c := range got.Codings {
			byID[c.ID] = c
		}
		if byID[first.ID].Version != 1 || byID[second.ID].Version != 2 || *byID[first.ID].SpanEnd != 17 {
			t.Errorf("versions %d and %d, want 1 and 2", byID[first.ID].Version, byID[second.ID].Version)
		}
		history, err := f.st.CodeVersions(ctx, f.org.ID, code.ID)
		if err != nil || len(history) != 2 || history[0].Name["en"] != code.Name["en"] {
			t.Errorf("history %+v, %v", history, err)
		}
		// A span past the end of the text, or a colour that is not one.
		if _, err := f.st.By(&f.a.User).AddCoding(ctx, f.org.ID, list[0].ID, code.ID, &store.Span{Start: 3, End: 400}); !isInvalid(err) {
			t.Errorf("span past the text: %v", err)
		}
		in.Colour = "red"
		if _, err := f.st.By(&f.admin.User).EditCode(ctx, f.org.ID, code.ID, in); !isInvalid(err) {
			t.Errorf("colour red: %v", err)
		}
		// A code cannot become its own grandparent.
		in.Colour, in.ParentID = "#123abc", &code.ID
		if _, err := f.st.By(&f.admin.User).EditCode(ctx, f.org.ID, *code.ParentID, in); !isInvalid(err) {
			t.Errorf("cycle: %v", err)
		}
	})
}

func isInvalid(err error) bool {
	var inv *store.InvalidError
	return errors.As(err, &inv)
}

func TestExcerptsAreModeratedTextAndScrubbedTranscripts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newResearchFixture(t, db)
		approved := f.text(t, f.site, "2026-03-02", "The van's new supplies help.", "approved")
		f.text(t, f.site, "2026-03-02", "Waiting for a moderator.", "pending")
		f.text(t, f.site, "2026-03-02", "Rejected words.", "rejected")
		f.text(t, f.clinic, "2026-03-05", "The clinic was kind [removed].", "redacted")
		day, _ := models.ParseDay("2026-03-04")
		tr, err := f.st.By(&f.a.User).ImportTranscript(ctx, f.org.ID, f.clinic.ID, day, "Group 1", "We look out for each other 100%_.", 1)
		if err != nil || tr.Kind != models.ExcerptTranscript {
			t.Fatalf("transcript %+v, %v", tr, err)
		}
		all, total, err := f.st.Excerpts(ctx, f.org.ID, f.a.ID, store.ExcerptFilter{})
		if err != nil || total != 3 || len(all) != 3 {
			t.Fatalf("excerpts %d %+v, %v; want approved, redacted and the transcript", total, all, err)
		}
		for _, c := range []struct {
			name string
			f    store.ExcerptFilter
			want int64
		}{
			{"site", store.ExcerptFilter{SiteID: f.clinic.ID}, 2},
			{"kind", store.ExcerptFilter{Kind: "transcript"}, 1},
			{"search, any case", store.ExcerptFilter{Query: "SUPPLIES"}, 1},
			{"search for a LIKE wildcard", store.ExcerptFilter{Query: "100%_"}, 1},
			{"search for a percent", store.ExcerptFilter{Query: "%"}, 1},
			{"period", store.ExcerptFilter{From: &day, To: &day}, 1},
		} {
			if _, n, err := f.st.Excerpts(ctx, f.org.ID, f.a.ID, c.f); err != nil || n != c.want {
				t.Errorf("%s: %d, %v; want %d", c.name, n, err, c.want)
			}
		}
		// A text rejected after approval leaves the workspace too.
		if err := db.Model(&models.FeedbackText{}).Where("id = ?", approved.ID).Update("state", "rejected").Error; err != nil {
			t.Fatal(err)
		}
		if _, n, err := f.st.Excerpts(ctx, f.org.ID, f.a.ID, store.ExcerptFilter{}); err != nil || n != 2 {
			t.Errorf("after rejection: %d, %v; want 2", n, err)
		}
		// Another organization sees none of it.
		other, err := f.st.CreateOrganization(ctx, "Other Program")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.Excerpt(ctx, other.ID, f.a.ID, tr.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another organization's excerpt: %v, want not found", err)
		}
	})
}

func TestOnlyAdminsAndStaffMayCode(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newResearchFixture(t, db)
		p, _, err := f.st.CreateMember(ctx, f.org.ID, "pat@example.org", models.RolePolicymaker, "correct horse battery", false)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.By(&f.admin.User).SetCoder(ctx, f.org.ID, p.ID, true); !isInvalid(err) {
			t.Errorf("policymaker made a coder: %v", err)
		}
		if err := f.st.By(&f.admin.User).SetCoder(ctx, f.org.ID, f.b.ID, false); err != nil {
			t.Fatal(err)
		}
		coders, err := f.st.Coders(ctx, f.org.ID)
		if err != nil || len(coders) != 1 || coders[0].ID != f.a.ID {
			t.Errorf("coders %+v, %v; want Ana only", coders, err)
		}
	})
}

func TestBlindDoubleCodingAndAgreement(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newResearchFixture(t, db)
		for range 10 {
			f.text(t, f.site, "2026-03-02", "Van text.", "approved")
		}
		for range 4 {
			f.text(t, f.clinic, "2026-03-03", "Clinic text.", "approved")
		}
		admin := f.st.By(&f.admin.User)
		if _, err := admin.DrawSample(ctx, f.org.ID, 50, 7, []string{f.a.ID}); !isInvalid(err) {
			t.Errorf("a sample with one coder: %v", err)
		}
		if _, err := admin.DrawSample(ctx, f.org.ID, 50, 7, []string{f.a.ID, f.admin.ID}); !isInvalid(err) {
			t.Errorf("a sample with a member who is not a coder: %v", err)
		}
		sample, err := admin.DrawSample(ctx, f.org.ID, 50, 7, []string{f.a.ID, f.b.ID})
		if err != nil {
			t.Fatal(err)
		}
		// Stratified: half of the van's 10 and half of the clinic's 4.
		if sample.Excerpts != 5+2 || len(sample.Coders) != 2 {
			t.Fatalf("sample %+v, want 7 excerpts and 2 coders", sample)
		}
		mine, _, err := f.st.Excerpts(ctx, f.org.ID, f.a.ID, store.ExcerptFilter{AssignedOnly: true, Limit: 100})
		if err != nil || len(mine) != 7 || !mine[0].Sample {
			t.Fatalf("assigned to Ana: %d, %v", len(mine), err)
		}
		codes := f.codes(t)
		x, y := codes[1].ID, codes[2].ID
		ana, ben := f.st.By(&f.a.User), f.st.By(&f.b.User)
		// Ana applies x everywhere; Ben applies x on all but the first two
		// excerpts and y on the first.
		for i, e := range mine {
			if _, err := ana.AddCoding(ctx, f.org.ID, e.ID, x, nil); err != nil {
				t.Fatal(err)
			}
			if i >= 2 {
				if _, err := ben.AddCoding(ctx, f.org.ID, e.ID, x, nil); err != nil {
					t.Fatal(err)
				}
			}
			if i == 0 {
				if _, err := ben.AddCoding(ctx, f.org.ID, e.ID, y, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		seen, err := f.st.Codings(ctx, f.org.ID, f.a.ID, mine[0].ID)
		if err != nil || !seen.Blind || len(seen.Codings) != 1 || seen.Codings[0].CoderID != f.a.ID {
			t.Fatalf("Ana before anyone submits sees %+v, %v; want her own coding only", seen, err)
		}
		// Nor do Ben's memos on it, nor the workspace's code filter.
		if _, err := ben.AddMemo(ctx, f.org.ID, &mine[0].ID, nil, "I coded this y: stigma from the pharmacy."); err != nil {
			t.Fatal(err)
		}
		if memos, err := f.st.Memos(ctx, f.org.ID, f.a.ID, &mine[0].ID, nil); err != nil || len(memos) != 0 {
			t.Fatalf("Ana, blind, reads %d of Ben's memos (%v); want none", len(memos), err)
		}
		if byY, n, err := f.st.Excerpts(ctx, f.org.ID, f.a.ID, store.ExcerptFilter{CodeID: y, Limit: 100}); err != nil || n != 0 || len(byY) != 0 {
			t.Fatalf("Ana, blind, filtering by Ben's code finds %d excerpts (%v); want none", n, err)
		}
		for _, e := range mine {
			if err := ana.SubmitExcerpt(ctx, f.org.ID, e.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := ana.AddCoding(ctx, f.org.ID, mine[0].ID, y, nil); !errors.Is(err, store.ErrSubmitted) {
			t.Errorf("coding after submitting: %v, want ErrSubmitted", err)
		}
		if seen, _ := f.st.Codings(ctx, f.org.ID, f.a.ID, mine[0].ID); !seen.Blind || len(seen.Codings) != 1 {
			t.Errorf("Ana, submitted, before Ben has: %+v; want still blind", seen)
		}
		// Half-way, the table counts only what is submitted.
		half, err := f.st.Agreement(ctx, f.org.ID, sample.ID)
		if err != nil || half.Overall.Alpha.Value != nil || len(half.Disagreements) != 0 {
			t.Fatalf("agreement with one coder submitted: %+v, %v", half.Overall, err)
		}
		for _, e := range mine {
			if err := ben.SubmitExcerpt(ctx, f.org.ID, e.ID); err != nil {
				t.Fatal(err)
			}
		}
		if seen, _ := f.st.Codings(ctx, f.org.ID, f.a.ID, mine[0].ID); seen.Blind || len(seen.Codings) != 2 {
			t.Errorf("after both submitted Ana sees %+v; want her x and Ben's y", seen)
		}
		if memos, err := f.st.Memos(ctx, f.org.ID, f.a.ID, &mine[0].ID, nil); err != nil || len(memos) != 1 {
			t.Errorf("after both submitted Ana reads %d memos (%v); want Ben's", len(memos), err)
		}
		if byY, n, err := f.st.Excerpts(ctx, f.org.ID, f.a.ID, store.ExcerptFilter{CodeID: y, Limit: 100}); err != nil || n != 1 || len(byY) != 1 || byY[0].ID != mine[0].ID {
			t.Errorf("after both submitted, filtering by y finds %d (%v); want the first excerpt", n, err)
		}
		table, err := f.st.Agreement(ctx, f.org.ID, sample.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The same data straight through the agreement package.
		wantX, _ := agreement.Alpha(agreement.Ratings{{1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1}})
		rows := map[string]store.CodeAgreement{}
		for _, r := range table.Codes {
			rows[r.CodeID] = r
		}
		if got := rows[x].Alpha.Value; got == nil || math.Abs(*got-wantX) > 1e-9 {
			t.Errorf("alpha for x = %v, want %v", got, wantX)
		}
		for _, d := range table.Disagreements {
			if d.Text != "Van text." && d.Text != "Clinic text." {
				t.Errorf("disagreement shows text %q, want the excerpt's", d.Text)
			}
		}
		if rows[x].Disagreements != 2 || rows[y].Disagreements != 1 || len(table.Disagreements) != 3 {
			t.Errorf("disagreements x %d, y %d, all %d; want 2, 1, 3", rows[x].Disagreements, rows[y].Disagreements, len(table.Disagreements))
		}
		if p := rows[x].Percent.Value; p == nil || math.Abs(*p-5.0/7) > 1e-9 {
			t.Errorf("percent agreement for x = %v, want 5/7", p)
		}
		if len(rows[x].Pairs) != 1 || rows[x].Pairs[0].Units != 7 {
			t.Errorf("pairs %+v", rows[x].Pairs)
		}
		// Ana applied x to every excerpt: her agreement with Ben is no
		// better than chance (p_o = p_e = 5/7), kappa 0.
		if k := rows[x].Pairs[0].Kappa.Value; k == nil || math.Abs(*k) > 1e-9 {
			t.Errorf("kappa for x = %+v, want 0", rows[x].Pairs[0].Kappa)
		}
		// Only Ben applied y, once: Ana's constant "no" again gives 0.
		if k := rows[y].Pairs[0].Kappa.Value; k == nil || math.Abs(*k) > 1e-9 {
			t.Errorf("kappa for y = %+v, want 0", rows[y].Pairs[0].Kappa)
		}
		f.st.Now = func() time.Time { return time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC) }
		if _, err := admin.Reconcile(ctx, f.org.ID, mine[0].ID, x, true); err != nil {
			t.Fatal(err)
		}
		table, err = f.st.Agreement(ctx, f.org.ID, sample.ID)
		if err != nil {
			t.Fatal(err)
		}
		settled := 0
		for _, d := range table.Disagreements {
			if d.Agreed != nil {
				settled++
				if !*d.Agreed || *d.AgreedBy != f.admin.ID || d.AgreedOn.String() != "2026-03-09" || d.Present[f.b.ID] {
					t.Errorf("reconciled %+v", d)
				}
			}
		}
		if settled != 1 || len(table.Disagreements) != 3 {
			t.Errorf("%d settled of %d; the coders' own codes must stay", settled, len(table.Disagreements))
		}
	})
}

// The same seed over the same excerpts draws the same sample.
func TestSampleIsReproducibleFromItsSeed(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newResearchFixture(t, db)
		for range 20 {
			f.text(t, f.site, "2026-03-02", "Van text.", "approved")
		}
		draw := func() map[string]bool {
			s, err := f.st.By(&f.admin.User).DrawSample(ctx, f.org.ID, 20, 42, []string{f.a.ID, f.b.ID})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			var ids []string
			if err := db.Model(&models.ResearchAssignment{}).Where("sample_id = ?", s.ID).Distinct().Pluck("excerpt_id", &ids).Error; err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				got[id] = true
			}
			// Put the excerpts back for the next draw.
			if err := db.Where("sample_id = ?", s.ID).Delete(&models.ResearchAssignment{}).Error; err != nil {
				t.Fatal(err)
			}
			return got
		}
		first, second := draw(), draw()
		if len(first) != 4 || len(second) != 4 {
			t.Fatalf("drew %d and %d, want 4 (20%% of 20)", len(first), len(second))
		}
		for id := range first {
			if !second[id] {
				t.Fatalf("the same seed drew different excerpts")
			}
		}
	})
}
