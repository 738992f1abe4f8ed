package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/models"
)

// maxRecipients bounds each of a rule's recipient lists.
const maxRecipients = 20

// RuleInput is a routing rule as an admin sets it.
type RuleInput struct {
	Name       string
	Event      string
	SiteIDs    []string
	NeedCodes  []string
	Schedule   *string
	Weekday    *int
	TimeZone   string
	Language   string
	UserIDs    []string
	Emails     []string
	WebhookIDs []string
	Active     bool
}

// RuleInputOf is a rule's current settings, for a change that sets only
// some of them.
func RuleInputOf(r models.RoutingRule) RuleInput {
	return RuleInput{Name: r.Name, Event: r.Event, SiteIDs: r.SiteIDs, NeedCodes: r.NeedCodes, Schedule: r.Schedule,
		Weekday: r.Weekday, TimeZone: r.TimeZone, Language: r.Language, UserIDs: r.UserIDs, Emails: r.Emails,
		WebhookIDs: r.WebhookIDs, Active: r.Active}
}

// CreateRule adds a routing rule.
func (s *Store) CreateRule(ctx context.Context, orgID string, in RuleInput) (models.RoutingRule, error) {
	r := models.RoutingRule{ID: models.NewID(), OrganizationID: orgID, CreatedAt: s.now(), UpdatedAt: s.now()}
	if err := s.applyRule(ctx, orgID, &r, in); err != nil {
		return models.RoutingRule{}, err
	}
	return r, translate(s.conn(ctx).Create(&r).Error, "create rule")
}

// UpdateRule replaces a rule's settings.
func (s *Store) UpdateRule(ctx context.Context, orgID, id string, in RuleInput) (models.RoutingRule, error) {
	var r models.RoutingRule
	err := s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.Rule(ctx, orgID, id); err != nil {
			return err
		}
		if err := s.applyRule(ctx, orgID, &r, in); err != nil {
			return err
		}
		r.UpdatedAt = s.now()
		return translate(s.conn(ctx).Save(&r).Error, "update rule")
	})
	return r, err
}

// Rule returns one rule of the organization.
func (s *Store) Rule(ctx context.Context, orgID, id string) (models.RoutingRule, error) {
	var r models.RoutingRule
	if !models.IsID(id) {
		return r, translate(errNotFound, "rule")
	}
	err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&r).Error
	return r, translate(err, "rule")
}

// Rules lists the organization's rules by name.
func (s *Store) Rules(ctx context.Context, orgID string) ([]models.RoutingRule, error) {
	var out []models.RoutingRule
	err := s.conn(ctx).Where("organization_id = ?", orgID).Order("name, id").Find(&out).Error
	return out, translate(err, "rules")
}

// ActiveRules lists the active rules of one event: of one organization, or
// of all when orgID is empty (for the digest scheduler).
func (s *Store) ActiveRules(ctx context.Context, orgID, event string) ([]models.RoutingRule, error) {
	q := s.conn(ctx).Where("event = ? AND active = ?", event, true)
	if orgID != "" {
		q = q.Where("organization_id = ?", orgID)
	}
	var out []models.RoutingRule
	return out, translate(q.Order("id").Find(&out).Error, "active rules")
}

// DeleteRule removes a rule. Its log entries stay, without the rule.
func (s *Store) DeleteRule(ctx context.Context, orgID, id string) error {
	if !models.IsID(id) {
		return translate(errNotFound, "rule")
	}
	res := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).Delete(&models.RoutingRule{})
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(errNotFound, "rule")
	}
	return translate(res.Error, "delete rule")
}

// applyRule checks in against the organization and copies it onto r.
func (s *Store) applyRule(ctx context.Context, orgID string, r *models.RoutingRule, in RuleInput) error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 200 {
		return invalid("name", "must be 1 to 200 characters")
	}
	if err := checkSchedule(&in); err != nil {
		return err
	}
	if in.Language == "" {
		in.Language = "en"
	}
	if in.Language != "en" && in.Language != "es" {
		return invalid("language", "must be en or es")
	}
	if err := s.checkRuleTargets(ctx, orgID, &in); err != nil {
		return err
	}
	if in.TimeZone == "" {
		in.TimeZone = s.defaultZone(ctx, orgID)
	}
	if _, err := loadZone(in.TimeZone); err != nil {
		return invalid("time_zone", "is not a known time zone")
	}
	r.Name, r.Event, r.Schedule, r.Weekday, r.TimeZone, r.Language, r.Active = in.Name, in.Event, in.Schedule, in.Weekday, in.TimeZone, in.Language, in.Active
	r.SiteIDs, r.NeedCodes = nonNilCodes(in.SiteIDs), nonNilCodes(in.NeedCodes)
	r.UserIDs, r.Emails, r.WebhookIDs = nonNilCodes(in.UserIDs), nonNilCodes(in.Emails), nonNilCodes(in.WebhookIDs)
	return nil
}

func checkSchedule(in *RuleInput) error {
	switch in.Event {
	case models.EventUrgent:
		in.Schedule, in.Weekday = nil, nil
		return nil
	case models.EventDigest:
	default:
		return invalid("event", "must be urgent or digest")
	}
	switch {
	case in.Schedule == nil || (*in.Schedule != models.ScheduleDaily && *in.Schedule != models.ScheduleWeekly):
		return invalid("schedule", "must be daily or weekly")
	case *in.Schedule == models.ScheduleDaily:
		in.Weekday = nil
	case in.Weekday == nil || *in.Weekday < 0 || *in.Weekday > 6:
		return invalid("weekday", "must be 0 (Sunday) to 6 (Saturday)")
	}
	return nil
}

// checkRuleTargets checks that filters and recipients belong to the
// organization. Staff users must be admins or staff: they are the ones who
// may see exact counts.
func (s *Store) checkRuleTargets(ctx context.Context, orgID string, in *RuleInput) error {
	sites, err := s.Sites(ctx, orgID)
	if err != nil {
		return err
	}
	for i, id := range in.SiteIDs {
		if !slices.ContainsFunc(sites, func(s models.Site) bool { return s.ID == id }) {
			return invalid(fmt.Sprintf("site_ids[%d]", i), "is not a site of this program")
		}
	}
	needs, err := s.Categories(ctx, orgID, models.KindNeed)
	if err != nil {
		return err
	}
	for i, code := range in.NeedCodes {
		if !slices.ContainsFunc(needs, func(c models.Category) bool { return c.Code == code }) {
			return invalid(fmt.Sprintf("need_codes[%d]", i), "is not a need category of this program")
		}
	}
	if len(in.UserIDs)+len(in.Emails)+len(in.WebhookIDs) == 0 {
		return invalid("recipients", "choose at least one person, e-mail address or webhook")
	}
	if len(in.UserIDs) > maxRecipients || len(in.Emails) > maxRecipients || len(in.WebhookIDs) > maxRecipients {
		return invalid("recipients", fmt.Sprintf("at most %d of each kind", maxRecipients))
	}
	for i, id := range in.UserIDs {
		m, err := s.Member(ctx, orgID, id)
		if err != nil || (m.Role != models.RoleAdmin && m.Role != models.RoleStaff) {
			return invalid(fmt.Sprintf("user_ids[%d]", i), "must be an admin or staff member of this program")
		}
	}
	for i, e := range in.Emails {
		norm, err := NormalizeEmail(e)
		if err != nil {
			return invalid(fmt.Sprintf("emails[%d]", i), "must be an e-mail address")
		}
		in.Emails[i] = norm
	}
	for i, id := range in.WebhookIDs {
		if _, err := s.Webhook(ctx, orgID, id); err != nil {
			return invalid(fmt.Sprintf("webhook_ids[%d]", i), "is not a webhook of this program")
		}
	}
	in.SiteIDs, in.NeedCodes = uniq(in.SiteIDs), uniq(in.NeedCodes)
	in.UserIDs, in.Emails, in.WebhookIDs = uniq(in.UserIDs), uniq(in.Emails), uniq(in.WebhookIDs)
	return nil
}

func uniq(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// defaultZone is the time zone of the organization's first site, or UTC.
func (s *Store) defaultZone(ctx context.Context, orgID string) string {
	sites, err := s.Sites(ctx, orgID)
	if err != nil || len(sites) == 0 {
		return "UTC"
	}
	return sites[0].TimeZone
}

// ClaimDigestRun records that the rule's digest for [start, end) is being
// made, and reports whether this caller is the one to make it. Call it in
// the transaction that enqueues the digest: when that fails, the claim is
// undone with it.
func (s *Store) ClaimDigestRun(ctx context.Context, ruleID string, start, end models.Day) (bool, error) {
	res := s.conn(ctx).Exec(`INSERT INTO digest_runs (rule_id, period_start, period_end, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (rule_id, period_start) DO NOTHING`, ruleID, start, end, s.now())
	if res.Error != nil {
		return false, translate(res.Error, "claim digest")
	}
	return res.RowsAffected == 1, nil
}

// DigestRan reports whether the rule's digest for the period starting on
// start was already made, to skip the work of building it again.
func (s *Store) DigestRan(ctx context.Context, ruleID string, start models.Day) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&models.DigestRun{}).Where("rule_id = ? AND period_start = ?", ruleID, start).Count(&n).Error
	return n > 0, translate(err, "digest runs")
}

// Audit actions for routing.
const (
	AuditRuleCreated    = "routing_rule.created"
	AuditRuleUpdated    = "routing_rule.updated"
	AuditRuleDeleted    = "routing_rule.deleted"
	AuditRuleTested     = "routing_rule.tested"
	AuditWebhookCreated = "webhook.created"
	AuditWebhookDeleted = "webhook.deleted"
)
