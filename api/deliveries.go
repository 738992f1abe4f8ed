package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// DeliveryAPI is the delivery log, and each staff user's inbox of digests.
type DeliveryAPI struct {
	Store *store.Store
}

// List returns the organization's deliveries, newest first
// (?state=pending|sent|dead, ?channel=inbox|email|webhook).
func (a *DeliveryAPI) List(c *gin.Context) {
	f := store.DeliveryFilter{State: c.Query("state"), Channel: c.Query("channel")}
	switch f.State {
	case "", models.DeliveryPending, models.DeliverySent, models.DeliveryDead:
	default:
		abort(c, invalidField("state", "must be one of: pending, sent, dead"))
		return
	}
	switch f.Channel {
	case "", models.ChannelInbox, models.ChannelEmail, models.ChannelWebhook:
	default:
		abort(c, invalidField("channel", "must be one of: inbox, email, webhook"))
		return
	}
	ds, err := a.Store.Deliveries(c.Request.Context(), principal(c).OrganizationID, f)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": nonNil(ds)})
}

// InboxItem is a digest in the caller's in-app inbox.
type InboxItem struct {
	models.Delivery
	Digest json.RawMessage `json:"digest"`
}

// Inbox returns the digests (and tests) sent to the caller's in-app inbox.
func (a *DeliveryAPI) Inbox(c *gin.Context) {
	p := principal(c)
	ds, err := a.Store.Inbox(c.Request.Context(), p.OrganizationID, p.User.ID, 50)
	if err != nil {
		abort(c, err)
		return
	}
	out := make([]InboxItem, len(ds))
	for i, d := range ds {
		out[i] = InboxItem{Delivery: d, Digest: json.RawMessage(d.Payload)}
	}
	c.JSON(http.StatusOK, gin.H{"digests": out})
}
