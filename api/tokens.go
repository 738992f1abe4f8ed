package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// TokenAPI manages API tokens: each user their own; admins any in the
// organization.
type TokenAPI struct {
	Store *store.Store
}

type createTokenRequest struct {
	Name string `json:"name" validate:"max=100"`
}

// TokenCreated shows the secret once.
type TokenCreated struct {
	models.APIToken
	Token string `json:"token"`
}

// List returns the caller's tokens (an admin sees the organization's).
func (t *TokenAPI) List(c *gin.Context) {
	p := principal(c)
	tokens, err := t.Store.APITokens(c.Request.Context(), p.OrganizationID, ownerFilter(p))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": nonNil(tokens)})
}

// Create makes a token for the caller.
func (t *TokenAPI) Create(c *gin.Context) {
	var req createTokenRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	tok, secret, err := t.Store.By(&p.User).CreateAPIToken(c.Request.Context(), p.OrganizationID, req.Name)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, TokenCreated{APIToken: tok, Token: secret})
}

// Revoke stops a token at once.
func (t *TokenAPI) Revoke(c *gin.Context) {
	p := principal(c)
	if err := t.Store.By(&p.User).RevokeAPIToken(c.Request.Context(), p.OrganizationID, ownerFilter(p), c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// ownerFilter limits non-admins to their own tokens.
func ownerFilter(p store.Principal) string {
	if p.Role == models.RoleAdmin {
		return ""
	}
	return p.User.ID
}
