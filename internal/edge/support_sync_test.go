package edge_test

import (
	"context"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A van kiosk's answers to "Do you support this?" reach the main server
// once, as kiosk answers of the van's site, and are deleted on the van
// once upstream confirmed them. Upstream on each database, the van on
// SQLite.
func TestVanSupportSyncsOnceAndLeavesTheVan(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, mainDB *database.DB) {
		ctx := context.Background()
		prog := newVanProgram(t, mainDB)
		st, org, site := prog.st, prog.org, prog.site
		p, err := st.CreateProposal(ctx, org.ID, models.User{}, store.ProposalInput{Title: models.Text{"en": "Evening hours", "es": "Horario de noche"},
			Description: models.Text{"en": "Open until 9 pm.", "es": "Abrir hasta las 9."}, Origin: models.OriginStaff,
			Needs: []string{"housing"}, SiteIDs: []string{site.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.PostUpdate(ctx, org.ID, p.ID, models.User{}, store.UpdateInput{Status: models.StatusOpen,
			Body: models.Text{"en": "Open", "es": "Abierta"}}); err != nil {
			t.Fatal(err)
		}
		v := prog.enrollVan(t)
		van, vanStore, syncer := v.db, v.st, v.syncer
		today := models.DayOf(time.Now(), time.UTC)
		for i, answer := range []string{models.AnswerAgree, models.AnswerAgree, models.AnswerDisagree} {
			row := models.ProposalSupport{ID: models.NewID(), OrganizationID: org.ID, ProposalID: p.ID, SiteID: site.ID,
				Day: today, Answer: answer, IdempotencyKey: []byte{byte(i)}, RequestHash: []byte("h")}
			if err := van.Create(&row).Error; err != nil {
				t.Fatal(err)
			}
		}
		if console, err := vanStore.EdgeConsole(ctx); err != nil || console.Waiting[edge.KindSupport] != 3 {
			t.Fatalf("console before the sync: %+v %v", console, err)
		}
		for range 2 {
			if err := syncer.Once(ctx); err != nil {
				t.Fatal(err)
			}
		}
		sup, err := st.ProposalSupport(ctx, org.ID, p.ID)
		if err != nil || len(sup) != 1 || sup[0].SiteID != site.ID || sup[0].Kiosk["agree"] != 2 || sup[0].Kiosk["disagree"] != 1 {
			t.Fatalf("upstream support after the sync: %+v %v", sup, err)
		}
		var items int64
		mainDB.Model(&models.EdgeItem{}).Where("kind = ?", edge.KindSupport).Count(&items)
		if items != 3 {
			t.Fatalf("%d support items recorded upstream, want 3", items)
		}
		var kept, sent int64
		van.Model(&models.ProposalSupport{}).Count(&kept)
		van.Model(&models.EdgeOutboxItem{}).Where("kind = ? AND confirmed_at IS NOT NULL AND payload = ?", edge.KindSupport, "{}").Count(&sent)
		if kept != 0 || sent != 3 {
			t.Fatalf("the van keeps %d answers and %d confirmed outbox items, want 0 and 3", kept, sent)
		}
		if console, err := vanStore.EdgeConsole(ctx); err != nil || console.Waiting[edge.KindSupport] != 0 || console.Sent != 3 {
			t.Fatalf("console after the sync: %+v %v", console, err)
		}
		// Nothing is queued or sent again.
		if n, err := edge.Collect(ctx, van.DB); err != nil || n != 0 {
			t.Fatalf("collect after the sync queued %d: %v", n, err)
		}
		if err := syncer.Once(ctx); err != nil {
			t.Fatal(err)
		}
		var upstreamRows int64
		mainDB.Model(&models.ProposalSupport{}).Where("proposal_id = ?", p.ID).Count(&upstreamRows)
		if upstreamRows != 3 {
			t.Fatalf("%d answers upstream after another sync, want 3", upstreamRows)
		}
	})
}
