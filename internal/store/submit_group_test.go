package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// Submissions committed together are answered each as they would be
// alone: new, replayed (the same key and body twice in one group), a
// mismatch (the same key, another body), refused (an unknown code); the
// text and the urgent-word alert come with the one that was stored.
func TestSubmitEachAnswersEveryItemOnItsOwn(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		ctx := context.Background()
		ka, err := f.st.KioskByToken(ctx, f.secret)
		if err != nil {
			t.Fatal(err)
		}
		urgent := store.SubmissionInput{Language: "en", Text: "an overdose by the river", Urgent: []string{"overdose"}}
		plain := store.SubmissionInput{Language: "en", Needs: []string{"food"}}
		res := f.st.SubmitEach(ctx, ka.Source(), []store.KeyedSubmission{
			{Key: "a", RequestHash: []byte("a"), Input: urgent},
			{Key: "b", RequestHash: []byte("b"), Input: plain},
			{Key: "b", RequestHash: []byte("b"), Input: plain},
			{Key: "a", RequestHash: []byte("other"), Input: urgent},
			{Key: "c", RequestHash: []byte("c"), Input: store.SubmissionInput{Language: "en", Needs: []string{"no such need"}}},
		})
		if res[0].Err != nil || res[0].Replayed || res[1].Err != nil || res[1].Replayed {
			t.Fatalf("new ones: %+v", res[:2])
		}
		if res[2].Err != nil || !res[2].Replayed || res[2].ID != res[1].ID {
			t.Fatalf("replay within the group: %+v, want %s replayed", res[2], res[1].ID)
		}
		if !errors.Is(res[3].Err, store.ErrIdempotencyMismatch) {
			t.Fatalf("mismatch within the group: %+v", res[3])
		}
		wantInvalid(t, res[4].Err, "needs[0]")
		if n := count(t, db, &models.Submission{}); n != 2 {
			t.Fatalf("%d submissions, want 2", n)
		}
		var texts []models.FeedbackText
		if err := db.Find(&texts).Error; err != nil {
			t.Fatal(err)
		}
		var alerts []models.Alert
		if err := db.Find(&alerts).Error; err != nil {
			t.Fatal(err)
		}
		if len(texts) != 1 || texts[0].SubmissionID != res[0].ID || len(alerts) != 1 || *alerts[0].FeedbackTextID != texts[0].ID {
			t.Fatalf("texts %+v, alerts %+v", texts, alerts)
		}
	})
}

// Many kiosks' submissions at once, each sent twice at the same moment (a
// retry racing the first attempt): each is stored once, with its text and
// alert, one attempt answered new and the other a replay of the same id.
func TestConcurrentSubmissionsAreEachStoredOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		ctx := context.Background()
		ka, err := f.st.KioskByToken(ctx, f.secret)
		if err != nil {
			t.Fatal(err)
		}
		const n = 60
		type answer struct {
			s   store.Submitted
			err error
		}
		answers := make([][2]answer, n)
		var wg sync.WaitGroup
		for i := range n {
			in := store.SubmissionInput{Language: "en", Needs: []string{"food"}}
			if i%2 == 0 {
				in.Text = fmt.Sprintf("text %d", i)
			}
			if i%4 == 0 {
				in.Urgent = []string{"overdose"}
			}
			for try := range 2 {
				wg.Go(func() {
					s, err := f.st.Submit(ctx, ka, fmt.Sprint("key ", i), []byte(fmt.Sprint("body ", i)), in)
					answers[i][try] = answer{s, err}
				})
			}
		}
		wg.Wait()
		for i, a := range answers {
			if a[0].err != nil || a[1].err != nil || a[0].s.ID != a[1].s.ID || a[0].s.Replayed == a[1].s.Replayed {
				t.Fatalf("submission %d: %+v, want one new and one replay of the same id", i, a)
			}
		}
		if got := count(t, db, &models.Submission{}); got != n {
			t.Fatalf("%d submissions, want %d", got, n)
		}
		if got := count(t, db, &models.FeedbackText{}); got != n/2 {
			t.Fatalf("%d texts, want %d", got, n/2)
		}
		if got := count(t, db, &models.Alert{}); got != n/4 {
			t.Fatalf("%d alerts, want %d", got, n/4)
		}
	})
}
