package store_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A batch of votes costs the same statements whatever its size, with the
// same texts: the votes go in with one upsert whatever their number.
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
		// The statements' texts, without their values, are the same for 5
		// votes and for 50: a text that grew with the batch would be parsed
		// and planned again for every size.
		if a, b := withoutValues(statements[5]), withoutValues(statements[50]); !slices.Equal(a, b) {
			t.Fatalf("5 votes:\n%s\n50 votes:\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
		}
		inserts := 0
		for _, s := range statements[50] {
			inserts += strings.Count(s, "INSERT INTO live_votes")
		}
		if inserts != 1 {
			t.Fatalf("%d INSERTs of votes, want 1:\n%s", inserts, strings.Join(statements[50], "\n"))
		}
	})
}

// quoted is a quoted SQL literal, as gorm's log writes a statement's values
// ('...' for PostgreSQL, "..." for SQLite).
var quoted = regexp.MustCompile(`'(?:[^']|'')*'|"(?:[^"]|"")*"`)

func withoutValues(statements []string) []string {
	out := make([]string, len(statements))
	for i, s := range statements {
		out[i] = quoted.ReplaceAllString(s, "?")
	}
	return out
}

// A batch's earlier votes are looked up key by key in live_votes' primary
// key, never by reading the whole round: PostgreSQL, told a JSON document
// holds a hundred keys, once hashed them and read every vote of a room of
// a thousand for each batch.
func TestPriorVotesAreLookedUpByKey(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		r := f.round(t, store.RoundInput{Kind: tally.Agree, Prompt: "Open later on Fridays?"}, true)
		votes := make([]store.VoteInput, 1000)
		for i := range votes {
			v := newVoter()
			votes[i] = store.VoteInput{SessionID: f.session.ID, RoundID: r.ID, ParticipantID: v.id, TokenHash: v.hash,
				VoteID: fmt.Sprint("v", i), Choice: []byte(`"agree"`)}
		}
		if _, _, err := f.st.CommitVotes(context.Background(), votes); err != nil {
			t.Fatal(err)
		}
		explain := "EXPLAIN QUERY PLAN "
		if db.Dialect == database.Postgres {
			explain = "EXPLAIN "
			if err := db.Exec("ANALYZE live_votes").Error; err != nil {
				t.Fatal(err)
			}
		}
		keys := fmt.Sprintf(`[{"i":0,"r":%q,"p":%q},{"i":1,"r":%q,"p":%q}]`,
			r.ID, votes[0].ParticipantID, r.ID, votes[1].ParticipantID)
		rows, err := db.Raw(explain+store.PriorVotesSQL[db.Dialect], keys).Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var plan []string
		for rows.Next() {
			cells := make([]any, len(cols))
			for i := range cells {
				cells[i] = new(any)
			}
			if err := rows.Scan(cells...); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, fmt.Sprint(*cells[len(cells)-1].(*any)))
		}
		text := strings.Join(plan, "\n")
		byKey := strings.Contains(text, "Index Scan using live_votes_pkey") || strings.Contains(text, "SEARCH v USING INDEX")
		if !byKey || strings.Contains(text, "Seq Scan on live_votes") || strings.Contains(text, "SCAN v") {
			t.Fatalf("the prior votes are not looked up by key:\n%s", text)
		}
	})
}

// A vote travels to the database inside a JSON document: a vote_id that
// needs escaping there is stored as it came, and its replay is known.
func TestVoteIDsNeedingEscapesTravelWhole(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newLiveFixture(t, db)
		r := f.round(t, store.RoundInput{Kind: tally.Agree, Prompt: "Open later on Fridays?"}, true)
		for _, id := range []string{`a"b\c`, `<&>`, "é\u2028", `{"x":1}`} {
			v := newVoter()
			if out := f.vote(t, r, v, id, `"agree"`); out.Err != nil || out.Replayed {
				t.Fatalf("vote_id %q: %+v", id, out)
			}
			if out := f.vote(t, r, v, id, `"agree"`); !out.Replayed {
				t.Fatalf("vote_id %q again: %+v, want a replay", id, out)
			}
			var stored string
			if err := db.Raw("SELECT vote_id FROM live_votes WHERE participant_id = ?", v.id).Scan(&stored).Error; err != nil || stored != id {
				t.Fatalf("stored vote_id %q (%v), want %q", stored, err, id)
			}
		}
	})
}
