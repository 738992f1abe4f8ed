// Package deliver routes alerts and digests to the people and systems an
// organization chose, through a durable outbox: the in-app inbox, e-mail
// over SMTP and signed webhooks, retried with back-off until they are sent
// or given up. Everything it needs to resume is in the database.
package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Router turns alerts and digests into deliveries in the outbox.
type Router struct {
	Store *store.Store
	// BaseURL is Chorus's public address, for links back to the staff pages.
	BaseURL string
}

// recipient is one person or system a rule sends to, with what they may
// see: Exact counts go only to admins and staff.
type recipient struct {
	channel string
	target  string
	// inboxOf is the staff user whose in-app inbox also gets a copy.
	inboxOf string
	lang    string
	exact   bool
}

// recipients expands a rule into who gets what. A staff user who left the
// organization or lost the role since the rule was written is skipped; so
// is a webhook that was removed. Any other failure to look one up is
// returned, never skipped: the caller's transaction rolls back and a later
// pass tries again, so a database hiccup cannot drop someone from an alert.
func (r *Router) recipients(ctx context.Context, rule models.RoutingRule) ([]recipient, error) {
	var out []recipient
	for _, id := range rule.UserIDs {
		m, err := r.Store.Member(ctx, rule.OrganizationID, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("recipients of rule %s: %w", rule.ID, err)
		}
		if m.Role != models.RoleAdmin && m.Role != models.RoleStaff {
			continue
		}
		out = append(out, recipient{channel: models.ChannelEmail, target: m.Email, inboxOf: m.ID, lang: langOf(m.Language), exact: true})
	}
	for _, e := range rule.Emails {
		out = append(out, recipient{channel: models.ChannelEmail, target: e, lang: rule.Language})
	}
	for _, id := range rule.WebhookIDs {
		_, err := r.Store.Webhook(ctx, rule.OrganizationID, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("recipients of rule %s: %w", rule.ID, err)
		}
		out = append(out, recipient{channel: models.ChannelWebhook, target: id, lang: rule.Language})
	}
	return out, nil
}

func langOf(l string) string {
	if l == "es" {
		return "es"
	}
	return "en"
}

// RouteAlert enqueues an urgent alert for every active urgent rule whose
// sites and need categories it matches. The alert itself is already in the
// staff inbox.
func (r *Router) RouteAlert(ctx context.Context, a models.Alert) error {
	rules, err := r.Store.ActiveRules(ctx, a.OrganizationID, models.EventUrgent)
	if err != nil || len(rules) == 0 {
		return err
	}
	org, err := r.Store.Organization(ctx, a.OrganizationID)
	if err != nil {
		return err
	}
	// A site removed since the alert was raised leaves the name blank; any
	// other failure is retried with the alert.
	site := ""
	if a.SiteID != nil {
		s, err := r.Store.Site(ctx, a.OrganizationID, *a.SiteID)
		if err == nil {
			site = s.Name
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("site of alert %s: %w", a.ID, err)
		}
	}
	var needs []string
	for _, rule := range rules {
		if len(rule.SiteIDs) > 0 && (a.SiteID == nil || !slices.Contains(rule.SiteIDs, *a.SiteID)) {
			continue
		}
		if len(rule.NeedCodes) > 0 {
			if needs == nil {
				if needs, err = r.Store.AlertNeeds(ctx, a); err != nil {
					return err
				}
			}
			if !slices.ContainsFunc(rule.NeedCodes, func(c string) bool { return slices.Contains(needs, c) }) {
				continue
			}
		}
		v := UrgentView{Event: models.EventUrgent, Organization: org.Name, Rule: rule.Name, Site: site, Day: a.Day.String(),
			Matched: a.Matched, Link: r.link("/staff/alerts")}
		if err := r.enqueue(ctx, rule, models.DeliveryUrgent, a.Day, func(rc recipient) (rendered, error) { return v.render(rc.lang) }); err != nil {
			return err
		}
	}
	return nil
}

// SendDigest enqueues a rule's digest for a period to each recipient, each
// shaped for what they may see. kind is digest, or test for a sample sent
// on request.
func (r *Router) SendDigest(ctx context.Context, rule models.RoutingRule, p Period, kind string) error {
	in, err := r.loadDigest(ctx, rule, p)
	if err != nil {
		return err
	}
	return r.enqueue(ctx, rule, kind, models.Day{}, func(rc recipient) (rendered, error) {
		v := in.view(rc.lang, rc.exact, r.link("/staff"))
		v.Test = kind == models.DeliveryTest
		return v.render(rc.lang)
	})
}

// SendTest enqueues a sample of what the rule sends, now: the digest of its
// last ended period, or an example urgent alert.
func (r *Router) SendTest(ctx context.Context, rule models.RoutingRule) error {
	if rule.Event == models.EventDigest {
		p, _ := LastPeriod(rule, r.Store.Now())
		return r.SendDigest(ctx, rule, p, models.DeliveryTest)
	}
	org, err := r.Store.Organization(ctx, rule.OrganizationID)
	if err != nil {
		return err
	}
	v := UrgentView{Event: models.EventUrgent, Test: true, Organization: org.Name, Rule: rule.Name, Site: "—",
		Day: models.DayOf(r.Store.Now(), timeUTC).String(), Matched: []string{"example"}, Link: r.link("/staff/alerts")}
	return r.enqueue(ctx, rule, models.DeliveryTest, models.Day{}, func(rc recipient) (rendered, error) { return v.render(rc.lang) })
}

// enqueue renders the message for each of the rule's recipients and puts
// it in the outbox, on day (zero: today). A staff user's digest (or a test
// of one) also goes to their in-app inbox; an urgent alert is in the alerts
// inbox already. Nothing here names the alert or its submission.
func (r *Router) enqueue(ctx context.Context, rule models.RoutingRule, kind string, day models.Day, render func(recipient) (rendered, error)) error {
	rcs, err := r.recipients(ctx, rule)
	if err != nil {
		return err
	}
	var ds []models.Delivery
	for _, rc := range rcs {
		msg, err := render(rc)
		if err != nil {
			return fmt.Errorf("render %s for rule %s: %w", kind, rule.ID, err)
		}
		d := models.Delivery{OrganizationID: rule.OrganizationID, RuleID: &rule.ID, Kind: kind, Channel: rc.channel,
			Target: rc.target, Language: rc.lang, Subject: msg.Subject, Day: day}
		switch rc.channel {
		case models.ChannelEmail:
			body, err := json.Marshal(emailBody{Text: msg.Text, HTML: msg.HTML})
			if err != nil {
				return err
			}
			d.Payload = string(body)
		case models.ChannelWebhook:
			d.Payload = string(msg.JSON)
		}
		ds = append(ds, d)
		if rc.inboxOf != "" && rule.Event == models.EventDigest {
			ds = append(ds, models.Delivery{OrganizationID: rule.OrganizationID, RuleID: &rule.ID, Kind: kind,
				Channel: models.ChannelInbox, Target: rc.inboxOf, Language: rc.lang, Subject: msg.Subject, Payload: string(msg.JSON), Day: day})
		}
	}
	return r.Store.Enqueue(ctx, ds)
}

func (r *Router) link(path string) string { return strings.TrimSuffix(r.BaseURL, "/") + path }

// emailBody is an e-mail delivery's payload: both parts, rendered.
type emailBody struct {
	Text string `json:"text"`
	HTML string `json:"html"`
}
