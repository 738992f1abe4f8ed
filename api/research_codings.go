package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
)

// ResearchCodingAPI is what a coder does to an excerpt: apply and take back
// codes, submit, write memos.
type ResearchCodingAPI struct {
	Store *store.Store
}

type codingRequest struct {
	CodeID string `json:"code_id" validate:"required,uuid"`
	// Start and End are code points into the excerpt's text; both absent
	// applies the code to the whole text.
	Start *int `json:"start" validate:"required_with=End,omitempty,min=0"`
	End   *int `json:"end" validate:"required_with=Start,omitempty,min=1"`
}

// Add applies a code to an excerpt.
func (r *ResearchCodingAPI) Add(c *gin.Context) {
	var req codingRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	var span *store.Span
	if req.Start != nil && req.End != nil {
		span = &store.Span{Start: *req.Start, End: *req.End}
	}
	p := principal(c)
	coding, err := r.Store.By(&p.User).AddCoding(c.Request.Context(), p.OrganizationID, c.Param("id"), req.CodeID, span)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, coding)
}

// Remove takes back one of the caller's codings.
func (r *ResearchCodingAPI) Remove(c *gin.Context) {
	p := principal(c)
	if err := r.Store.By(&p.User).RemoveCoding(c.Request.Context(), p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Submit records that the caller has finished an excerpt.
func (r *ResearchCodingAPI) Submit(c *gin.Context) {
	p := principal(c)
	if err := r.Store.By(&p.User).SubmitExcerpt(c.Request.Context(), p.OrganizationID, c.Param("id")); err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"submitted": true})
}

type memoRequest struct {
	ExcerptID *string `json:"excerpt_id" validate:"omitempty,uuid"`
	CodeID    *string `json:"code_id" validate:"omitempty,uuid"`
	Body      string  `json:"body" validate:"required,max=40000"`
}

// AddMemo writes a memo on an excerpt or a code.
func (r *ResearchCodingAPI) AddMemo(c *gin.Context) {
	var req memoRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	memo, err := r.Store.By(&p.User).AddMemo(c.Request.Context(), p.OrganizationID, req.ExcerptID, req.CodeID, req.Body)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, memo)
}
