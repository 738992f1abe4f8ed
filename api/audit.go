package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// AuditAPI lets admins read the audit log.
type AuditAPI struct {
	Store *store.Store
}

// List returns audit events, newest first, filtered by ?action=, ?actor=
// (a user id), ?from= and ?to= (YYYY-MM-DD, to is exclusive) and ?limit=.
func (a *AuditAPI) List(c *gin.Context) {
	f := store.AuditFilter{Action: c.Query("action"), ActorID: c.Query("actor")}
	var err error
	if f.From, err = queryDay(c, "from"); err != nil {
		abort(c, err)
		return
	}
	if f.To, err = queryDay(c, "to"); err != nil {
		abort(c, err)
		return
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			abort(c, invalidField("limit", "must be a whole number from 1 to 500"))
			return
		}
		f.Limit = n
	}
	events, err := a.Store.AuditEvents(c.Request.Context(), principal(c).OrganizationID, f)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"events": nonNil(events)})
}

func queryDay(c *gin.Context, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	d, err := models.ParseDay(v)
	if err != nil {
		return time.Time{}, invalidField(name, "must be a day as YYYY-MM-DD")
	}
	return d.Time(), nil
}
