package deliver_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/deliver"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func ptr[T any](v T) *T { return &v }

func TestLastPeriod(t *testing.T) {
	ny := "America/New_York"
	rule := func(schedule string, weekday *int) models.RoutingRule {
		return models.RoutingRule{Schedule: &schedule, Weekday: weekday, TimeZone: ny}
	}
	for _, c := range []struct {
		name     string
		rule     models.RoutingRule
		now      time.Time
		from, to string
		ended    time.Time
	}{
		{"daily: yesterday in New York", rule("daily", nil), time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC),
			"2026-12-05", "2026-12-05", time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)},
		{"weekly on Monday, on that Monday", rule("weekly", ptr(1)), time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC),
			"2026-11-30", "2026-12-06", time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)},
		{"weekly on Monday, on Wednesday", rule("weekly", ptr(1)), time.Date(2026, 12, 9, 18, 0, 0, 0, time.UTC),
			"2026-11-30", "2026-12-06", time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)},
	} {
		p, ended := deliver.LastPeriod(c.rule, c.now)
		if p.From.String() != c.from || p.To.String() != c.to || !ended.Equal(c.ended) {
			t.Errorf("%s: %s..%s ended %s, want %s..%s ended %s", c.name, p.From, p.To, ended, c.from, c.to, c.ended)
		}
	}
}

// digestWeek fills the week of Monday 30 November to Sunday 6 December
// 2026 and the week before, and returns a weekly rule (made before either)
// to the staff user, a plain address and a webhook.
func digestWeek(t *testing.T, f *fixture, hook models.Webhook) models.RoutingRule {
	t.Helper()
	ctx := context.Background()
	rule := f.rule(t, store.RuleInput{Name: "Weekly", Event: models.EventDigest, Schedule: ptr(models.ScheduleWeekly), Weekday: ptr(1),
		UserIDs: []string{f.staff.ID}, Emails: []string{"board@partner.test"}, WebhookIDs: []string{hook.ID}})
	// The week before, in November: 4 people chose food and 20 housing.
	for range 4 {
		f.submit(t, store.SubmissionInput{Needs: []string{"food"}})
	}
	for range 20 {
		f.submit(t, store.SubmissionInput{Needs: []string{"housing"}})
	}
	f.clock.Advance(6 * 24 * time.Hour) // Tuesday 1 December
	for range 12 {
		f.submit(t, store.SubmissionInput{Needs: []string{"housing"}, Strengths: []string{"naloxone_carry"}})
	}
	for range 3 {
		f.submit(t, store.SubmissionInput{Needs: []string{"food"}})
	}
	f.submit(t, store.SubmissionInput{Text: "The van hours help me a lot", MayQuote: true})
	f.submit(t, store.SubmissionInput{Text: "Not for quoting please", MayQuote: false})
	f.submit(t, store.SubmissionInput{Text: "Still waiting for a moderator", MayQuote: true})
	texts, err := f.st.FeedbackTexts(ctx, f.org.ID, models.TextPending, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range texts {
		if tx.Body != "Still waiting for a moderator" {
			if _, err := f.st.Moderate(ctx, f.org.ID, tx.ID, f.staff, store.DecisionApprove, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.clock.t = time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC) // Monday, 1 a.m. in New York
	return rule
}

// A weekly digest goes to each recipient once, with exact counts only for
// the staff user; the address and the webhook get counts below min_cell
// hidden, and only approved text the participant let Chorus quote.
func TestWeeklyDigest(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		mb, smtpURL := startSMTP(t)
		rcv := &receiver{}
		hook := f.webhook(t, rcv, "/hook")
		digestWeek(t, f, hook)

		w := f.worker(f.st, mustSMTP(t, smtpURL))
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		staff := mb.to(t, f.staff.Email)
		if len(staff) != 1 {
			t.Fatalf("staff got %d digests", len(staff))
		}
		s := staff[0]
		if s.language != "es" || !strings.Contains(s.subject, "Resumen semanal") || !strings.Contains(s.subject, "2026-11-30") {
			t.Errorf("staff digest subject %q (%s)", s.subject, s.language)
		}
		for _, want := range []string{"Comida: 3 (antes: 4, −1)", "Vivienda y refugio: 12 (antes: 20, −8)", "Comentarios nuevos: 18 (antes: 24, −6)", "The van hours help me a lot"} {
			if !strings.Contains(s.text, want) {
				t.Errorf("staff digest lacks %q:\n%s", want, s.text)
			}
		}
		plain := mb.to(t, "board@partner.test")
		if len(plain) != 1 {
			t.Fatalf("address got %d digests", len(plain))
		}
		p := plain[0]
		// Anyone but staff gets what the reports publish for the newest
		// whole month (November: 20 housing, 4 food, 24 people; October
		// had nobody), never the week's own counts.
		for _, want := range []string{"Food: not shown (before: not shown)", "Housing and shelter: 20 (before: not shown)", "New feedback: 24 (before: not shown)",
			"counts from 1 to 10 are not shown", "Counts are for whole months, as in the program's reports: 2026-11-01 to 2026-11-30, compared with 2026-10-01 to 2026-10-31."} {
			if !strings.Contains(p.text, want) {
				t.Errorf("address digest lacks %q:\n%s", want, p.text)
			}
		}
		for _, m := range append(staff, plain...) {
			all := m.text + m.html
			if strings.Contains(all, "Not for quoting") || strings.Contains(all, "Still waiting") {
				t.Errorf("text that may not be quoted was sent:\n%s", m.text)
			}
		}
		if strings.Contains(p.text, ": 3") || strings.Contains(p.text, ": 4 ") || strings.Contains(p.text, ": 12") || strings.Contains(p.text, ": 18") || strings.Contains(p.html, ": 3") {
			t.Errorf("a count below min_cell reached a plain address:\n%s", p.text)
		}
		if !strings.Contains(p.html, "<q>The van hours help me a lot</q>") {
			t.Errorf("HTML lacks the quote:\n%s", p.html)
		}

		got := rcv.received()
		if len(got) != 1 {
			t.Fatalf("webhook got %d digests", len(got))
		}
		body, _ := json.Marshal(got[0])
		var v struct {
			Exact       bool `json:"exact"`
			Submissions struct {
				Count, Previous, Change *int
			} `json:"submissions"`
			Needs []struct {
				Code     string
				Count    *int
				Previous *int
			} `json:"top_needs"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if v.Exact || v.Submissions.Count == nil || *v.Submissions.Count != 24 || v.Submissions.Previous != nil || v.Submissions.Change != nil {
			t.Errorf("webhook submissions %s", body)
		}
		for _, n := range v.Needs {
			if n.Code == "food" && (n.Count != nil || n.Previous != nil) {
				t.Errorf("webhook shows food counts below min_cell: %s", body)
			}
		}

		// The staff user's in-app inbox has it too.
		inbox, err := f.st.Inbox(ctx, f.org.ID, f.staff.ID, 10)
		if err != nil || len(inbox) != 1 || !strings.Contains(inbox[0].Payload, `"exact":true`) {
			t.Fatalf("inbox %v %v", inbox, err)
		}

		// Never twice: again, from a second process, an hour later.
		f.clock.Advance(time.Hour)
		if err := f.worker(f.other(t), mustSMTP(t, smtpURL)).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(f.deliveries(t)); n != 4 || mb.count() != 2 || len(rcv.received()) != 1 {
			t.Errorf("after more passes: %d deliveries, %d e-mails, %d webhooks; want 4, 2, 1", n, mb.count(), len(rcv.received()))
		}
	})
}

// Two processes scheduling at the same moment make one digest.
func TestDigestOnceAcrossProcesses(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rule := f.rule(t, store.RuleInput{Name: "Daily", Event: models.EventDigest, Schedule: ptr(models.ScheduleDaily), Emails: []string{"a@partner.test"}})
		f.clock.Advance(24 * time.Hour)
		errs := make(chan error, 3)
		for range 3 {
			w := f.worker(f.other(t), nil)
			go func() { errs <- w.ScheduleDigests(ctx) }()
		}
		for range 3 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		ds := f.deliveries(t)
		if len(ds) != 1 || ds[0].Kind != models.DeliveryDigest || *ds[0].RuleID != rule.ID {
			t.Fatalf("want one digest, got %+v", ds)
		}
	})
}

// A test sends the rule's last period now, marked as a test, without
// using up the scheduled digest.
func TestSendTest(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		mb, smtpURL := startSMTP(t)
		rule := f.rule(t, store.RuleInput{Name: "Weekly", Event: models.EventDigest, Schedule: ptr(models.ScheduleWeekly), Weekday: ptr(3),
			Emails: []string{"a@partner.test"}, UserIDs: []string{f.admin.ID}})
		w := f.worker(f.st, mustSMTP(t, smtpURL))
		if err := w.SendTest(ctx, rule); err != nil {
			t.Fatal(err)
		}
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		got := mb.to(t, "a@partner.test")
		if len(got) != 1 || !strings.HasPrefix(got[0].subject, "[Test] Chorus weekly summary") || !strings.Contains(got[0].text, "This is a test") {
			t.Fatalf("test digest: %+v", got)
		}
		if len(mb.to(t, f.admin.Email)) != 1 {
			t.Fatal("the admin got no test")
		}
		// The rule was made today (a Wednesday, its weekday): no scheduled
		// digest for a period that ended before it existed.
		for _, d := range f.deliveries(t) {
			if d.Kind != models.DeliveryTest {
				t.Errorf("unexpected %s delivery", d.Kind)
			}
		}
	})
}
