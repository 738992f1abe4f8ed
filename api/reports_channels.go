package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Channels counts submissions by how they came in (kiosk, own phone) and
// period, suppressed like every report.
func (a *ReportAPI) Channels(c *gin.Context) {
	scope, sites, _, err := a.reportScope(c)
	if err != nil {
		abort(c, err)
		return
	}
	ch, err := a.Reporter.Channels(c.Request.Context(), scope, sites)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}
