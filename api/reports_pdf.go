package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// PDF serves the printable report for a council or board meeting: the
// filters of every report plus lang (en or es). Its charts and tables are
// drawn from the same suppressed tables the JSON reports return.
func (a *ReportAPI) PDF(c *gin.Context) {
	lang := c.DefaultQuery("lang", "en")
	if !slices.Contains(report.PDFLanguages, lang) {
		abort(c, invalidField("lang", "must be one of: "+strings.Join(report.PDFLanguages, ", ")))
		return
	}
	scope, sites, org, err := a.reportScope(c)
	if err != nil {
		abort(c, err)
		return
	}
	r, err := a.pdfReport(c.Request.Context(), scope, sites, org)
	if err != nil {
		abort(c, err)
		return
	}
	r.Lang, r.Setting, r.Kind = lang, c.Query("setting"), c.Query("kind")
	var out bytes.Buffer
	if err := report.WritePDF(&out, r); err != nil {
		abort(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="chorus-report-%s-%s.pdf"`, r.Needs.From, r.Needs.To))
	c.Data(http.StatusOK, "application/pdf", out.Bytes())
}

// pdfReport builds every table the printable report shows.
func (a *ReportAPI) pdfReport(ctx context.Context, scope report.Scope, sites []models.Site, org models.Organization) (report.PDFReport, error) {
	r := report.PDFReport{Organization: org.Name, Prepared: a.Store.Now()}
	for _, s := range sites {
		if slices.Contains(scope.SiteIDs, s.ID) {
			r.Sites = append(r.Sites, s.Name)
		}
	}
	needCodes, needLabels, err := categoryLabels(ctx, a.Store, org.ID, models.KindNeed)
	if err != nil {
		return r, err
	}
	strengthCodes, strengthLabels, err := categoryLabels(ctx, a.Store, org.ID, models.KindStrength)
	if err != nil {
		return r, err
	}
	for _, t := range []struct {
		into   *report.Table
		metric string
		by     string
		codes  []string
		labels report.Labels
	}{
		{&r.Needs, report.MetricNeed, report.ByPeriod, needCodes, needLabels},
		{&r.Priorities, report.MetricPriorityPoints, report.ByPeriod, needCodes, needLabels},
		{&r.NeedsBySite, report.MetricNeed, report.BySite, needCodes, needLabels},
		{&r.Strengths, report.MetricStrength, report.ByPeriod, strengthCodes, strengthLabels},
	} {
		if *t.into, err = a.Reporter.Build(ctx, scope, t.metric, t.by, t.codes, t.labels, sites); err != nil {
			return r, err
		}
	}
	r.Participation, err = a.Reporter.Participation(ctx, scope, sites)
	return r, err
}

// categoryLabels lists an organization's categories of a kind, in order,
// with their labels.
func categoryLabels(ctx context.Context, st *store.Store, orgID, kind string) ([]string, report.Labels, error) {
	cats, err := st.AllCategories(ctx, orgID, kind)
	if err != nil {
		return nil, nil, err
	}
	codes, labels := make([]string, 0, len(cats)), report.Labels{}
	for _, cat := range cats {
		codes = append(codes, cat.Code)
		labels[cat.Code] = cat.Labels
	}
	return codes, labels, nil
}
