package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// WebhookAPI lets admins add and remove signed webhook receivers.
type WebhookAPI struct {
	Store *store.Store
}

type createWebhookRequest struct {
	Name string `json:"name" validate:"required,max=200"`
	URL  string `json:"url" validate:"required,max=2000"`
}

// WebhookCreated shows the signing secret once.
type WebhookCreated struct {
	models.Webhook
	Secret string `json:"secret"`
}

// List returns the organization's webhooks, without their secrets.
func (a *WebhookAPI) List(c *gin.Context) {
	hooks, err := a.Store.Webhooks(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"webhooks": nonNil(hooks)})
}

// Create adds a webhook and returns its secret: the only time it is shown.
func (a *WebhookAPI) Create(c *gin.Context) {
	var req createWebhookRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	var out WebhookCreated
	err := a.Store.InTx(c.Request.Context(), func(ctx context.Context) error {
		var err error
		if out.Webhook, out.Secret, err = a.Store.CreateWebhook(ctx, p.OrganizationID, p.User, req.Name, req.URL); err != nil {
			return err
		}
		return a.Store.Audit(ctx, p.OrganizationID, &p.User, store.AuditWebhookCreated, "webhook", out.ID, nil)
	})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

// Delete removes a webhook from the organization and from every rule.
func (a *WebhookAPI) Delete(c *gin.Context) {
	p := principal(c)
	err := a.Store.InTx(c.Request.Context(), func(ctx context.Context) error {
		if err := a.Store.DeleteWebhook(ctx, p.OrganizationID, c.Param("id")); err != nil {
			return err
		}
		return a.Store.Audit(ctx, p.OrganizationID, &p.User, store.AuditWebhookDeleted, "webhook", c.Param("id"), nil)
	})
	if err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
