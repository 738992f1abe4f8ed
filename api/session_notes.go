package api

import (
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
)

// SessionNotesAPI is a facilitator's notes on a live session: scrubbed
// before anything is stored, and kept as the session's research excerpt
// of kind 'notes' for coders (docs/research.md).
type SessionNotesAPI struct {
	Store *store.Store
	// Scrub removes identifiers from the notes before anything is stored
	// (privacy.Scrub).
	Scrub func(string) (string, int)
}

// routeSessionNotes wires the notes of a session for those who run
// sessions (runs); coders read them through the research routes.
func routeSessionNotes(v1 *gin.RouterGroup, notes *SessionNotesAPI, runs gin.HandlerFunc) {
	v1.GET("/sessions/:id/notes", runs, notes.Get)
	v1.PUT("/sessions/:id/notes", runs, notes.Save)
}

type notesRequest struct {
	// Text is the whole notes; blank removes them.
	Text string `json:"text"`
}

// NotesSaved is the stored notes and how many identifiers the scrubber
// took out of what was sent.
type NotesSaved struct {
	Notes   store.SessionNotes `json:"notes"`
	Removed int                `json:"removed"`
}

// Get returns a session's notes as stored (scrubbed).
func (n *SessionNotesAPI) Get(c *gin.Context) {
	notes, err := n.Store.SessionNotes(c.Request.Context(), principal(c).OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, notes)
}

// Save scrubs the notes sent and stores only the scrubbed text, replacing
// the session's notes.
func (n *SessionNotesAPI) Save(c *gin.Context) {
	var req notesRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	// Too long is refused before scrubbing, so the limit is the one the
	// facilitator sees in the text box.
	if utf8.RuneCountInString(req.Text) > store.MaxNotesRunes {
		abort(c, invalidField("text", "must be at most 20,000 characters"))
		return
	}
	clean, removed := n.Scrub(req.Text)
	req.Text = "" // the original goes no further
	p := principal(c)
	notes, err := n.Store.By(&p.User).SaveSessionNotes(c.Request.Context(), p.OrganizationID, c.Param("id"), clean, removed)
	if errors.Is(err, store.ErrNotesCoded) {
		err = &Error{Status: http.StatusConflict, Code: "notes_coded",
			Message: "Coders have started coding these notes, so they can no longer be changed. Nothing was saved."}
	}
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, NotesSaved{Notes: notes, Removed: removed})
}
