package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A van never runs comment rounds (it syncs counts, not words: the
// comments could never be moderated here). Should a van's session come
// with one anyway, upstream refuses the whole session and stores nothing.
func TestEdgeSessionWithACommentRoundIsRefused(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newProposalFixture(t, db)
		ctx := context.Background()
		ea, _ := enrolledEdge(t, f)
		p := f.propose(t, models.OriginStaff)
		mustMove(t, f, p.ID, models.StatusOpen)
		sess := vanSession(p.ID, 5, 6)
		sess.Rounds = append(sess.Rounds, edge.Round{Position: 2, Kind: tally.Comment, Prompt: "What did we miss?",
			State: models.RoundClosed, Tally: tally.Tally{Voters: 3}})
		before := testutil.Snapshot(t, db)
		_, err := f.st.ApplyEdgeBatch(ctx, ea, batchOf(t, edge.Batch{ID: "b-comment", SiteID: f.van.ID,
			Items: []edge.Item{{ID: "s", Kind: edge.KindSession, Session: sess}}}), edgeText)
		var inv *store.InvalidError
		if !errors.As(err, &inv) || inv.Field != "items[0].session.rounds[2].kind" {
			t.Fatalf("a van's comment round: %v, want a refusal of its kind", err)
		}
		if changed := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(changed) > 0 {
			t.Errorf("refused, yet changed %v", changed)
		}
	})
}
