package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

type kioskFixture struct {
	st     *store.Store
	db     *database.DB
	org    models.Organization
	site   models.Site
	kiosk  models.Kiosk
	secret string
}

func newKioskFixture(t *testing.T, db *database.DB) *kioskFixture {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	org, err := st.CreateOrganization(ctx, "Kiosk Program")
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.CreateSite(ctx, org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Los_Angeles"})
	if err != nil {
		t.Fatal(err)
	}
	k, secret, err := st.ProvisionKiosk(ctx, org.ID, site.ID, "Tablet 1")
	if err != nil {
		t.Fatal(err)
	}
	return &kioskFixture{st: st, db: db, org: org, site: site, kiosk: k, secret: secret}
}

// otherProcess opens a second connection pool and Store on the same
// database, as a second chorus process would.
func otherProcess(t *testing.T, db *database.DB) *store.Store {
	t.Helper()
	other, err := database.Open(context.Background(), db.Source, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	return store.New(other)
}

func submitAs(t *testing.T, st *store.Store, secret, key string, in store.SubmissionInput) (store.Submitted, error) {
	t.Helper()
	ctx := context.Background()
	ka, err := st.KioskByToken(ctx, secret)
	if err != nil {
		return store.Submitted{}, err
	}
	return st.Submit(ctx, ka, key, []byte("hash of "+fmt.Sprint(in)), in)
}

func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var inv *store.InvalidError
	if !errors.As(err, &inv) || inv.Field != field {
		t.Fatalf("got %v, want %s refused", err, field)
	}
}

func category(t *testing.T, st *store.Store, orgID, kind, code string) models.Category {
	t.Helper()
	all, err := st.AllCategories(context.Background(), orgID, kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.Code == code {
			return c
		}
	}
	t.Fatalf("no %s category %s", kind, code)
	return models.Category{}
}

func TestKioskAuthCarriesSiteAndUrgentWords(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		ctx := context.Background()
		ka, err := f.st.KioskByToken(ctx, f.secret)
		if err != nil {
			t.Fatal(err)
		}
		if ka.Kiosk.ID != f.kiosk.ID || ka.Kiosk.Name != "Tablet 1" || ka.Kiosk.EnrolledAt == nil || ka.Kiosk.CreatedAt.IsZero() ||
			ka.Site.ID != f.site.ID || ka.Site.TimeZone != "America/Los_Angeles" || ka.Site.Kind != "mobile" || ka.Site.CreatedAt.IsZero() {
			t.Fatalf("authenticated as %+v", ka)
		}
		if !slices.Contains(ka.UrgentWords, "overdose") {
			t.Fatalf("urgent words %v, want the defaults", ka.UrgentWords)
		}
		words := []string{"Bad  Batch"}
		if _, err := f.st.UpdateOrganization(ctx, f.org.ID, store.OrganizationSettings{UrgentWords: &words}); err != nil {
			t.Fatal(err)
		}
		ka, err = f.st.KioskByToken(ctx, f.secret)
		if err != nil || !slices.Equal(ka.UrgentWords, []string{"bad batch"}) {
			t.Fatalf("after the change: %v, %v", ka.UrgentWords, err)
		}
	})
}

func TestRevokedKioskIsRefusedByEveryProcess(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		other := otherProcess(t, db)
		in := store.SubmissionInput{Language: "en", Needs: []string{"food"}}
		if _, err := submitAs(t, other, f.secret, "before", in); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.RevokeKiosk(context.Background(), f.org.ID, f.kiosk.ID); err != nil {
			t.Fatal(err)
		}
		for name, st := range map[string]*store.Store{"same": f.st, "other": other} {
			if _, err := submitAs(t, st, f.secret, "after", in); !errors.Is(err, store.ErrCredentials) {
				t.Errorf("%s process: %v, want ErrCredentials", name, err)
			}
		}
	})
}

func TestCategoryChangesReachEveryProcessAtOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		ctx := context.Background()
		other := otherProcess(t, db)
		food := store.SubmissionInput{Language: "en", Needs: []string{"food"}}
		// Both processes have seen (and may keep) the codes as they were.
		for i, st := range []*store.Store{f.st, other} {
			if _, err := submitAs(t, st, f.secret, fmt.Sprint("warm-", i), food); err != nil {
				t.Fatal(err)
			}
		}

		off := false
		if _, err := f.st.UpdateCategory(ctx, f.org.ID, category(t, f.st, f.org.ID, models.KindNeed, "food").ID, store.CategoryChange{Active: &off}); err != nil {
			t.Fatal(err)
		}
		for i, st := range []*store.Store{f.st, other} {
			_, err := submitAs(t, st, f.secret, fmt.Sprint("retired-", i), food)
			wantInvalid(t, err, "needs[0]")
		}

		labels := models.Text{"en": "Bus passes", "es": "Pases de autobús"}
		if _, err := f.st.CreateCategory(ctx, f.org.ID, store.CategoryInput{Kind: models.KindStrength, Code: "bus_passes", Labels: labels}); err != nil {
			t.Fatal(err)
		}
		bus := store.SubmissionInput{Language: "en", Strengths: []string{"bus_passes"}}
		if _, err := submitAs(t, other, f.secret, "new-strength", bus); err != nil {
			t.Fatalf("a strength added by another process: %v", err)
		}

		on := true
		if _, err := other.UpdateCategory(ctx, f.org.ID, category(t, other, f.org.ID, models.KindNeed, "food").ID, store.CategoryChange{Active: &on}); err != nil {
			t.Fatal(err)
		}
		if _, err := submitAs(t, f.st, f.secret, "back", food); err != nil {
			t.Fatalf("a need restored by another process: %v", err)
		}
	})
}

func TestSubmitIsIdempotent(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		ctx := context.Background()
		// 05:00 UTC on the 26th is still the 25th in Los Angeles.
		f.st.Now = func() time.Time { return time.Date(2026, 11, 26, 5, 0, 0, 0, time.UTC) }
		ka, err := f.st.KioskByToken(ctx, f.secret)
		if err != nil {
			t.Fatal(err)
		}
		in := store.SubmissionInput{Language: "en", Needs: []string{"food", "housing"}, Priorities: []string{"housing"}, Receipt: "K7M-3QX"}
		first, err := f.st.Submit(ctx, ka, "key-1", []byte("body 1"), in)
		if err != nil || first.Replayed || first.Day.String() != "2026-11-25" {
			t.Fatalf("first: %+v, %v", first, err)
		}
		again, err := f.st.Submit(ctx, ka, "key-1", []byte("body 1"), in)
		if err != nil || !again.Replayed || again.ID != first.ID || again.Day != first.Day {
			t.Fatalf("replay: %+v, %v; want %+v replayed", again, err, first)
		}
		if _, err := f.st.Submit(ctx, ka, "key-1", []byte("body 2"), in); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Fatalf("same key, other body: %v", err)
		}
		// The same key from another kiosk is another submission.
		k2, secret2, err := f.st.ProvisionKiosk(ctx, f.org.ID, f.site.ID, "Tablet 2")
		if err != nil {
			t.Fatal(err)
		}
		ka2, err := f.st.KioskByToken(ctx, secret2)
		if err != nil || ka2.Kiosk.ID != k2.ID {
			t.Fatal(err)
		}
		if s, err := f.st.Submit(ctx, ka2, "key-1", []byte("body 1"), in); err != nil || s.Replayed || s.ID == first.ID {
			t.Fatalf("other kiosk, same key: %+v, %v", s, err)
		}
		var stored models.Submission
		if err := db.First(&stored, "id = ?", first.ID).Error; err != nil {
			t.Fatal(err)
		}
		if stored.ReceiptHash == nil || stored.Day.String() != "2026-11-25" || *stored.KioskID != f.kiosk.ID {
			t.Fatalf("stored %+v", stored)
		}
		if n := count(t, db, &models.Submission{}); n != 2 {
			t.Fatalf("%d submissions, want 2", n)
		}
	})
}

// A retry of an accepted request stays accepted even when its categories
// were retired in between; a new request with them is refused.
func TestReplayIsAnsweredBeforeValidation(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		ctx := context.Background()
		in := store.SubmissionInput{Language: "en", Needs: []string{"food"}}
		first, err := submitAs(t, f.st, f.secret, "key-1", in)
		if err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := f.st.UpdateCategory(ctx, f.org.ID, category(t, f.st, f.org.ID, models.KindNeed, "food").ID, store.CategoryChange{Active: &off}); err != nil {
			t.Fatal(err)
		}
		again, err := submitAs(t, f.st, f.secret, "key-1", in)
		if err != nil || !again.Replayed || again.ID != first.ID {
			t.Fatalf("retry after the change: %+v, %v", again, err)
		}
		// Another body under the same key is a mismatch, not a validation error.
		ka, err := f.st.KioskByToken(ctx, f.secret)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.Submit(ctx, ka, "key-1", []byte("other"), in); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Fatalf("other body: %v", err)
		}
		_, err = submitAs(t, f.st, f.secret, "key-2", in)
		wantInvalid(t, err, "needs[0]")
		if n := count(t, db, &models.Submission{}); n != 1 {
			t.Fatalf("%d submissions, want 1", n)
		}
	})
}

func TestSubmissionTextAndAlertAreStoredTogether(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		plain, err := submitAs(t, f.st, f.secret, "plain", store.SubmissionInput{Language: "en", Needs: []string{"food"}, Text: "  "})
		if err != nil {
			t.Fatal(err)
		}
		urgent := store.SubmissionInput{Language: "es", Text: "hay una mala mezcla", MayQuote: true, Urgent: []string{"mala mezcla"}}
		withText, err := submitAs(t, f.st, f.secret, "text", urgent)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := submitAs(t, f.st, f.secret, "text", urgent); err != nil || !again.Replayed || again.ID != withText.ID {
			t.Fatalf("replay with text: %+v, %v", again, err)
		}
		var texts []models.FeedbackText
		if err := db.Find(&texts).Error; err != nil {
			t.Fatal(err)
		}
		if len(texts) != 1 || texts[0].SubmissionID != withText.ID || texts[0].Body != urgent.Text || !texts[0].MayQuote || texts[0].SubmissionID == plain.ID {
			t.Fatalf("texts %+v", texts)
		}
		var alerts []models.Alert
		if err := db.Find(&alerts).Error; err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 1 || *alerts[0].FeedbackTextID != texts[0].ID || !slices.Equal(alerts[0].Matched, urgent.Urgent) {
			t.Fatalf("alerts %+v", alerts)
		}
	})
}

// Kiosks retry on a flaky network while the first attempt is still in
// flight: every attempt gets the one submission's id.
func TestConcurrentRetriesStoreOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		for _, text := range []string{"", "with text"} {
			in := store.SubmissionInput{Language: "en", Needs: []string{"food"}, Text: text}
			const attempts = 8
			var (
				wg       sync.WaitGroup
				ids      = make([]string, attempts)
				replayed atomic.Int32
				failed   atomic.Int32
			)
			for i := range attempts {
				wg.Go(func() {
					s, err := submitAs(t, f.st, f.secret, "retry "+text, in)
					if err != nil {
						t.Error(err)
						failed.Add(1)
						return
					}
					ids[i] = s.ID
					if s.Replayed {
						replayed.Add(1)
					}
				})
			}
			wg.Wait()
			if failed.Load() > 0 {
				return
			}
			if ids[0] == "" || len(slices.Compact(slices.Clone(ids))) != 1 || replayed.Load() != attempts-1 {
				t.Fatalf("text %q: ids %v, %d replayed", text, ids, replayed.Load())
			}
		}
		if n := count(t, db, &models.Submission{}); n != 2 {
			t.Fatalf("%d submissions, want 2", n)
		}
	})
}

// A text-less submission from a kiosk whose organization's codes are in
// memory is two statements: the kiosk's authentication and the INSERT.
func TestSubmissionWithoutTextIsTwoStatements(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newKioskFixture(t, db)
		counter := testutil.NewStatements()
		counted := store.New(&database.DB{DB: db.Session(&gorm.Session{Logger: counter}), Dialect: db.Dialect, Source: db.Source})
		in := store.SubmissionInput{Language: "en", Needs: []string{"food"}}
		if _, err := submitAs(t, counted, f.secret, "warm", in); err != nil {
			t.Fatal(err)
		}
		counter.Reset()
		if _, err := submitAs(t, counted, f.secret, "counted", in); err != nil {
			t.Fatal(err)
		}
		if got := counter.All(); len(got) != 2 {
			t.Fatalf("%d statements, want 2:\n%s", len(got), strings.Join(got, "\n"))
		}
		// With free text: on PostgreSQL the text rides in the same
		// statement, without a transaction; SQLite runs two INSERTs in one.
		withText := store.SubmissionInput{Language: "en", Needs: []string{"food"}, Text: "The van should stay later on Fridays"}
		counter.Reset()
		got, err := submitAs(t, counted, f.secret, "with text", withText)
		if err != nil {
			t.Fatal(err)
		}
		want := 2 // the kiosk, the submission with its text
		if db.Dialect == database.SQLite {
			want = 3 // the kiosk, the submission, the text (in a transaction)
		}
		if all := counter.All(); len(all) != want {
			t.Fatalf("with text: %d statements, want %d:\n%s", len(all), want, strings.Join(all, "\n"))
		}
		var body string
		if err := db.Raw("SELECT body FROM feedback_texts WHERE submission_id = ?", got.ID).Row().Scan(&body); err != nil {
			t.Fatal(err)
		}
		if body != withText.Text {
			t.Fatalf("stored text %q", body)
		}
		// Sent again: replayed, and still one text.
		if again, err := submitAs(t, counted, f.secret, "with text", withText); err != nil || !again.Replayed || again.ID != got.ID {
			t.Fatalf("replay: %+v %v", again, err)
		}
		if n := count(t, db, &models.FeedbackText{}); n != 1 {
			t.Fatalf("%d texts after a replay, want 1", n)
		}
	})
}

func count(t *testing.T, db *database.DB, model any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
