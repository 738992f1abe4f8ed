package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// BenchmarkKioskSubmission is the whole Go path of a kiosk submission
// (routing, authentication, decoding, validation, scrubbing, the group
// commit, the kiosk cache on PostgreSQL) from 8 concurrent kiosks, one in five with free text; with
// -cpuprofile it shows where a submission's CPU goes (docs/benchmarks.md).
// The clock moves a second per reading, so the per-kiosk limit never
// refuses.
func BenchmarkKioskSubmission(b *testing.B) {
	for _, dialect := range testutil.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			db := testutil.NewDB(b, dialect)
			var tick atomic.Int64
			start := time.Now()
			now := func() time.Time { return start.Add(time.Duration(tick.Add(1)) * time.Second) }
			d := Deps{Config: &config.Config{BaseURL: "http://chorus.test"}, DB: db, Log: testutil.Logger(),
				Metrics: metrics.New(), Frontend: builtFrontend, Now: now}
			withKioskCache(b, db)(&d) // as chorus serve on PostgreSQL
			engine, err := New(d)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			st := store.New(db)
			o, err := st.CreateOrganization(ctx, "Bench")
			if err != nil {
				b.Fatal(err)
			}
			site, err := st.CreateSite(ctx, o.ID, store.SiteInput{Name: "Storefront", Kind: "fixed", Setting: "urban", TimeZone: "America/New_York"})
			if err != nil {
				b.Fatal(err)
			}
			_, token, err := st.ProvisionKiosk(ctx, o.ID, site.ID, "Front desk")
			if err != nil {
				b.Fatal(err)
			}
			plain := []byte(`{"language":"es","needs":["naloxone","housing","food"],"priorities":["housing","naloxone"],"strengths":["naloxone_carry"],"about":{"age_band":"35_44"}}`)
			text := []byte(`{"language":"en","needs":["food"],"text":"The van should come on Fridays too, and stay later in the evening.","may_quote":true}`)
			var n atomic.Int64
			b.SetParallelism(4)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					body := plain
					if i%5 == 0 {
						body = text
					}
					req := httptest.NewRequest(http.MethodPost, "/api/v1/kiosk/submissions", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set(IdempotencyHeader, fmt.Sprint("bench-", i))
					w := httptest.NewRecorder()
					engine.ServeHTTP(w, req)
					if w.Code != http.StatusCreated {
						b.Errorf("%d %s", w.Code, w.Body.String())
						return
					}
				}
			})
		})
	}
}
