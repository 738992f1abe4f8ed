package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// Ten tablets flush outboxes of 500 submissions each at the same moment
// (after an outage, or a van back in range), in batches of 100: every
// submission is stored once and answered 201, none refused, and a batch
// sent again is answered 200 with the same ids.
func TestTenTabletsFlushTheirOutboxesAtOnce(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Outbox Program")
		tokens := []string{o.KioskToken}
		for i := 1; i < 10; i++ {
			_, token, err := s.store.ProvisionKiosk(context.Background(), o.ID, o.Site.ID, fmt.Sprintf("Tablet %d", i))
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, token)
		}
		outbox := func(k, b int) map[string]any {
			items := make([]map[string]any, MaxBatch)
			for i := range items {
				sub := map[string]any{"language": "en", "needs": []string{"food"}}
				if i%5 == 0 {
					sub["text"] = fmt.Sprintf("more hours on Fridays (%d)", i)
				}
				items[i] = item(fmt.Sprintf("k%d-b%d-%d", k, b, i), sub)
			}
			return map[string]any{"items": items}
		}
		type answer struct {
			code    int
			results []BatchResult
		}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			answers = map[string]answer{}
		)
		send := func(k, b int, token string) {
			r := s.do("POST", "/api/v1/kiosk/submissions:batch", outbox(k, b), "Authorization", "Bearer "+token)
			var out struct{ Results []BatchResult }
			_ = json.Unmarshal(r.Body.Bytes(), &out)
			mu.Lock()
			defer mu.Unlock()
			answers[fmt.Sprint(k, "/", b)] = answer{r.Code, out.Results}
		}
		for k, token := range tokens {
			for b := range 5 {
				wg.Go(func() { send(k, b, token) })
			}
		}
		wg.Wait()
		ids := map[string]string{}
		statuses := map[int]int{}
		for batch, a := range answers {
			if a.code != http.StatusOK || len(a.results) != MaxBatch {
				t.Fatalf("batch %s answered %d with %d results", batch, a.code, len(a.results))
			}
			for _, r := range a.results {
				statuses[r.Status]++
				ids[r.IdempotencyKey] = r.ID
			}
		}
		if statuses[http.StatusCreated] != 5000 {
			t.Fatalf("answers %v, want 5000 × 201", statuses)
		}
		if n := countRows(t, db, &models.Submission{}); n != 5000 {
			t.Fatalf("%d submissions stored, want 5000", n)
		}
		if n := countRows(t, db, &models.FeedbackText{}); n != 1000 {
			t.Fatalf("%d texts stored, want 1000", n)
		}
		send(3, 2, tokens[3])
		for _, r := range answers["3/2"].results {
			if r.Status != http.StatusOK || r.ID != ids[r.IdempotencyKey] {
				t.Fatalf("a batch sent again: %+v, want 200 with id %s", r, ids[r.IdempotencyKey])
			}
		}
	})
}
