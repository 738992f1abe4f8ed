package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
)

// ResearchSampleAPI lets admins draw overlap samples for blind double
// coding, read the agreement table and reconcile disagreements.
type ResearchSampleAPI struct {
	Store *store.Store
}

// List returns the organization's samples.
func (r *ResearchSampleAPI) List(c *gin.Context) {
	samples, err := r.Store.Samples(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"samples": nonNil(samples)})
}

type sampleRequest struct {
	SharePercent int      `json:"share_percent" validate:"required,min=1,max=100"`
	Seed         int64    `json:"seed"`
	CoderIDs     []string `json:"coder_ids" validate:"required,min=2,max=20,dive,uuid"`
}

// Draw draws an overlap sample, stratified by site, from the seed.
func (r *ResearchSampleAPI) Draw(c *gin.Context) {
	var req sampleRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	sample, err := r.Store.By(&p.User).DrawSample(c.Request.Context(), p.OrganizationID, req.SharePercent, req.Seed, req.CoderIDs)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, sample)
}

// Agreement returns a sample's agreement table and its disagreements.
func (r *ResearchSampleAPI) Agreement(c *gin.Context) {
	table, err := r.Store.Agreement(c.Request.Context(), principal(c).OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, table)
}

type reconcileRequest struct {
	ExcerptID string `json:"excerpt_id" validate:"required,uuid"`
	CodeID    string `json:"code_id" validate:"required,uuid"`
	Present   *bool  `json:"present" validate:"required"`
}

// Reconcile records the agreed coding of one disagreement.
func (r *ResearchSampleAPI) Reconcile(c *gin.Context) {
	var req reconcileRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	ctx := c.Request.Context()
	if _, err := r.Store.Sample(ctx, p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	rec, err := r.Store.By(&p.User).Reconcile(ctx, p.OrganizationID, req.ExcerptID, req.CodeID, *req.Present)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, rec)
}
