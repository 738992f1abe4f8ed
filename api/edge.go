package api

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/ratelimit"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// EdgeAPI is van mode on the main server (docs/van-mode.md): admins add
// and revoke edge devices; an enrolled device pulls its state and sends
// batches of what it recorded.
type EdgeAPI struct {
	Store *store.Store
}

// edgeKey is where requireEdge keeps the authenticated device.
const edgeKey = "edge"

// routeEdge wires the admin routes under v1 and the device routes in a
// group of their own: a device token is not a staff credential, so the
// staff authentication never reads it.
func routeEdge(r *gin.Engine, v1 *gin.RouterGroup, st *store.Store, d Deps, admin gin.HandlerFunc) {
	e := &EdgeAPI{Store: st}
	v1.GET("/edge-devices", admin, e.List)
	v1.POST("/edge-devices", admin, e.Create)
	v1.POST("/edge-devices/:id/enrollment", admin, e.NewCode)
	v1.POST("/edge-devices/:id/revoke", admin, e.Revoke)
	v1.GET("/edge/console", require(runsSessions...), e.Console)

	now := d.Now
	if now == nil {
		now = time.Now
	}
	enrollPerClient := ratelimit.NewKeyed(rate.Every(6*time.Second), 5, ratelimit.WithClock(now))
	g := r.Group("/api/v1/edge", noStore, dbDeadline(d.Config.DBTimeout))
	g.POST("/enroll", limit(enrollPerClient, clientKey), e.Enroll)
	g.GET("/state", e.requireEdge, e.State)
	g.POST("/batches", e.requireEdge, e.Batches)
}

type createEdgeRequest struct {
	SiteID string `json:"site_id" validate:"required,max=64"`
	Name   string `json:"name" validate:"required,max=200"`
}

// EdgeCreated is a new edge device with its first enrollment code.
type EdgeCreated struct {
	Device     models.EdgeDevice `json:"device"`
	Enrollment store.Enrollment  `json:"enrollment"`
}

// List returns the organization's edge devices.
func (e *EdgeAPI) List(c *gin.Context) {
	devices, err := e.Store.EdgeDevices(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"devices": nonNil(devices)})
}

// Create adds an edge device for a site and returns a one-time code.
func (e *EdgeAPI) Create(c *gin.Context) {
	var req createEdgeRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	d, en, err := e.Store.By(&p.User).CreateEdgeDevice(c.Request.Context(), p.OrganizationID, req.SiteID, req.Name)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, EdgeCreated{Device: d, Enrollment: en})
}

// NewCode issues a fresh enrollment code, to set up or replace the laptop.
func (e *EdgeAPI) NewCode(c *gin.Context) {
	p := principal(c)
	en, err := e.Store.By(&p.User).NewEdgeEnrollment(c.Request.Context(), p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, en)
}

// Revoke stops a device's token at once; its next sync is refused.
func (e *EdgeAPI) Revoke(c *gin.Context) {
	p := principal(c)
	d, err := e.Store.By(&p.User).RevokeEdgeDevice(c.Request.Context(), p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// Enroll trades a one-time code for a device token and the state the van
// needs. Anonymous, and rate limited per client address.
func (e *EdgeAPI) Enroll(c *gin.Context) {
	var req edge.EnrollRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	ea, token, err := e.Store.By(nil).EnrollEdge(c.Request.Context(), req.Code)
	if errors.Is(err, store.ErrCredentials) {
		abort(c, invalidField("code", "is not valid or has expired; ask an admin for a new code"))
		return
	}
	if err != nil {
		abort(c, err)
		return
	}
	st, err := e.Store.EdgeState(c.Request.Context(), ea)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, edge.EnrollResponse{Token: token, Device: ea.Device, State: st})
}

// requireEdge authenticates the device token. A revoked device gets a 401
// that says so, for the van's console to show.
func (e *EdgeAPI) requireEdge(c *gin.Context) {
	secret, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok || secret == "" {
		abort(c, unauthenticated("This needs an edge device's token."))
		return
	}
	ea, err := e.Store.EdgeByToken(c.Request.Context(), secret)
	if err != nil {
		abort(c, credentialError(err, "This edge device is not enrolled or was revoked. Ask an admin to enroll it again; what it holds is kept."))
		return
	}
	c.Set(edgeKey, ea)
	c.Next()
}

func edgeDevice(c *gin.Context) store.EdgeAuth {
	v, _ := c.Get(edgeKey)
	ea, _ := v.(store.EdgeAuth)
	return ea
}

// State is what the van pulls down whenever it is online.
func (e *EdgeAPI) State(c *gin.Context) {
	st, err := e.Store.EdgeState(c.Request.Context(), edgeDevice(c))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// Batches stores a batch of what the van recorded, exactly once. Free text
// is scrubbed again before anything is hashed or stored.
func (e *EdgeAPI) Batches(c *gin.Context) {
	var b edge.Batch
	if err := decodeJSON(c.Request, &b); err != nil {
		abort(c, err)
		return
	}
	in := store.EdgeBatch{Batch: b, ItemHashes: make([][]byte, len(b.Items))}
	for i := range b.Items {
		if s := b.Items[i].Submission; s != nil && s.Text != "" {
			s.Text, _ = privacy.Scrub(s.Text)
		}
		in.ItemHashes[i] = hashJSON(b.Items[i])
	}
	in.RequestHash = hashJSON(b)
	res, err := e.Store.ApplyEdgeBatch(c.Request.Context(), edgeDevice(c), in, func(text string, words []string) (string, []string) {
		return text, privacy.ContainsAny(text, words)
	})
	if errors.Is(err, store.ErrIdempotencyMismatch) {
		abort(c, &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "This batch or item id was used before with other content."})
		return
	}
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// hashJSON is the SHA-256 of v's JSON encoding (decoded types always encode).
func hashJSON(v any) []byte {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return sum[:]
}

// Console tells the van's facilitators whether upstream answered, when the
// van last synced and what waits to be sent; on the main server it says
// it is not an edge.
func (e *EdgeAPI) Console(c *gin.Context) {
	out, err := e.Store.EdgeConsole(c.Request.Context())
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
