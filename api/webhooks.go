package api

import (
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
	var (
		out WebhookCreated
		err error
	)
	out.Webhook, out.Secret, err = a.Store.By(&p.User).CreateWebhook(c.Request.Context(), p.OrganizationID, req.Name, req.URL)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

// Delete removes a webhook from the organization and from every rule.
func (a *WebhookAPI) Delete(c *gin.Context) {
	p := principal(c)
	if err := a.Store.By(&p.User).DeleteWebhook(c.Request.Context(), p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
