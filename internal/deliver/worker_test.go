package deliver_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/deliver"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func mustSMTP(t *testing.T, url string) *deliver.SMTP {
	t.Helper()
	m, err := deliver.NewSMTP(url, "chorus@harbor.test")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) webhook(t *testing.T, r *receiver, path string) models.Webhook {
	t.Helper()
	srv := startReceiver(t, r)
	hook, secret, err := f.st.CreateWebhook(context.Background(), f.org.ID, f.admin, "On call "+path, srv.URL+path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, store.WebhookSecretPrefix) || len(secret) < 40 {
		t.Fatalf("secret %q is too weak", secret)
	}
	r.mu.Lock()
	r.secret, r.now = secret, f.clock.Now
	r.mu.Unlock()
	return hook
}

func (f *fixture) rule(t *testing.T, in store.RuleInput) models.RoutingRule {
	t.Helper()
	in.Active = true
	r, err := f.st.CreateRule(context.Background(), f.org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// An urgent word in a kiosk submission reaches a staff user's e-mail in
// their language, a plain address in the rule's language, and a webhook
// with a valid signature — carrying the site, the day and the matched
// words, never the participant's text.
func TestUrgentAlertIsDelivered(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		mb, smtpURL := startSMTP(t)
		rcv := &receiver{}
		hook := f.webhook(t, rcv, "/hooks/token-in-the-path")
		f.rule(t, store.RuleInput{Name: "Urgent words", Event: models.EventUrgent, UserIDs: []string{f.staff.ID},
			Emails: []string{"oncall@partner.test"}, WebhookIDs: []string{hook.ID}})
		f.submit(t, store.SubmissionInput{Needs: []string{"housing"}, Text: "My friend had an overdose near the bridge", Urgent: []string{"overdose"}})

		w := f.worker(f.st, mustSMTP(t, smtpURL))
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		staff := mb.to(t, f.staff.Email)
		if len(staff) != 1 {
			t.Fatalf("staff got %d e-mails, want 1", len(staff))
		}
		if staff[0].language != "es" || !strings.Contains(staff[0].subject, "Urgente") || !strings.Contains(staff[0].text, "overdose") {
			t.Errorf("staff e-mail not in Spanish or without the words: %+v", staff[0])
		}
		plain := mb.to(t, "oncall@partner.test")
		if len(plain) != 1 || plain[0].language != "en" || !strings.Contains(plain[0].html, "Storefront") {
			t.Fatalf("address e-mail: %+v", plain)
		}
		got := rcv.received()
		if len(got) != 1 || got[0]["event"] != "urgent" || got[0]["site"] != "Storefront" || got[0]["day"] != "2026-11-25" {
			t.Fatalf("webhook got %v", got)
		}
		for _, m := range append(staff, plain...) {
			if strings.Contains(m.text+m.html, "bridge") {
				t.Errorf("the participant's text left Chorus: %s", m.text)
			}
		}
		body, _ := json.Marshal(got[0])
		if strings.Contains(string(body), "bridge") || strings.Contains(string(body), "T20:") {
			t.Errorf("webhook carries text or a time: %s", body)
		}
		for _, d := range f.deliveries(t) {
			if d.State != models.DeliverySent || d.Kind != models.DeliveryUrgent {
				t.Errorf("delivery %s %s to %s is %s (%s)", d.Kind, d.Channel, d.Target, d.State, d.LastError)
			}
		}
		// Routed once: a second pass, or a second process, sends nothing new.
		if err := f.worker(f.other(t), mustSMTP(t, smtpURL)).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if mb.count() != 2 || len(rcv.received()) != 1 {
			t.Errorf("after more passes: %d e-mails, %d webhooks; want 2 and 1", mb.count(), len(rcv.received()))
		}
	})
}

// Rules filter by site and need: an alert from another site, or from
// someone who chose other needs, is not sent.
func TestUrgentRulesFilter(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		other, err := f.st.CreateSite(ctx, f.org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/New_York"})
		if err != nil {
			t.Fatal(err)
		}
		f.rule(t, store.RuleInput{Name: "Van only", Event: models.EventUrgent, SiteIDs: []string{other.ID}, Emails: []string{"van@partner.test"}})
		f.rule(t, store.RuleInput{Name: "Housing", Event: models.EventUrgent, NeedCodes: []string{"housing"}, Emails: []string{"housing@partner.test"}})
		f.submit(t, store.SubmissionInput{Needs: []string{"food"}, Text: "overdose", Urgent: []string{"overdose"}})
		f.submit(t, store.SubmissionInput{Needs: []string{"housing"}, Text: "overdose", Urgent: []string{"overdose"}})
		if err := f.worker(f.st, nil).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		var targets []string
		for _, d := range f.deliveries(t) {
			targets = append(targets, d.Target)
		}
		if len(targets) != 1 || targets[0] != "housing@partner.test" {
			t.Fatalf("deliveries to %v, want one to housing@partner.test", targets)
		}
	})
}

// Without SMTP, e-mail waits in the outbox, and the log says why.
func TestEmailWaitsWithoutSMTP(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.rule(t, store.RuleInput{Name: "Urgent", Event: models.EventUrgent, Emails: []string{"oncall@partner.test"}})
		f.submit(t, store.SubmissionInput{Text: "overdose", Urgent: []string{"overdose"}})
		if err := f.worker(f.st, nil).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		ds := f.deliveries(t)
		if len(ds) != 1 || ds[0].State != models.DeliveryPending || !strings.Contains(ds[0].LastError, "CHORUS_SMTP_URL") || ds[0].Attempts != 0 {
			t.Fatalf("want one waiting e-mail saying why, got %+v", ds)
		}
		// Once SMTP is set up, the next process sends it.
		mb, smtpURL := startSMTP(t)
		if err := f.worker(f.other(t), mustSMTP(t, smtpURL)).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if len(mb.to(t, "oncall@partner.test")) != 1 {
			t.Fatal("the waiting e-mail was not sent once SMTP was set up")
		}
	})
}

// A delivery that fails is retried with back-off by whichever worker runs
// next — here a new one, as after a restart — and its error in the log
// names neither the webhook's address nor its secret.
func TestRetrySurvivesRestart(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rcv := &receiver{fail: 1}
		hook := f.webhook(t, rcv, "/hooks/secret-token-xyz")
		f.rule(t, store.RuleInput{Name: "Urgent", Event: models.EventUrgent, WebhookIDs: []string{hook.ID}})
		f.submit(t, store.SubmissionInput{Text: "overdose", Urgent: []string{"overdose"}})

		if err := f.worker(f.st, nil).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		ds := f.deliveries(t)
		if len(ds) != 1 || ds[0].State != models.DeliveryPending || ds[0].Attempts != 1 || !strings.Contains(ds[0].LastError, "500") {
			t.Fatalf("after a failure: %+v", ds)
		}
		if strings.Contains(ds[0].LastError, "secret-token-xyz") || strings.Contains(ds[0].LastError, "127.0.0.1") {
			t.Errorf("the error leaks the address: %q", ds[0].LastError)
		}
		// Not yet due: a new worker leaves it alone.
		restarted := f.worker(f.other(t), nil)
		if err := restarted.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if len(rcv.received()) != 0 {
			t.Fatal("retried before its back-off ended")
		}
		f.clock.Advance(2 * time.Minute)
		if err := restarted.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		ds = f.deliveries(t)
		if len(rcv.received()) != 1 || ds[0].State != models.DeliverySent || ds[0].Attempts != 2 || ds[0].LastError != "" {
			t.Fatalf("after the restart: %d received, %+v", len(rcv.received()), ds[0])
		}
	})
}

// After MaxAttempts failures a delivery is given up: dead, and never tried
// again.
func TestGivesUpAfterMaxAttempts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rcv := &receiver{fail: 100}
		hook := f.webhook(t, rcv, "/hook")
		f.rule(t, store.RuleInput{Name: "Urgent", Event: models.EventUrgent, WebhookIDs: []string{hook.ID}})
		f.submit(t, store.SubmissionInput{Text: "overdose", Urgent: []string{"overdose"}})
		w := f.worker(f.st, nil)
		w.MaxAttempts = 3
		for range 5 {
			if err := w.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(time.Hour)
		}
		ds := f.deliveries(t)
		if ds[0].State != models.DeliveryDead || ds[0].Attempts != 3 {
			t.Fatalf("want dead after 3 attempts, got %s after %d", ds[0].State, ds[0].Attempts)
		}
		if rcv.fail != 97 {
			t.Errorf("receiver saw %d requests, want 3", 100-rcv.fail)
		}
	})
}

// Several workers on one outbox send each delivery once (PostgreSQL: FOR
// UPDATE SKIP LOCKED; SQLite: one writer at a time).
func TestWorkersShareTheOutbox(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rcv := &receiver{}
		hook := f.webhook(t, rcv, "/hook")
		f.rule(t, store.RuleInput{Name: "Urgent", Event: models.EventUrgent, WebhookIDs: []string{hook.ID}})
		for range 30 {
			f.submit(t, store.SubmissionInput{Text: "overdose", Urgent: []string{"overdose"}})
		}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			w := f.worker(f.other(t), nil)
			wg.Go(func() { errs <- w.Tick(ctx) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]int{}
		rcv.mu.Lock()
		for _, id := range rcv.ids {
			seen[id]++
		}
		rcv.mu.Unlock()
		if len(seen) != 30 {
			t.Fatalf("%d distinct deliveries received, want 30", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("delivery %s received %d times", id, n)
			}
		}
	})
}

func TestSignAndVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"event":"urgent"}`)
	sig := deliver.Sign("whsec_k", now.Unix(), body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Fatalf("signature %q", sig)
	}
	ts := "1800000000"
	for _, c := range []struct {
		name, secret, ts, sig string
		body                  []byte
		at                    time.Time
		ok                    bool
	}{
		{"valid", "whsec_k", ts, sig, body, now, true},
		{"within the window", "whsec_k", ts, sig, body, now.Add(4 * time.Minute), true},
		{"replayed later", "whsec_k", ts, sig, body, now.Add(6 * time.Minute), false},
		{"other secret", "whsec_x", ts, sig, body, now, false},
		{"changed body", "whsec_k", ts, sig, []byte(`{"event":"digest"}`), now, false},
		{"changed timestamp", "whsec_k", "1800000001", sig, body, now, false},
	} {
		err := deliver.Verify(c.secret, c.ts, c.sig, c.body, c.at, 5*time.Minute)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
