package edge_test

import (
	"context"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// The van shows the "what changed" board and offers open proposals while
// offline, and follows what the main server changes: a category retired
// upstream is retired on the van, a proposal closed upstream is no longer
// offered. Upstream on each database, the van on SQLite.
func TestVanMirrorsTheBoardAndFollowsUpstream(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, mainDB *database.DB) {
		ctx := context.Background()
		prog := newVanProgram(t, mainDB)
		st, org := prog.st, prog.org
		propose := func(title string, statuses ...string) models.Proposal {
			p, err := st.CreateProposal(ctx, org.ID, models.User{}, store.ProposalInput{Title: models.Text{"en": title, "es": title},
				Description: models.Text{"en": "Why", "es": "Por qué"}, Origin: models.OriginStaff, Needs: []string{"food"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range statuses {
				if _, err := st.PostUpdate(ctx, org.ID, p.ID, models.User{}, store.UpdateInput{Status: s, Body: models.Text{"en": "Now " + s, "es": "Ahora " + s}}); err != nil {
					t.Fatal(err)
				}
			}
			return p
		}
		decided := propose("Naloxone at every stop", models.StatusOpen, models.StatusUnderReview, models.StatusAccepted)
		open := propose("Evening hours", models.StatusOpen)
		v := prog.enrollVan(t)
		van, vanStore := v.db, v.st
		board, err := vanStore.Outcomes(ctx, org.ID, 10)
		if err != nil || len(board) != 1 || board[0].ID != decided.ID || board[0].Update == nil || board[0].Update.Body["en"] != "Now accepted" {
			t.Fatalf("the van's board: %+v %v", board, err)
		}
		var offered []models.Proposal
		if err := van.Where("status = ?", models.StatusOpen).Find(&offered).Error; err != nil || len(offered) != 1 || offered[0].ID != open.ID {
			t.Fatalf("open proposals on the van: %+v %v", offered, err)
		}

		var food models.Category
		if err := mainDB.Where("organization_id = ? AND code = ?", org.ID, "food").First(&food).Error; err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := st.UpdateCategory(ctx, org.ID, food.ID, store.CategoryChange{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PostUpdate(ctx, org.ID, open.ID, models.User{}, store.UpdateInput{Status: models.StatusUnderReview, Body: models.Text{"en": "Looking", "es": "Revisando"}}); err != nil {
			t.Fatal(err)
		}
		if err := v.syncer.Once(ctx); err != nil {
			t.Fatal(err)
		}
		active, err := vanStore.Categories(ctx, org.ID, models.KindNeed)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range active {
			if c.Code == "food" {
				t.Fatal("a category retired upstream is still offered on the van")
			}
		}
		if err := van.Where("status = ?", models.StatusOpen).Find(&offered).Error; err != nil || len(offered) != 0 {
			t.Fatalf("a proposal closed upstream is still offered on the van: %+v %v", offered, err)
		}
	})
}
