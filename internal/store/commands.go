package store

import (
	"context"

	"github.com/chorus-hr/chorus/models"
)

// The commands staff give, each with its audit row in its own transaction
// (see Actor). Live session commands are in live_commands.go.

// AddMember gives an e-mail address a role in the organization, creating
// the account with password as a one-time password if there is none.
func (a Actor) AddMember(ctx context.Context, orgID, email string, role models.Role, password string) (m Member, created bool, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if m, created, err = a.s.CreateMember(ctx, orgID, email, role, password, true); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditUserAdded, "user", m.ID, models.Bands{"email": m.Email, "role": string(m.Role)})
	})
	return m, created, err
}

// SetRole changes a member's role (ending their sessions there) and
// returns the member as they are now.
func (a Actor) SetRole(ctx context.Context, orgID, userID string, role models.Role) (Member, error) {
	var after Member
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		before, err := a.s.Member(ctx, orgID, userID)
		if err != nil {
			return err
		}
		if err := a.s.SetRole(ctx, orgID, before.ID, role); err != nil {
			return err
		}
		if after, err = a.s.Member(ctx, orgID, before.ID); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditRoleChanged, "user", before.ID,
			models.Bands{"email": before.Email, "from": string(before.Role), "to": string(after.Role)})
	})
	return after, err
}

// RemoveMember takes a member out of the organization, ending their
// sessions and API tokens there.
func (a Actor) RemoveMember(ctx context.Context, orgID, userID string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		m, err := a.s.Member(ctx, orgID, userID)
		if err != nil {
			return err
		}
		if err := a.s.RemoveMember(ctx, orgID, m.ID); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditUserRemoved, "user", m.ID, models.Bands{"email": m.Email})
	})
}

// ChangePassword changes the actor's own password, ending every session
// and API token of theirs; orgID is where the record is kept.
func (a Actor) ChangePassword(ctx context.Context, orgID, current, next string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.ChangePassword(ctx, a.userID(), current, next); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditPasswordChanged, "user", a.userID(), nil)
	})
}

// SignOut ends the actor's session.
func (a Actor) SignOut(ctx context.Context, orgID string, sessionHash []byte) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.SignOut(ctx, sessionHash); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditSignOut, "user", a.userID(), nil)
	})
}

// IssuePoster gives a site a new poster code, retiring the one before.
func (a Actor) IssuePoster(ctx context.Context, orgID, siteID string) (p models.SitePoster, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		if p, err = a.s.IssuePoster(ctx, orgID, siteID); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditPosterIssued, "site", siteID, nil)
	})
	return p, err
}

// CreateKiosk adds a kiosk at a site and returns its first enrollment code.
func (a Actor) CreateKiosk(ctx context.Context, orgID, siteID, name string) (k models.Kiosk, en Enrollment, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if k, en, err = a.s.CreateKiosk(ctx, orgID, siteID, name, a.userID()); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditKioskCreated, "kiosk", k.ID, models.Bands{"name": k.Name})
	})
	return k, en, err
}

// NewEnrollment issues a fresh one-time code for a kiosk.
func (a Actor) NewEnrollment(ctx context.Context, orgID, kioskID string) (en Enrollment, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if en, err = a.s.NewEnrollment(ctx, orgID, kioskID, a.userID()); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditKioskCode, "kiosk", kioskID, nil)
	})
	return en, err
}

// RevokeKiosk stops a kiosk's device token at once.
func (a Actor) RevokeKiosk(ctx context.Context, orgID, id string) (k models.Kiosk, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if k, err = a.s.RevokeKiosk(ctx, orgID, id); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditKioskRevoked, "kiosk", k.ID, models.Bands{"name": k.Name})
	})
	return k, err
}

// Enroll trades a one-time code for a kiosk's device token; the kiosk is
// the actor, so a tablet enrolls through By(nil).
func (a Actor) Enroll(ctx context.Context, code string) (ka KioskAuth, token string, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if ka, token, err = a.s.Enroll(ctx, code); err != nil {
			return err
		}
		return a.record(ctx, ka.Kiosk.OrganizationID, AuditKioskEnrolled, "kiosk", ka.Kiosk.ID, models.Bands{"name": ka.Kiosk.Name})
	})
	return ka, token, err
}

// CreateSite adds a site.
func (a Actor) CreateSite(ctx context.Context, orgID string, in SiteInput) (site models.Site, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if site, err = a.s.CreateSite(ctx, orgID, in); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditSiteCreated, "site", site.ID, models.Bands{"name": site.Name})
	})
	return site, err
}

// UpdateSite replaces a site's details.
func (a Actor) UpdateSite(ctx context.Context, orgID, id string, in SiteInput) (site models.Site, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if site, err = a.s.UpdateSite(ctx, orgID, id, in); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditSiteUpdated, "site", site.ID, models.Bands{"name": site.Name})
	})
	return site, err
}

// CreateAPIToken makes a token that acts as the actor in the organization
// and returns it with its secret, shown once.
func (a Actor) CreateAPIToken(ctx context.Context, orgID, name string) (tok models.APIToken, secret string, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if tok, secret, err = a.s.CreateAPIToken(ctx, orgID, a.userID(), name); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditTokenCreated, "token", tok.ID, models.Bands{"name": tok.Name})
	})
	return tok, secret, err
}

// RevokeAPIToken stops a token at once; ownerID limits it to that user's
// tokens, empty to any of the organization's.
func (a Actor) RevokeAPIToken(ctx context.Context, orgID, ownerID, id string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.RevokeAPIToken(ctx, orgID, ownerID, id); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditTokenRevoked, "token", id, nil)
	})
}

// UpdateOrganization changes settings; the record names the settings
// changed, not their values.
func (a Actor) UpdateOrganization(ctx context.Context, orgID string, set OrganizationSettings) (org models.Organization, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if org, err = a.s.UpdateOrganization(ctx, orgID, set); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditSettings, "organization", org.ID, set.changed())
	})
	return org, err
}

// changed names the settings given, for the audit log.
func (set OrganizationSettings) changed() models.Bands {
	detail := models.Bands{}
	for k, given := range map[string]bool{"name": set.Name != nil, "min_cell": set.MinCell != nil, "min_voters": set.MinVoters != nil,
		"urgent_words": set.UrgentWords != nil, "resources": set.Resources != nil, "public_board": set.PublicBoard != nil,
		"response_days": set.ResponseDays != nil, "retention_days": set.RetentionDays != nil} {
		if given {
			detail[k] = "changed"
		}
	}
	return detail
}

// CreateCategory adds a need or strength.
func (a Actor) CreateCategory(ctx context.Context, orgID string, in CategoryInput) (c models.Category, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = a.s.CreateCategory(ctx, orgID, in); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditSettings, "category", c.ID, models.Bands{"code": c.Code, "change": "created"})
	})
	return c, err
}

// UpdateCategory changes a category's labels, icon, order or whether the
// kiosk offers it.
func (a Actor) UpdateCategory(ctx context.Context, orgID, id string, ch CategoryChange) (c models.Category, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = a.s.UpdateCategory(ctx, orgID, id, ch); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditSettings, "category", c.ID, models.Bands{"code": c.Code, "change": "updated"})
	})
	return c, err
}

// CreateRule adds a routing rule.
func (a Actor) CreateRule(ctx context.Context, orgID string, in RuleInput) (r models.RoutingRule, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = a.s.CreateRule(ctx, orgID, in); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditRuleCreated, "routing_rule", r.ID, models.Bands{"event": r.Event})
	})
	return r, err
}

// UpdateRule changes a rule: change edits its current settings, read in
// the same transaction, so two edits of different fields both stay.
func (a Actor) UpdateRule(ctx context.Context, orgID, id string, change func(*RuleInput)) (r models.RoutingRule, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		current, err := a.s.Rule(ctx, orgID, id)
		if err != nil {
			return err
		}
		in := RuleInputOf(current)
		change(&in)
		if r, err = a.s.UpdateRule(ctx, orgID, current.ID, in); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditRuleUpdated, "routing_rule", r.ID, nil)
	})
	return r, err
}

// DeleteRule removes a rule.
func (a Actor) DeleteRule(ctx context.Context, orgID, id string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.DeleteRule(ctx, orgID, id); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditRuleDeleted, "routing_rule", id, nil)
	})
}

// TestRule has send queue a sample of what the rule sends, and records
// the test, in one transaction: a sample queued is a test recorded.
func (a Actor) TestRule(ctx context.Context, orgID, id string, send func(context.Context, models.RoutingRule) error) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		rule, err := a.s.Rule(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := send(ctx, rule); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditRuleTested, "routing_rule", rule.ID, nil)
	})
}

// CreateWebhook adds a receiver and returns it with its secret, shown once.
func (a Actor) CreateWebhook(ctx context.Context, orgID, name, rawURL string) (w models.Webhook, secret string, err error) {
	var by models.User
	if a.user != nil {
		by = *a.user
	}
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if w, secret, err = a.s.CreateWebhook(ctx, orgID, by, name, rawURL); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditWebhookCreated, "webhook", w.ID, nil)
	})
	return w, secret, err
}

// DeleteWebhook removes a receiver from the organization and every rule.
func (a Actor) DeleteWebhook(ctx context.Context, orgID, id string) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		if err := a.s.DeleteWebhook(ctx, orgID, id); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditWebhookDeleted, "webhook", id, nil)
	})
}
