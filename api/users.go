package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// UserAPI lets admins manage who works with the organization's feedback.
type UserAPI struct {
	Store *store.Store
}

type addUserRequest struct {
	Email string      `json:"email" validate:"required,max=254"`
	Role  models.Role `json:"role" validate:"required,oneof=admin staff facilitator policymaker"`
}

// UserAdded is a new member and, for a new account, the one-time password
// to hand over (shown once; the user must change it).
type UserAdded struct {
	User            store.Member `json:"user"`
	OneTimePassword string       `json:"one_time_password,omitempty"`
}

// List returns the organization's members.
func (u *UserAPI) List(c *gin.Context) {
	members, err := u.Store.Members(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": nonNil(members)})
}

// Add gives an e-mail address a role, creating the account if needed.
func (u *UserAPI) Add(c *gin.Context) {
	var req addUserRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	ctx := c.Request.Context()
	password := store.GeneratePassword()
	m, created, err := u.Store.By(&p.User).AddMember(ctx, p.OrganizationID, req.Email, req.Role, password)
	if err != nil {
		abort(c, err)
		return
	}
	out := UserAdded{User: m}
	if created {
		out.OneTimePassword = password
	}
	c.JSON(http.StatusCreated, out)
}

type setRoleRequest struct {
	Role models.Role `json:"role" validate:"required,oneof=admin staff facilitator policymaker"`
}

// SetRole changes a member's role; their sessions end so it applies at once.
func (u *UserAPI) SetRole(c *gin.Context) {
	var req setRoleRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	m, err := u.Store.By(&p.User).SetRole(c.Request.Context(), p.OrganizationID, c.Param("id"), req.Role)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// Remove takes a member out of the organization.
func (u *UserAPI) Remove(c *gin.Context) {
	p := principal(c)
	if err := u.Store.By(&p.User).RemoveMember(c.Request.Context(), p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
