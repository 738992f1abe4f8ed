package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/research/docx"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// ResearchExcerptAPI is the coding workspace's texts: moderated kiosk text
// and uploaded transcripts.
type ResearchExcerptAPI struct {
	Store *store.Store
	// Scrub removes identifiers from an uploaded transcript before
	// anything is stored (privacy.Scrub).
	Scrub func(string) (string, int)
}

// List returns a page of excerpts matching the query's filters: site,
// kind, code, q (search), from and to (days), assigned=1, limit, offset.
func (r *ResearchExcerptAPI) List(c *gin.Context) {
	f := store.ExcerptFilter{
		SiteID: c.Query("site"), Kind: c.Query("kind"), CodeID: c.Query("code"), Query: c.Query("q"),
		AssignedOnly: c.Query("assigned") == "1",
	}
	for _, id := range []struct{ name, value string }{{"site", f.SiteID}, {"code", f.CodeID}} {
		if id.value != "" && !models.IsID(id.value) {
			abort(c, invalidField(id.name, "must be an identifier"))
			return
		}
	}
	if f.Kind != "" && f.Kind != models.ExcerptKiosk && f.Kind != models.ExcerptComment && f.Kind != models.ExcerptTranscript && f.Kind != models.ExcerptNotes {
		abort(c, invalidField("kind", "must be kiosk, comment, transcript or notes"))
		return
	}
	for _, d := range []struct {
		name string
		dst  **models.Day
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := c.Query(d.name); s != "" {
			day, err := models.ParseDay(s)
			if err != nil {
				abort(c, invalidField(d.name, "must be a day (YYYY-MM-DD)"))
				return
			}
			*d.dst = &day
		}
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if s := c.Query(n.name); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				abort(c, invalidField(n.name, "must be a whole number"))
				return
			}
			*n.dst = v
		}
	}
	p := principal(c)
	list, total, err := r.Store.Excerpts(c.Request.Context(), p.OrganizationID, p.User.ID, f)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"excerpts": nonNil(list), "total": total})
}

// ExcerptDetail is one excerpt with the codings its reader may see and
// its memos.
type ExcerptDetail struct {
	store.ExcerptView
	store.ExcerptCodings
	Memos []models.ResearchMemo `json:"memos"`
}

// Get returns one excerpt with its whole text, codings and memos.
func (r *ResearchExcerptAPI) Get(c *gin.Context) {
	ctx, p := c.Request.Context(), principal(c)
	ex, err := r.Store.Excerpt(ctx, p.OrganizationID, p.User.ID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	codings, err := r.Store.Codings(ctx, p.OrganizationID, p.User.ID, ex.ID)
	if err != nil {
		abort(c, err)
		return
	}
	memos, err := r.Store.Memos(ctx, p.OrganizationID, p.User.ID, &ex.ID, nil)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, ExcerptDetail{ExcerptView: ex, ExcerptCodings: codings, Memos: memos})
}

type transcriptRequest struct {
	SiteID string `json:"site_id" validate:"required,uuid"`
	Day    string `json:"day" validate:"required"`
	Title  string `json:"title" validate:"max=200"`
	// Text is plain text or Markdown; Docx is a Word file in base64.
	// A transcript comes as one or the other.
	Text string `json:"text"`
	Docx string `json:"docx"`
}

// transcriptText is the request's transcript as text, read from the
// Word file when one was sent. Nothing is scrubbed or stored yet.
func (req *transcriptRequest) transcriptText() (string, error) {
	switch {
	case req.Text != "" && req.Docx != "":
		return "", invalidField("docx", "send the text or a .docx file, not both")
	case req.Docx != "":
		data, err := base64.StdEncoding.DecodeString(req.Docx)
		if err != nil {
			return "", invalidField("docx", "must be a .docx file in base64")
		}
		return docx.Text(data)
	case strings.TrimSpace(req.Text) == "":
		return "", invalidField("text", "is required (or send a .docx file)")
	}
	return req.Text, nil
}

// TranscriptImported is a stored transcript and how many identifiers the
// scrubber took out of it.
type TranscriptImported struct {
	Excerpt store.ExcerptView `json:"excerpt"`
	Removed int               `json:"removed"`
}

// ImportTranscript scrubs an uploaded transcript (text, Markdown or the
// paragraphs of a .docx) and stores only the scrubbed text, with its site
// and day.
func (r *ResearchExcerptAPI) ImportTranscript(c *gin.Context) {
	var req transcriptRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	day, err := models.ParseDay(req.Day)
	if err != nil {
		abort(c, invalidField("day", "must be a day (YYYY-MM-DD)"))
		return
	}
	text, err := req.transcriptText()
	req.Text, req.Docx = "", "" // the original goes no further
	if err != nil {
		abort(c, err)
		return
	}
	clean, removed := r.Scrub(text)
	p := principal(c)
	ex, err := r.Store.By(&p.User).ImportTranscript(c.Request.Context(), p.OrganizationID, req.SiteID, day, req.Title, clean, removed)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, TranscriptImported{Excerpt: ex, Removed: removed})
}
