package migrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/migrations"
	"github.com/chorus-hr/chorus/models"
)

// Migration 11 keeps only the day of the deliveries already stored: their
// creation and sending times go, a finished or never-tried delivery's next
// attempt becomes models.Unscheduled, and one waiting for a retry keeps it.
func TestDeliveriesKeepOnlyTheirDay(t *testing.T) {
	for _, d := range testutil.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testutil.OpenEmpty(t, d)
			if err := migrations.UpTo(ctx, db, 10); err != nil {
				t.Fatal(err)
			}
			made := time.Date(2026, 11, 25, 20, 17, 23, 456789000, time.UTC)
			retry := made.Add(40 * time.Minute)
			if err := db.Exec("INSERT INTO organizations (id, name, slug) VALUES (?, 'Old Program', 'old')", models.NewID()).Error; err != nil {
				t.Fatal(err)
			}
			var org string
			if err := db.Raw("SELECT id FROM organizations").Scan(&org).Error; err != nil {
				t.Fatal(err)
			}
			for _, row := range []struct {
				state    string
				attempts int
				next     time.Time
				sent     *time.Time
			}{
				{models.DeliverySent, 1, made.Add(2 * time.Minute), &made},
				{models.DeliveryPending, 0, made, nil},
				{models.DeliveryPending, 2, retry, nil},
				{models.DeliveryDead, 9, made.Add(2 * time.Hour), nil},
			} {
				err := db.Exec(`INSERT INTO deliveries (id, organization_id, kind, channel, target, payload, state, attempts, next_attempt_at, created_at, sent_at)
					VALUES (?, ?, 'urgent', 'webhook', ?, '{}', ?, ?, ?, ?, ?)`,
					models.NewID(), org, models.NewID(), row.state, row.attempts, row.next, made, row.sent).Error
				if err != nil {
					t.Fatal(err)
				}
			}
			if _, err := migrations.Up(ctx, db); err != nil {
				t.Fatal(err)
			}
			ds, err := store.New(db).Deliveries(ctx, org, store.DeliveryFilter{})
			if err != nil || len(ds) != 4 {
				t.Fatalf("%d deliveries after migrating: %v", len(ds), err)
			}
			for _, dl := range ds {
				want := models.Unscheduled
				if dl.State == models.DeliveryPending && dl.Attempts > 0 {
					want = retry
				}
				if dl.Day.String() != "2026-11-25" || !dl.NextAttemptAt.Equal(want) {
					t.Errorf("%s after %d attempts: day %s, next attempt %s; want 2026-11-25 and %s", dl.State, dl.Attempts, dl.Day, dl.NextAttemptAt, want)
				}
			}
		})
	}
}
