package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// RuleTester sends a sample of what a rule sends, now.
type RuleTester interface {
	SendTest(ctx context.Context, rule models.RoutingRule) error
}

// RoutingAPI lets admins say what goes to whom: urgent alerts at once,
// digests daily or weekly.
type RoutingAPI struct {
	Store  *store.Store
	Tester RuleTester
}

// ruleRequest is a rule as the client sends it. Every field is optional on
// PATCH; a missing one keeps its value.
type ruleRequest struct {
	Name       *string   `json:"name" validate:"omitempty,max=200"`
	Event      *string   `json:"event" validate:"omitempty,oneof=urgent digest"`
	SiteIDs    *[]string `json:"site_ids" validate:"omitempty,max=100"`
	NeedCodes  *[]string `json:"need_codes" validate:"omitempty,max=100"`
	Schedule   *string   `json:"schedule" validate:"omitempty,oneof=daily weekly"`
	Weekday    *int      `json:"weekday" validate:"omitempty,min=0,max=6"`
	TimeZone   *string   `json:"time_zone" validate:"omitempty,max=100"`
	Language   *string   `json:"language" validate:"omitempty,oneof=en es"`
	UserIDs    *[]string `json:"user_ids" validate:"omitempty,max=20"`
	Emails     *[]string `json:"emails" validate:"omitempty,max=20"`
	WebhookIDs *[]string `json:"webhook_ids" validate:"omitempty,max=20"`
	Active     *bool     `json:"active"`
}

func (r ruleRequest) apply(in *store.RuleInput) {
	set := func(dst *[]string, src *[]string) {
		if src != nil {
			*dst = *src
		}
	}
	if r.Name != nil {
		in.Name = *r.Name
	}
	if r.Event != nil {
		in.Event = *r.Event
	}
	if r.Schedule != nil {
		in.Schedule = r.Schedule
	}
	if r.Weekday != nil {
		in.Weekday = r.Weekday
	}
	if r.TimeZone != nil {
		in.TimeZone = *r.TimeZone
	}
	if r.Language != nil {
		in.Language = *r.Language
	}
	if r.Active != nil {
		in.Active = *r.Active
	}
	set(&in.SiteIDs, r.SiteIDs)
	set(&in.NeedCodes, r.NeedCodes)
	set(&in.UserIDs, r.UserIDs)
	set(&in.Emails, r.Emails)
	set(&in.WebhookIDs, r.WebhookIDs)
}

// List returns the organization's rules.
func (a *RoutingAPI) List(c *gin.Context) {
	rules, err := a.Store.Rules(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": nonNil(rules)})
}

// Create adds a rule; it is active unless "active" is false.
func (a *RoutingAPI) Create(c *gin.Context) {
	var req ruleRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	in := store.RuleInput{Active: true}
	req.apply(&in)
	p := principal(c)
	rule, err := a.Store.By(&p.User).CreateRule(c.Request.Context(), p.OrganizationID, in)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, rule)
}

// Update changes the fields the request sets.
func (a *RoutingAPI) Update(c *gin.Context) {
	var req ruleRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	rule, err := a.Store.By(&p.User).UpdateRule(c.Request.Context(), p.OrganizationID, c.Param("id"), req.apply)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, rule)
}

// Delete removes a rule.
func (a *RoutingAPI) Delete(c *gin.Context) {
	p := principal(c)
	if err := a.Store.By(&p.User).DeleteRule(c.Request.Context(), p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Test sends a sample of what the rule sends to its recipients now,
// marked as a test: for a digest, the last period that ended.
func (a *RoutingAPI) Test(c *gin.Context) {
	p := principal(c)
	if err := a.Store.By(&p.User).TestRule(c.Request.Context(), p.OrganizationID, c.Param("id"), a.Tester.SendTest); err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"queued": true})
}
