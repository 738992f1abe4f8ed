package deliver_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// clockTime is a time of day other than midnight, as a database or JSON
// writes one ("20:00", "T20:00:00").
var clockTime = regexp.MustCompile(`\d\d:\d\d`)

// An urgent alert goes out within seconds of the submission, so a delivery
// row that kept when it was made or sent would say when someone used the
// kiosk. Its rows hold no time finer than the day — waiting for SMTP, sent
// or after a retry — except the next attempt of one that waits to be
// retried, which the outbox needs; and nothing in them leads back to the
// submission.
func TestUrgentDeliveriesKeepOnlyTheDay(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		mb, smtpURL := startSMTP(t)
		rcv := &receiver{fail: 1}
		hook := f.webhook(t, rcv, "/hook")
		f.rule(t, store.RuleInput{Name: "Urgent words", Event: models.EventUrgent, UserIDs: []string{f.staff.ID},
			Emails: []string{"oncall@partner.test"}, WebhookIDs: []string{hook.ID}})
		f.clock.Advance(17*time.Minute + 23*time.Second)
		sub := f.submit(t, store.SubmissionInput{Needs: []string{"housing"}, Text: "overdose by the bridge", Urgent: []string{"overdose"}})
		var alert models.Alert
		if err := db.First(&alert).Error; err != nil || alert.FeedbackTextID == nil {
			t.Fatalf("alert %+v: %v", alert, err)
		}
		links := []string{sub.ID, *alert.FeedbackTextID, alert.ID}

		// No SMTP yet: the e-mails wait, the webhook fails once.
		if err := f.worker(f.st, nil).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		checkRows(t, db, links, "waiting")
		f.clock.Advance(2 * time.Minute)
		if err := f.worker(f.st, mustSMTP(t, smtpURL)).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if mb.count() != 2 || len(rcv.received()) != 1 {
			t.Fatalf("%d e-mails and %d webhooks sent, want 2 and 1", mb.count(), len(rcv.received()))
		}
		checkRows(t, db, links, "sent")
		for _, d := range f.deliveries(t) {
			if d.State != models.DeliverySent {
				t.Errorf("delivery %s is %s, want sent", d.Channel, d.State)
			}
		}
	})
}

// checkRows reads every value of every delivery as the database holds it.
func checkRows(t *testing.T, db *database.DB, links []string, when string) {
	t.Helper()
	rows, err := db.Raw("SELECT * FROM deliveries").Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string]any{}
		for i, v := range vals {
			row[cols[i]] = v
		}
		retrying := text(row["state"]) == models.DeliveryPending && text(row["attempts"]) != "0"
		for i, v := range vals {
			if retrying && cols[i] == "next_attempt_at" {
				continue
			}
			if v, ok := v.(time.Time); ok {
				if u := v.UTC(); u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
					t.Errorf("%s: deliveries.%s holds %s, a time finer than the day", when, cols[i], v)
				}
				continue
			}
			s := text(v)
			if m := clockTime.FindString(s); m != "" && strings.Trim(m, "0:") != "" {
				t.Errorf("%s: deliveries.%s holds a time of day: %q", when, cols[i], s)
			}
			for _, id := range links {
				if strings.Contains(s, id) {
					t.Errorf("%s: deliveries.%s holds %s of the submission, its text or its alert", when, cols[i], id)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%s: %d deliveries, want 3", when, n)
	}
}

func text(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}
