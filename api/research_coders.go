package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// CoderStore is what the coder permission needs of the store.
type CoderStore interface {
	IsCoder(ctx context.Context, orgID, userID string) (bool, error)
	Coders(ctx context.Context, orgID string) ([]store.Coder, error)
	By(user *models.User) store.Actor
}

// ResearchCoderAPI lets admins give and take the coder permission.
type ResearchCoderAPI struct {
	Store CoderStore
}

// requireCoder lets through an admin or staff member who holds the coder
// permission in their organization; it runs after require.
func requireCoder(st CoderStore) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		ok, err := st.IsCoder(c.Request.Context(), p.OrganizationID, p.User.ID)
		switch {
		case err != nil:
			abort(c, err)
		case !ok:
			abort(c, forbidden("Only coders may do this. An admin can make you a coder."))
		default:
			c.Next()
		}
	}
}

// requireCoderOrAdmin lets through admins, and staff who are coders.
func requireCoderOrAdmin(st CoderStore) gin.HandlerFunc {
	coder := requireCoder(st)
	return func(c *gin.Context) {
		if principal(c).Role == models.RoleAdmin {
			c.Next()
			return
		}
		coder(c)
	}
}

// Access tells the staff pages what the caller may do in the research
// workspace.
func (r *ResearchCoderAPI) Access(c *gin.Context) {
	p := principal(c)
	ok, err := r.Store.IsCoder(c.Request.Context(), p.OrganizationID, p.User.ID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"coder": ok, "manages": p.Role == models.RoleAdmin})
}

// List returns the organization's coders.
func (r *ResearchCoderAPI) List(c *gin.Context) {
	coders, err := r.Store.Coders(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"coders": nonNil(coders)})
}

type setCoderRequest struct {
	Coder *bool `json:"coder" validate:"required"`
}

// Set gives or takes one member's coder permission.
func (r *ResearchCoderAPI) Set(c *gin.Context) {
	var req setCoderRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	if err := r.Store.By(&p.User).SetCoder(c.Request.Context(), p.OrganizationID, c.Param("id"), *req.Coder); err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"user_id": c.Param("id"), "coder": *req.Coder})
}
