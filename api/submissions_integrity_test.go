package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// growingText is 994 characters that the scrubber turns into 1,278: 142
// e-mail addresses of 6 characters each become "[removed]". It used to hit
// the 1,000-character storage check, answer 500 and, inside a batch, stop a
// tablet's uploads for good.
var growingText = strings.Repeat("a@b.co ", 142)

func batch(s *testServer, token string, items ...map[string]any) []BatchResult {
	s.t.Helper()
	r := s.do("POST", "/api/v1/kiosk/submissions:batch", map[string]any{"items": items}, "Authorization", "Bearer "+token)
	wantStatus(s.t, r, http.StatusOK)
	var out struct{ Results []BatchResult }
	if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil {
		s.t.Fatal(err)
	}
	return out.Results
}

func item(key string, submission map[string]any) map[string]any {
	return map[string]any{"idempotency_key": key, "submission": submission}
}

func TestScrubbingNeverTurnsAllowedTextIntoAnError(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Growing Text Program")
		if n := utf8.RuneCountInString(growingText); n > privacy.MaxText {
			t.Fatalf("the test's text is %d characters, more than a participant may send", n)
		}
		r := submit(s, o.KioskToken, "alone", map[string]any{"language": "en", "text": growingText})
		wantStatus(t, r, http.StatusCreated)

		// In a batch, between two others.
		results := batch(s, o.KioskToken,
			item("before", map[string]any{"language": "en", "needs": []string{"food"}}),
			item("grows", map[string]any{"language": "es", "text": growingText}),
			item("after", map[string]any{"language": "en", "needs": []string{"jobs"}}),
		)
		for _, res := range results {
			if res.Status != http.StatusCreated {
				t.Fatalf("item %s answered %d %+v", res.IdempotencyKey, res.Status, res.Error)
			}
		}
		var bodies []string
		if err := db.Model(&models.FeedbackText{}).Pluck("body", &bodies).Error; err != nil {
			t.Fatal(err)
		}
		if len(bodies) != 2 {
			t.Fatalf("%d texts stored, want 2", len(bodies))
		}
		for _, b := range bodies {
			if strings.Contains(b, "@") || utf8.RuneCountInString(b) <= privacy.MaxText {
				t.Errorf("stored %d characters with @: %v; want the scrubbed, longer text", utf8.RuneCountInString(b), strings.Contains(b, "@"))
			}
		}
	})
}

// An item the server fails to store answers with its own 5xx; the items
// around it are still stored, so one bad item never holds back an outbox.
func TestBatchAnswersEveryItemWhenOneFailsOnOurSide(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Poison Program")
		failOnText(t, db, "poison")
		results := batch(s, o.KioskToken,
			item("one", map[string]any{"language": "en", "needs": []string{"food"}}),
			item("bad", map[string]any{"language": "en", "text": "poison"}),
			item("two", map[string]any{"language": "en", "needs": []string{"jobs"}, "text": "more sterile supplies"}),
		)
		got := map[string]int{}
		for _, res := range results {
			got[res.IdempotencyKey] = res.Status
		}
		if got["one"] != 201 || got["two"] != 201 || got["bad"] < 500 {
			t.Fatalf("statuses %v, want one and two 201, bad 5xx", got)
		}
		if n := countRows(t, db, &models.Submission{}); n != 2 {
			t.Fatalf("%d submissions stored, want 2 (the failed one left nothing half-written)", n)
		}
	})
}

// failOnText makes the database refuse any feedback text holding word, as
// an unforeseen storage failure would.
func failOnText(t *testing.T, db *database.DB, word string) {
	t.Helper()
	var stmts []string
	if db.Dialect == database.Postgres {
		stmts = []string{
			`CREATE FUNCTION chorus_test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql`,
			fmt.Sprintf(`CREATE TRIGGER chorus_test_refuse BEFORE INSERT ON feedback_texts FOR EACH ROW WHEN (NEW.body LIKE '%%%s%%') EXECUTE FUNCTION chorus_test_refuse()`, word),
		}
	} else {
		stmts = []string{fmt.Sprintf(`CREATE TRIGGER chorus_test_refuse BEFORE INSERT ON feedback_texts WHEN NEW.body LIKE '%%%s%%' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`, word)}
	}
	for _, q := range stmts {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// Ten kiosks behind one address (a van's or a clinic's shared link), each
// sending 25 submissions at once, are each within their own allowance: none
// may be refused because of the others.
func TestKiosksBehindOneAddressDoNotThrottleEachOther(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Shared Address Program")
		tokens := []string{o.KioskToken}
		for i := 1; i < 10; i++ {
			_, token, err := s.store.ProvisionKiosk(context.Background(), o.ID, o.Site.ID, fmt.Sprintf("Tablet %d", i))
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, token)
		}
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			statuses = map[int]int{}
		)
		for k, token := range tokens {
			for i := range 25 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// httptest gives every request the same client address.
					r := submit(s, token, fmt.Sprintf("k%d-%d", k, i), map[string]any{"language": "en", "needs": []string{"food"}})
					mu.Lock()
					statuses[r.Code]++
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		if statuses[http.StatusCreated] != 250 {
			t.Fatalf("answers %v, want 250 × 201", statuses)
		}
		// The kiosk's own allowance still holds: one device cannot flood.
		var refused int
		for i := range 40 {
			if submit(s, o.KioskToken, fmt.Sprintf("flood-%d", i), map[string]any{"language": "en"}).Code == http.StatusTooManyRequests {
				refused++
			}
		}
		if refused == 0 {
			t.Fatal("one kiosk sent 65 submissions at once and none was refused")
		}
	})
}
