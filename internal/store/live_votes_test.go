package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A batch of votes costs the same statements whatever its size: the new
// participants in one multi-row INSERT, the votes in one multi-row upsert,
// one tally per round.
func TestVoteBatchIsOneStatementPerTable(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		r := f.round(t, store.RoundInput{Kind: tally.Agree, Prompt: "Open later on Fridays?"}, true)
		counter := testutil.NewStatements()
		counted := store.New(&database.DB{DB: db.Session(&gorm.Session{Logger: counter}), Dialect: db.Dialect, Source: db.Source})
		statements := map[int][]string{}
		for _, n := range []int{5, 50} {
			votes := make([]store.VoteInput, n)
			for i := range votes {
				v := newVoter()
				votes[i] = store.VoteInput{SessionID: f.session.ID, RoundID: r.ID, ParticipantID: v.id, TokenHash: v.hash,
					VoteID: fmt.Sprint("v", i), Choice: []byte(`"agree"`)}
			}
			counter.Reset()
			out, _, err := counted.CommitVotes(context.Background(), votes)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range out {
				if o.Err != nil || o.Replayed {
					t.Fatalf("outcome %+v", o)
				}
			}
			statements[n] = counter.All()
		}
		if len(statements[5]) != len(statements[50]) {
			t.Fatalf("5 votes: %d statements, 50 votes: %d:\n%s", len(statements[5]), len(statements[50]), strings.Join(statements[50], "\n"))
		}
		inserts := 0
		for _, s := range statements[50] {
			if strings.HasPrefix(s, "INSERT INTO \"live_votes\"") || strings.HasPrefix(s, "INSERT INTO `live_votes`") {
				inserts++
			}
		}
		if inserts != 1 {
			t.Fatalf("%d INSERTs of votes, want 1:\n%s", inserts, strings.Join(statements[50], "\n"))
		}
	})
}
