package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A van kiosk's answer to "Do you support this?" arrives once as a kiosk
// answer of the van's site (the edge item names the device, the answer no
// kiosk), keeps its day, and a replay stores nothing more.
func TestEdgeSupportArrivesOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, _ := enrolledEdge(t, f)
		p := f.propose(t, models.OriginStaff)
		mustMove(t, f, p.ID, models.StatusOpen)
		yesterday := models.DayOf(f.clock, mustZone(t, f.van.TimeZone)).AddDays(-1)
		b := edge.Batch{ID: "support-1", SiteID: f.van.ID, Items: []edge.Item{
			{ID: "ans-1", Kind: edge.KindSupport, Support: &edge.Support{ProposalID: p.ID, Answer: models.AnswerAgree, Day: yesterday}},
			{ID: "ans-2", Kind: edge.KindSupport, Support: &edge.Support{ProposalID: p.ID, Answer: models.AnswerUnsure, Day: yesterday}},
		}}
		first, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, b), edgeText)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Items) != 2 || first.Items[0].Kind != edge.KindSupport || len(first.Items[0].Notes) != 0 {
			t.Fatalf("answer: %+v", first)
		}
		sup, err := f.st.SupportOf(ctx, f.org.ID, []string{p.ID})
		if err != nil || len(sup[p.ID]) != 1 || sup[p.ID][0].SiteID != f.van.ID || sup[p.ID][0].Kiosk["agree"] != 1 ||
			sup[p.ID][0].Kiosk["unsure"] != 1 || sup[p.ID][0].Live["agree"] != 0 {
			t.Fatalf("support after the van's answers: %+v %v", sup, err)
		}
		var row models.ProposalSupport
		if err := db.First(&row, "id = ?", first.Items[0].RefID).Error; err != nil {
			t.Fatal(err)
		}
		if row.Day != yesterday || row.KioskID != nil || row.SiteID != f.van.ID || row.Answer != models.AnswerAgree {
			t.Fatalf("stored answer: %+v, want yesterday (%s), no kiosk, the van's site", row, yesterday)
		}
		var item models.EdgeItem
		if err := db.Where("item_id = ?", "ans-1").First(&item).Error; err != nil || item.DeviceID != ea.Device.ID ||
			item.Kind != edge.KindSupport || item.RefID != row.ID {
			t.Fatalf("the answer's origin: %+v %v", item, err)
		}

		before := testutil.Snapshot(t, db)
		again, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, b), edgeText)
		if err != nil || again.Items[0].RefID != first.Items[0].RefID {
			t.Fatalf("the same batch again: %+v %v", again, err)
		}
		b2 := b
		b2.ID = "support-2"
		rebuilt, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, b2), edgeText)
		if err != nil || rebuilt.Items[1].RefID != first.Items[1].RefID {
			t.Fatalf("rebuilt batch: %+v %v", rebuilt, err)
		}
		if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) != 1 || changed[0] != "edge_batches" {
			t.Fatalf("replays changed %v, want only edge_batches", changed)
		}
		if n := countRows(t, db, "proposal_support"); n != 2 {
			t.Fatalf("%d answers stored, want 2", n)
		}
	})
}

// An answer about a proposal of another site, of another program, a draft
// or an unknown id is refused with the uniform error and the batch stores
// nothing; a proposal closed here while the van was away still takes the
// answer as evidence, with a note.
func TestEdgeSupportRefusalsAndClosedProposals(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, _ := enrolledEdge(t, f)
		open := f.propose(t, models.OriginStaff)
		mustMove(t, f, open.ID, models.StatusOpen)
		storefront, err := f.st.CreateProposal(ctx, f.org.ID, models.User{}, store.ProposalInput{Title: bilingual("Lockers", "Casilleros"),
			Description: bilingual("Lockers at the storefront.", "Casilleros en el local."), Origin: models.OriginStaff,
			Needs: []string{"housing"}, SiteIDs: []string{f.site.ID}})
		if err != nil {
			t.Fatal(err)
		}
		mustMove(t, f, storefront.ID, models.StatusOpen)
		draft := f.propose(t, models.OriginStaff)
		other, err := f.st.CreateOrganization(ctx, "Other Program")
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := f.st.CreateProposal(ctx, other.ID, models.User{}, store.ProposalInput{Title: bilingual("Evening hours", "Horario de noche"),
			Description: bilingual("Open until 9 pm.", "Abrir hasta las 9."), Origin: models.OriginStaff, Needs: []string{"housing"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.PostUpdate(ctx, other.ID, foreign.ID, models.User{}, store.UpdateInput{Status: models.StatusOpen,
			Body: bilingual("Open", "Abierta")}); err != nil {
			t.Fatal(err)
		}

		refused := map[string]string{
			"another site":    storefront.ID,
			"a draft":         draft.ID,
			"another program": foreign.ID,
			"not an id":       "evening-hours",
			"unknown id":      models.NewID(),
		}
		for name, id := range refused {
			before := testutil.Snapshot(t, db)
			_, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, edge.Batch{ID: "refused " + name, SiteID: f.van.ID, Items: []edge.Item{
				{ID: "fine", Kind: edge.KindSupport, Support: &edge.Support{ProposalID: open.ID, Answer: models.AnswerAgree}},
				{ID: "bad " + name, Kind: edge.KindSupport, Support: &edge.Support{ProposalID: id, Answer: models.AnswerAgree}},
			}}), edgeText)
			var inv *store.InvalidError
			if !errors.As(err, &inv) || inv.Field != "items[1].support.proposal_id" {
				t.Fatalf("%s: %v, want items[1].support.proposal_id refused", name, err)
			}
			if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) != 0 {
				t.Fatalf("%s: a refused batch changed %v", name, changed)
			}
		}
		for name, c := range map[string]struct {
			field string
			item  edge.Item
		}{
			"an unknown answer": {"items[0].support.answer", edge.Item{ID: "odd", Kind: edge.KindSupport, Support: &edge.Support{ProposalID: open.ID, Answer: "maybe"}}},
			"no answer carried": {"items[0]", edge.Item{ID: "empty", Kind: edge.KindSupport}},
			"two things": {"items[0]", edge.Item{ID: "two", Kind: edge.KindSupport, Support: &edge.Support{ProposalID: open.ID, Answer: models.AnswerAgree},
				Submission: &edge.Submission{Language: "en"}}},
		} {
			before := testutil.Snapshot(t, db)
			_, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, edge.Batch{ID: "refused " + name, SiteID: f.van.ID, Items: []edge.Item{c.item}}), edgeText)
			var inv *store.InvalidError
			if !errors.As(err, &inv) || inv.Field != c.field {
				t.Fatalf("%s: %v, want a refusal of %s", name, err, c.field)
			}
			if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) != 0 {
				t.Fatalf("%s: a refused batch changed %v", name, changed)
			}
		}

		mustMove(t, f, open.ID, models.StatusUnderReview)
		mustMove(t, f, open.ID, models.StatusDeclined)
		res, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, edge.Batch{ID: "late", SiteID: f.van.ID, Items: []edge.Item{
			{ID: "late", Kind: edge.KindSupport, Support: &edge.Support{ProposalID: open.ID, Answer: models.AnswerDisagree}},
		}}), edgeText)
		if err != nil || len(res.Items[0].Notes) != 1 {
			t.Fatalf("an answer for a proposal declined meanwhile: %+v %v", res, err)
		}
		sup, err := f.st.ProposalSupport(ctx, f.org.ID, open.ID)
		if err != nil || len(sup) != 1 || sup[0].Kiosk["disagree"] != 1 || sup[0].Combined("agree") != 0 {
			t.Fatalf("a declined proposal's evidence from the van: %+v %v", sup, err)
		}
	})
}
