package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// AskStore is what putting findings to the kiosks changes.
type AskStore interface {
	By(user *models.User) store.Actor
}

// ResearchAskAPI puts a finding to the kiosks of chosen sites (or all) for
// a period of days, and stops it (admins and staff). The kiosks ask it
// after a participant's own feedback; answers come back inside the
// submission (member_check).
type ResearchAskAPI struct {
	Store AskStore
}

type askRequest struct {
	// SiteIDs are the sites whose kiosks ask; empty or left out: every site.
	SiteIDs  []string   `json:"site_ids" validate:"max=100,dive,uuid"`
	StartDay models.Day `json:"start_day" validate:"required"`
	EndDay   models.Day `json:"end_day" validate:"required"`
}

// Ask puts a finding to the kiosks: 201 with one period per site (or one
// for every site).
func (r *ResearchAskAPI) Ask(c *gin.Context) {
	var req askRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	asks, err := r.Store.By(&p.User).AskAtKiosks(c.Request.Context(), p.OrganizationID, c.Param("id"),
		store.AskInput{SiteIDs: req.SiteIDs, Start: req.StartDay, End: req.EndDay})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"asks": asks})
}

// Stop ends one period of a finding at the kiosks: 204.
func (r *ResearchAskAPI) Stop(c *gin.Context) {
	p := principal(c)
	if err := r.Store.By(&p.User).StopAsking(c.Request.Context(), p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// findingAsks is the part of FindingStore that lists a finding's periods.
type findingAsks interface {
	FindingAsks(ctx context.Context, orgID, findingID string) ([]models.ResearchFindingAsk, error)
}
