package store_test

import (
	"context"
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func TestRoutingRulesAreChecked(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newKioskFixture(t, db)
		st := f.st
		other, err := st.CreateOrganization(ctx, "Other Program")
		if err != nil {
			t.Fatal(err)
		}
		otherSite, err := st.CreateSite(ctx, other.ID, store.SiteInput{Name: "Elsewhere", Kind: "fixed", Setting: "urban", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		admin, _, err := st.CreateMember(ctx, f.org.ID, "admin@kiosk.test", models.RoleAdmin, "correct horse battery staple", false)
		if err != nil {
			t.Fatal(err)
		}
		policy, _, err := st.CreateMember(ctx, f.org.ID, "policy@kiosk.test", models.RolePolicymaker, "correct horse battery staple", false)
		if err != nil {
			t.Fatal(err)
		}
		foreignHook, _, err := st.CreateWebhook(ctx, other.ID, admin.User, "Theirs", "https://example.org/hook")
		if err != nil {
			t.Fatal(err)
		}
		weekly, daily, bad := "weekly", "daily", "monthly"
		day := 1
		base := func() store.RuleInput {
			return store.RuleInput{Name: "Rule", Event: models.EventUrgent, Emails: []string{"a@example.org"}, Active: true}
		}
		for _, c := range []struct {
			field string
			edit  func(*store.RuleInput)
		}{
			{"name", func(in *store.RuleInput) { in.Name = " " }},
			{"event", func(in *store.RuleInput) { in.Event = "sometimes" }},
			{"schedule", func(in *store.RuleInput) { in.Event, in.Schedule = models.EventDigest, &bad }},
			{"weekday", func(in *store.RuleInput) { in.Event, in.Schedule = models.EventDigest, &weekly }},
			{"language", func(in *store.RuleInput) { in.Language = "fr" }},
			{"site_ids[0]", func(in *store.RuleInput) { in.SiteIDs = []string{otherSite.ID} }},
			{"need_codes[0]", func(in *store.RuleInput) { in.NeedCodes = []string{"naloxone_carry"} }},
			{"recipients", func(in *store.RuleInput) { in.Emails = nil }},
			{"emails[0]", func(in *store.RuleInput) { in.Emails = []string{"not an address"} }},
			{"user_ids[0]", func(in *store.RuleInput) { in.UserIDs = []string{policy.ID} }},
			{"webhook_ids[0]", func(in *store.RuleInput) { in.WebhookIDs = []string{foreignHook.ID} }},
			{"time_zone", func(in *store.RuleInput) { in.TimeZone = "Mars/Olympus" }},
		} {
			in := base()
			c.edit(&in)
			_, err := st.CreateRule(ctx, f.org.ID, in)
			wantInvalid(t, err, c.field)
		}
		in := base()
		in.Event, in.Schedule, in.Weekday = models.EventDigest, &daily, &day
		in.Emails = []string{" A@Example.org ", "a@example.org"}
		r, err := st.CreateRule(ctx, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Weekday != nil || len(r.Emails) != 1 || r.Emails[0] != "a@example.org" || r.TimeZone != f.site.TimeZone {
			t.Errorf("daily rule stored as %+v", r)
		}
		if _, err := st.Rule(ctx, other.ID, r.ID); err == nil {
			t.Error("another organization reads the rule")
		}
	})
}

// Removing a webhook takes it out of every rule and gives up what was
// waiting for it.
func TestDeleteWebhook(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newKioskFixture(t, db)
		st := f.st
		admin, _, err := st.CreateMember(ctx, f.org.ID, "admin@kiosk.test", models.RoleAdmin, "correct horse battery staple", false)
		if err != nil {
			t.Fatal(err)
		}
		hook, secret, err := st.CreateWebhook(ctx, f.org.ID, admin.User, "Ops", "https://ops.example.org/hook")
		if err != nil || secret == "" {
			t.Fatal(err)
		}
		if _, _, err := st.CreateWebhook(ctx, f.org.ID, admin.User, "Bad", "ftp://x"); err == nil {
			t.Error("ftp URL accepted")
		}
		r, err := st.CreateRule(ctx, f.org.ID, store.RuleInput{Name: "R", Event: models.EventUrgent, WebhookIDs: []string{hook.ID}, Emails: []string{"a@example.org"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Enqueue(ctx, []models.Delivery{{OrganizationID: f.org.ID, Kind: models.DeliveryUrgent, Channel: models.ChannelWebhook, Target: hook.ID, Payload: "{}"}}); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteWebhook(ctx, f.org.ID, hook.ID); err != nil {
			t.Fatal(err)
		}
		r, err = st.Rule(ctx, f.org.ID, r.ID)
		if err != nil || len(r.WebhookIDs) != 0 {
			t.Fatalf("rule still names the webhook: %+v %v", r, err)
		}
		ds, err := st.Deliveries(ctx, f.org.ID, store.DeliveryFilter{})
		if err != nil || len(ds) != 1 || ds[0].State != models.DeliveryDead {
			t.Fatalf("pending delivery not given up: %+v %v", ds, err)
		}
	})
}
