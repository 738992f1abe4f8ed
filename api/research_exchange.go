package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/research/refiqda"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// ResearchExchangeAPI hands codebooks and projects to and from other
// qualitative research tools in the REFI-QDA formats.
type ResearchExchangeAPI struct {
	Store *store.Store
}

// exchangeLang is the language a file's names and notes are read or
// written in (REFI-QDA has one name per code).
func exchangeLang(c *gin.Context) (string, error) {
	switch lang := c.DefaultQuery("lang", "en"); lang {
	case "en", "es":
		return lang, nil
	}
	return "", invalidField("lang", "must be en or es")
}

// ExportCodebook answers a codebook as a .qdc file.
func (r *ResearchExchangeAPI) ExportCodebook(c *gin.Context) {
	lang, err := exchangeLang(c)
	if err != nil {
		abort(c, err)
		return
	}
	cb, codes, err := r.Store.ExportCodebook(c.Request.Context(), principal(c).OrganizationID, c.Param("id"), lang)
	if err != nil {
		abort(c, err)
		return
	}
	var buf bytes.Buffer
	if err := refiqda.WriteCodebook(&buf, "Chorus", codes); err != nil {
		abort(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="codebook-%s.qdc"`, cb.ID))
	c.Data(http.StatusOK, "application/xml; charset=utf-8", buf.Bytes())
}

// ImportCodebook reads a .qdc (or the codebook of a .qdpx) sent as the
// request body and stores it as a new codebook named by ?name=.
func (r *ResearchExchangeAPI) ImportCodebook(c *gin.Context) {
	lang, err := exchangeLang(c)
	if err != nil {
		abort(c, err)
		return
	}
	data, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		abort(c, &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
			Message: fmt.Sprintf("The file is larger than %d MB. Nothing was imported.", MaxBodyBytes>>20)})
		return
	case err != nil:
		abort(c, err)
		return
	}
	codes, err := refiqda.ReadCodebook(data)
	if err != nil {
		abort(c, err)
		return
	}
	name := c.DefaultQuery("name", "Imported codebook")
	p := principal(c)
	cb, err := r.Store.By(&p.User).ImportCodebook(c.Request.Context(), p.OrganizationID, name, lang, codes)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, cb)
}

// ExportProject answers the organization's research as a .qdpx project.
func (r *ResearchExchangeAPI) ExportProject(c *gin.Context) {
	r.exportProject(c, "qdpx", `attachment; filename="chorus-project.qdpx"`, "application/zip", refiqda.WriteProject)
}

// ExportCodingsCSV answers every coding as a CSV row (excerpt, site, day,
// code, coder, span and the coded words), every cell formula-neutralized
// like every CSV Chorus writes.
func (r *ResearchExchangeAPI) ExportCodingsCSV(c *gin.Context) {
	r.exportProject(c, "csv", `attachment; filename="chorus-codings.csv"`, "text/csv; charset=utf-8", writeCodingsCSV)
}

// exportProject reads the organization's research in ?lang= and answers
// it as write renders it, an attachment: texts people gave, so admins
// only (the routes say so), and recorded in the audit log with the format
// and how many texts it holds, before anything is sent.
func (r *ResearchExchangeAPI) exportProject(c *gin.Context, format, disposition, contentType string, write func(io.Writer, refiqda.Project) error) {
	lang, err := exchangeLang(c)
	if err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	ctx := c.Request.Context()
	project, err := r.Store.ExportProject(ctx, p.OrganizationID, lang)
	if err != nil {
		abort(c, err)
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, project); err != nil {
		abort(c, err)
		return
	}
	detail := models.Bands{"format": format, "sources": fmt.Sprint(len(project.Sources))}
	if err := r.Store.Audit(ctx, p.OrganizationID, &p.User, store.AuditResearchExport, "organization", p.OrganizationID, detail); err != nil {
		abort(c, err)
		return
	}
	c.Header("Content-Disposition", disposition)
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

func writeCodingsCSV(w io.Writer, p refiqda.Project) error {
	names := map[string]string{}
	var walk func([]refiqda.Code)
	walk = func(list []refiqda.Code) {
		for _, c := range list {
			names[c.GUID] = c.Name
			walk(c.Children)
		}
	}
	walk(p.Codes)
	users := map[string]string{}
	for _, u := range p.Users {
		users[u.GUID] = u.Name
	}
	out := report.NewCSV(w)
	if err := out.Row("excerpt", "site", "day", "code", "coder", "start", "end", "text"); err != nil {
		return err
	}
	for _, s := range p.Sources {
		row := func(cd refiqda.Coding, start, end string, text string) error {
			return out.Row(s.GUID, s.Site, s.Day, names[cd.CodeGUID], users[cd.UserGUID], start, end, text)
		}
		for _, cd := range s.Whole {
			if err := row(cd, "", "", s.Text); err != nil {
				return err
			}
		}
		runes := []rune(s.Text)
		for _, sel := range s.Selections {
			for _, cd := range sel.Codings {
				if err := row(cd, fmt.Sprint(sel.Start), fmt.Sprint(sel.End), string(runes[sel.Start:sel.End])); err != nil {
					return err
				}
			}
		}
	}
	return out.Flush()
}
