package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// ResearchCodebookAPI shows and edits the organization's codebooks.
type ResearchCodebookAPI struct {
	Store *store.Store
}

// CodebookWithCodes is a codebook and its codes as they read now.
type CodebookWithCodes struct {
	models.Codebook
	Codes []store.CodeView `json:"codes"`
}

type codeRequest struct {
	ParentID   *string     `json:"parent_id" validate:"omitempty,uuid"`
	Name       models.Text `json:"name" validate:"required"`
	Definition models.Text `json:"definition"`
	Inclusion  models.Text `json:"inclusion"`
	Exclusion  models.Text `json:"exclusion"`
	Example    models.Text `json:"example"`
	Colour     string      `json:"colour" validate:"required,max=7"`
}

func (r codeRequest) input() store.CodeInput {
	return store.CodeInput{ParentID: r.ParentID, Name: r.Name, Definition: r.Definition, Inclusion: r.Inclusion,
		Exclusion: r.Exclusion, Example: r.Example, Colour: r.Colour}
}

// List returns every codebook with its codes.
func (r *ResearchCodebookAPI) List(c *gin.Context) {
	ctx, org := c.Request.Context(), principal(c).OrganizationID
	books, err := r.Store.Codebooks(ctx, org)
	if err != nil {
		abort(c, err)
		return
	}
	out := make([]CodebookWithCodes, 0, len(books))
	for _, b := range books {
		codes, err := r.Store.Codes(ctx, org, b.ID)
		if err != nil {
			abort(c, err)
			return
		}
		out = append(out, CodebookWithCodes{Codebook: b, Codes: nonNil(codes)})
	}
	c.JSON(http.StatusOK, gin.H{"codebooks": out})
}

// AddCode adds a code to a codebook.
func (r *ResearchCodebookAPI) AddCode(c *gin.Context) {
	var req codeRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	code, err := r.Store.By(&p.User).AddCode(c.Request.Context(), p.OrganizationID, c.Param("id"), req.input())
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, code)
}

// EditCode writes a new version of a code.
func (r *ResearchCodebookAPI) EditCode(c *gin.Context) {
	var req codeRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	code, err := r.Store.By(&p.User).EditCode(c.Request.Context(), p.OrganizationID, c.Param("id"), req.input())
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, code)
}

// RemoveCode takes a code out of its codebook; its codings stay.
func (r *ResearchCodebookAPI) RemoveCode(c *gin.Context) {
	p := principal(c)
	if err := r.Store.By(&p.User).RemoveCode(c.Request.Context(), p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Versions returns every version of a code, oldest first.
func (r *ResearchCodebookAPI) Versions(c *gin.Context) {
	versions, err := r.Store.CodeVersions(c.Request.Context(), principal(c).OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"versions": versions})
}
