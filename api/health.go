package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Pinger is the database as health checks see it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// HealthAPI answers liveness and readiness probes.
type HealthAPI struct {
	DB Pinger
}

// readyTimeout bounds how long /readyz waits for the database, so a
// load balancer's probe gets an answer even when the database hangs.
const readyTimeout = 2 * time.Second

// Live reports that the process is up.
func (h *HealthAPI) Live(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// Ready reports whether the database answers; 503 with the reason if not.
func (h *HealthAPI) Ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
	defer cancel()
	if err := h.DB.Ping(ctx); err != nil {
		writeError(c, &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable,
			Message: "The database is not answering.", Fields: map[string]string{"database": "unreachable"}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "database": "ok"})
}
