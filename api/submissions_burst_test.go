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
		// A 503 says "not now, send it again" (the database took longer
		// than CHORUS_DB_TIMEOUT, on a loaded machine): a tablet sends those
		// items again, as this does, and each must then be stored once.
		// Nothing is ever refused for good, and nothing is throttled.
		for round := 0; statuses[http.StatusServiceUnavailable] > 0; round++ {
			if round == 5 {
				t.Fatalf("still unavailable after 5 rounds: %v", statuses)
			}
			t.Logf("round %d: %d items answered 503, sent again", round, statuses[http.StatusServiceUnavailable])
			for batch, a := range answers {
				for i, r := range a.results {
					if r.Status != http.StatusServiceUnavailable {
						continue
					}
					var k, b int
					fmt.Sscanf(batch, "%d/%d", &k, &b)
					one := outbox(k, b)["items"].([]map[string]any)[i]
					resp := s.do("POST", "/api/v1/kiosk/submissions:batch", map[string]any{"items": []map[string]any{one}}, "Authorization", "Bearer "+tokens[k])
					var out struct{ Results []BatchResult }
					_ = json.Unmarshal(resp.Body.Bytes(), &out)
					if resp.Code != http.StatusOK || len(out.Results) != 1 {
						t.Fatalf("item %s sent again: %d %s", r.IdempotencyKey, resp.Code, resp.Body)
					}
					statuses[http.StatusServiceUnavailable]--
					got := out.Results[0]
					if got.Status == http.StatusOK { // it was stored after all: a replay
						got.Status = http.StatusCreated
					}
					statuses[got.Status]++
					a.results[i] = got
					ids[got.IdempotencyKey] = got.ID
				}
			}
		}
		if statuses[http.StatusCreated] != 5000 || statuses[http.StatusTooManyRequests] > 0 {
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
