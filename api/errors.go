package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/research/docx"
	"github.com/chorus-hr/chorus/internal/research/refiqda"
	"github.com/chorus-hr/chorus/internal/store"
)

// Error is an API error as every client sees it:
//
//	{"error":{"code":"invalid_input","message":"…","fields":{"field":"reason"}}}
type Error struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

type errorBody struct {
	Error *Error `json:"error"`
}

// Error codes shared by every endpoint.
const (
	CodeInvalidInput     = "invalid_input"
	CodeInvalidJSON      = "invalid_json"
	CodeTooLarge         = "too_large"
	CodeUnsupportedMedia = "unsupported_media_type"
	CodeNotFound         = "not_found"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeConflict         = "conflict"
	CodeUnauthenticated  = "unauthenticated"
	CodeForbidden        = "forbidden"
	CodeRateLimited      = "rate_limited"
	CodeUnavailable      = "unavailable"
	CodeInternal         = "internal"
	// CodeIllegalTransition refuses a move a proposal's lifecycle forbids.
	CodeIllegalTransition = "illegal_transition"
	// CodeNotOpen refuses support for a proposal that is not open.
	CodeNotOpen = "not_open"
)

// Constructors for the common errors.
func badRequest(code, message string, fields map[string]string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: message, Fields: fields}
}

func invalidField(field, reason string) *Error {
	return badRequest(CodeInvalidInput, "Please check the highlighted fields.", map[string]string{field: reason})
}

// unavailable says the server cannot do this now but will soon: the client
// keeps what it sent and tries again.
func unavailable() *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "We cannot save this right now. It will be tried again soon."}
}

func notFound() *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "Not found."}
}

// errorRenderer turns the last error a handler attached with c.Error into
// the uniform JSON body, mapping domain errors to HTTP statuses in one place.
func errorRenderer(log *slog.Logger, outage *database.Outage) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 || c.Writer.Written() {
			return
		}
		err := c.Errors.Last().Err
		apiErr := toAPIError(err)
		logFailure(c, log, outage, err, apiErr)
		if apiErr.Code == CodeUnavailable {
			c.Header("Retry-After", retryAfterSeconds)
		}
		c.AbortWithStatusJSON(apiErr.Status, errorBody{apiErr})
	}
}

// retryAfterSeconds is what a 503 tells clients to wait before trying
// again: long enough not to hammer a database that is coming back, short
// enough that a kiosk's outbox empties soon after it does.
const retryAfterSeconds = "5"

// logFailure logs a failure on our side once: an unavailable database is
// logged once per outage (by outage), anything else once per request. The
// route and error only: never the request body or client details.
func logFailure(c *gin.Context, log *slog.Logger, outage *database.Outage, err error, apiErr *Error) {
	switch {
	case apiErr.Status < 500:
	case database.Unavailable(err):
		outage.Seen(err)
	default:
		logFor(c, log).Error("request failed", "route", c.FullPath(), "error", err)
	}
}

func toAPIError(err error) *Error {
	var (
		apiErr  *Error
		invalid *store.InvalidError
		move    *store.TransitionError
		refused *refiqda.ImportError
		word    *docx.Error
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case database.Unavailable(err):
		return unavailable()
	case errors.As(err, &move):
		return &Error{Status: http.StatusConflict, Code: CodeIllegalTransition, Message: "Not allowed: " + move.Error() + ".",
			Fields: map[string]string{"status": "cannot be " + move.To}}
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "idempotency_mismatch",
			Message: "This Idempotency-Key was already used with a different request.", Fields: map[string]string{IdempotencyHeader: "was used with a different body"}}
	case errors.Is(err, store.ErrNotOpen):
		return &Error{Status: http.StatusConflict, Code: CodeNotOpen, Message: "This proposal is not open for answers now."}
	case errors.As(err, &refused):
		return badRequest("import_refused", "This file was not imported: "+refused.Reason+". Nothing was changed.", map[string]string{"file": refused.Reason})
	case errors.As(err, &word):
		return badRequest("import_refused", "This file was not imported: "+word.Reason+". Nothing was changed.", map[string]string{"docx": word.Reason})
	case errors.Is(err, store.ErrSubmitted):
		return &Error{Status: http.StatusConflict, Code: "already_submitted", Message: "You have submitted this excerpt: your codes on it are kept as they are."}
	case errors.Is(err, store.ErrChanged):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "Someone else changed this at the same time. Reload it and try again."}
	case errors.As(err, &invalid):
		return invalidField(invalid.Field, invalid.Reason)
	case errors.Is(err, store.ErrNotFound):
		return notFound()
	case errors.Is(err, store.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "That already exists."}
	case errors.Is(err, store.ErrCredentials):
		return unauthenticated("Those credentials were not accepted.")
	case errors.Is(err, gorm.ErrRecordNotFound):
		return notFound()
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "That already exists."}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "That refers to something that does not exist."}
	}
	return &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "Something went wrong on our side. Please try again."}
}

// abort ends the request with err rendered as the uniform error body.
func abort(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}

// writeError renders err immediately, for middleware that runs outside the
// errorRenderer (such as the recovery and routing fallbacks).
func writeError(c *gin.Context, err *Error) {
	c.AbortWithStatusJSON(err.Status, errorBody{err})
}
