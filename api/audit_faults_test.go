package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// A command whose audit row cannot be written changes nothing and answers
// an error; once the audit log works again, the same request changes data
// and leaves exactly one row. Every command that records itself is here.
func TestCommandWithoutItsRecordChangesNothing(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Faults Program")
		adminUser, staffUser, policyUser := o.Users[models.RoleAdmin], o.Users[models.RoleStaff], o.Users[models.RolePolicymaker]
		admin := session(t, db, s.store, adminUser, o.ID)
		staff := session(t, db, s.store, staffUser, o.ID)
		policy := session(t, db, s.store, policyUser, o.ID)
		facilitator := session(t, db, s.store, o.Users[models.RoleFacilitator], o.ID)

		// What the commands act on, made without records.
		code, err := s.store.NewEnrollment(ctx, o.ID, o.Spare.ID, "")
		must(t, err)
		token, _, err := s.store.CreateAPIToken(ctx, o.ID, adminUser.ID, "script")
		must(t, err)
		needs, err := s.store.AllCategories(ctx, o.ID, models.KindNeed)
		must(t, err)
		rule, err := s.store.CreateRule(ctx, o.ID, store.RuleInput{Name: "Urgent", Event: models.EventUrgent, Emails: []string{"oncall@example.org"}, Active: true})
		must(t, err)
		hook, _, err := s.store.CreateWebhook(ctx, o.ID, adminUser, "Ops", "https://ops.example.org/hook")
		must(t, err)
		meeting, err := s.store.CreateLiveSession(ctx, o.ID, "", store.LiveSessionInput{SiteID: o.Site.ID, Title: "Meeting", Language: "en"})
		must(t, err)
		round, err := s.store.CreateRound(ctx, o.ID, meeting.ID, store.RoundInput{Kind: tally.Agree, Prompt: "Open on Sundays?"})
		must(t, err)
		_, err = s.store.SetRoundState(ctx, o.ID, round.ID, store.ActionOpen)
		must(t, err)
		for range 5 { // enough voters to reveal
			_, hash := auth.NewSecret("chorus_live_")
			_, _, err = s.store.CommitVotes(ctx, []store.VoteInput{{SessionID: meeting.ID, RoundID: round.ID,
				ParticipantID: models.NewID(), TokenHash: hash, VoteID: "v", Choice: []byte(`"agree"`)}})
			must(t, err)
		}

		site := map[string]string{"name": "Van", "kind": "mobile", "setting": "rural", "time_zone": "America/Chicago"}
		labels := map[string]string{"en": "Bus passes", "es": "Pases de autobús"}
		// In order: a case may rely on an earlier one having run with a
		// working audit log (sign-out and the password change come after
		// everything their callers do).
		cases := []struct {
			name         string
			as           caller
			method, path string
			body         any
		}{
			{"organization settings", admin, "PATCH", "/api/v1/organization", map[string]any{"min_cell": 20}},
			{"create site", admin, "POST", "/api/v1/sites", site},
			{"update site", admin, "PATCH", "/api/v1/sites/" + o.Site.ID, map[string]string{"name": "Shopfront", "kind": "fixed", "setting": "urban", "time_zone": "America/New_York"}},
			{"create kiosk", admin, "POST", "/api/v1/kiosks", map[string]string{"site_id": o.Site.ID, "name": "Waiting room"}},
			{"enroll kiosk", anonymous, "POST", "/api/v1/kiosk/enroll", map[string]string{"code": code.Code}},
			{"new enrollment code", admin, "POST", "/api/v1/kiosks/" + o.Spare.ID + "/enrollment", nil},
			{"revoke kiosk", admin, "POST", "/api/v1/kiosks/" + o.Spare.ID + "/revoke", nil},
			{"add user", admin, "POST", "/api/v1/users", map[string]string{"email": "new@faults.test", "role": "staff"}},
			{"change role", admin, "PATCH", "/api/v1/users/" + o.SpareUser.ID, map[string]string{"role": "facilitator"}},
			{"create token", staff, "POST", "/api/v1/tokens", map[string]string{"name": "laptop"}},
			{"revoke token", admin, "DELETE", "/api/v1/tokens/" + token.ID, nil},
			{"create category", admin, "POST", "/api/v1/categories", map[string]any{"kind": "need", "code": "bus_passes", "label": labels}},
			{"update category", admin, "PATCH", "/api/v1/categories/" + needs[0].ID, map[string]any{"active": false}},
			{"create rule", admin, "POST", "/api/v1/routing/rules", map[string]any{"name": "Also urgent", "event": "urgent", "emails": []string{"lead@example.org"}}},
			{"update rule", admin, "PATCH", "/api/v1/routing/rules/" + rule.ID, map[string]any{"name": "Urgent words"}},
			{"test rule", admin, "POST", "/api/v1/routing/rules/" + rule.ID + "/test", nil},
			{"delete rule", admin, "DELETE", "/api/v1/routing/rules/" + rule.ID, nil},
			{"create webhook", admin, "POST", "/api/v1/webhooks", map[string]string{"name": "Pager", "url": "https://pager.example.org/hook"}},
			{"delete webhook", admin, "DELETE", "/api/v1/webhooks/" + hook.ID, nil},
			{"create live session", facilitator, "POST", "/api/v1/sessions", map[string]string{"site_id": o.Site.ID, "title": "Van stop", "language": "en"}},
			{"hand count", facilitator, "POST", "/api/v1/rounds/" + round.ID + "/hand-count", map[string]any{"counts": map[string]int{"disagree": 3}}},
			{"reveal round", facilitator, "POST", "/api/v1/rounds/" + round.ID + "/reveal", nil},
			{"end live session", facilitator, "POST", "/api/v1/sessions/" + meeting.ID + "/end", nil},
			{"remove user", admin, "DELETE", "/api/v1/users/" + o.SpareUser.ID, nil},
			{"sign in", anonymous, "POST", "/api/v1/auth/signin", map[string]string{"email": adminUser.Email, "password": testPassword}},
			{"sign out", policy, "POST", "/api/v1/auth/signout", map[string]any{}},
			{"change password", staff, "POST", "/api/v1/me/password", map[string]string{"current_password": testPassword, "new_password": "a much longer new password"}},
		}
		for _, tc := range cases {
			testutil.RefuseAudit(t, db)
			before := testutil.Snapshot(t, db)
			r := s.as(tc.as, tc.method, tc.path, tc.body)
			if r.Code != http.StatusInternalServerError {
				t.Errorf("%s without its record: status %d, want 500; body %s", tc.name, r.Code, r.Body.String())
			}
			if diff := testutil.ChangedTables(before, testutil.Snapshot(t, db)); len(diff) > 0 {
				t.Errorf("%s without its record changed %s", tc.name, strings.Join(diff, ", "))
			}

			testutil.AcceptAudit(t, db)
			r = s.as(tc.as, tc.method, tc.path, tc.body)
			if r.Code >= 300 {
				t.Errorf("%s with the audit log working: status %d; body %s", tc.name, r.Code, r.Body.String())
				continue
			}
			after := testutil.Snapshot(t, db)
			if n := len(after["audit_events"]) - len(before["audit_events"]); n != 1 {
				t.Errorf("%s wrote %d audit rows, want 1", tc.name, n)
			}
			if diff := testutil.ChangedTables(before, after); !slices.ContainsFunc(diff, func(t string) bool { return t != "audit_events" }) {
				t.Errorf("%s changed nothing but the audit log: the case proves nothing", tc.name)
			}
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
