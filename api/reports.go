package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// ReportAPI serves the aggregated reports: the dashboard's figures, their
// CSV exports and the JSON API for a program's analysts (docs/openapi.yaml).
// Every count goes through small-cell suppression, whoever asks.
type ReportAPI struct {
	Store    *store.Store
	Reporter *report.Reporter
}

// maxReportDays bounds a report's range (five years).
const maxReportDays = 5 * 366

// reportScope reads the filters every report takes: from, to (days),
// period, and site_id or setting (urban, rural) or kind (fixed, mobile).
func (a *ReportAPI) reportScope(c *gin.Context) (report.Scope, []models.Site, models.Organization, error) {
	ctx := c.Request.Context()
	orgID := principal(c).OrganizationID
	org, err := a.Store.Organization(ctx, orgID)
	if err != nil {
		return report.Scope{}, nil, org, err
	}
	// By default the last twelve complete months: a month still under way
	// changes every day, and its small counts would hide the totals that
	// include it (docs/suppression.md).
	now := a.Store.Now().UTC()
	to := models.DayOf(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC), time.UTC).AddDays(-1)
	from := models.DayOf(time.Date(now.Year()-1, now.Month(), 1, 0, 0, 0, 0, time.UTC), time.UTC)
	if err := dayRange(c, &from, &to); err != nil {
		return report.Scope{}, nil, org, err
	}
	if to.Time().Before(from.Time()) {
		return report.Scope{}, nil, org, invalidField("to", "must not be before from")
	}
	if to.Time().Sub(from.Time()).Hours()/24 > maxReportDays {
		return report.Scope{}, nil, org, invalidField("from", "a report covers at most five years")
	}
	period := c.DefaultQuery("period", report.PeriodMonth)
	if !slices.Contains(report.Periods, period) {
		return report.Scope{}, nil, org, invalidField("period", "must be one of: "+strings.Join(report.Periods, ", "))
	}
	sites, err := a.Store.Sites(ctx, orgID)
	if err != nil {
		return report.Scope{}, nil, org, err
	}
	siteID, setting, kind := c.Query("site_id"), c.Query("setting"), c.Query("kind")
	if setting != "" && setting != models.SiteUrban && setting != models.SiteRural {
		return report.Scope{}, nil, org, invalidField("setting", "must be one of: urban, rural")
	}
	if kind != "" && kind != models.SiteFixed && kind != models.SiteMobile {
		return report.Scope{}, nil, org, invalidField("kind", "must be one of: fixed, mobile")
	}
	scope := report.Scope{OrgID: orgID, From: from, To: to, Period: period, MinCell: org.MinCell}
	if siteID != "" || setting != "" || kind != "" {
		for _, s := range sites {
			if (siteID == "" || s.ID == siteID) && (setting == "" || s.Setting == setting) && (kind == "" || s.Kind == kind) {
				scope.SiteIDs = append(scope.SiteIDs, s.ID)
			}
		}
		if len(scope.SiteIDs) == 0 {
			return report.Scope{}, nil, org, invalidField("site_id", "no site of this program matches these filters")
		}
	}
	return scope, sites, org, nil
}

// categoryReport builds the report of a metric over need or strength
// categories (?by=period|site).
func (a *ReportAPI) categoryReport(metric, kind, title string) gin.HandlerFunc {
	return func(c *gin.Context) {
		scope, sites, org, err := a.reportScope(c)
		if err != nil {
			abort(c, err)
			return
		}
		by := c.DefaultQuery("by", report.ByPeriod)
		if by != report.ByPeriod && by != report.BySite {
			abort(c, invalidField("by", "must be one of: period, site"))
			return
		}
		codes, labels, err := categoryLabels(c.Request.Context(), a.Store, org.ID, kind)
		if err != nil {
			abort(c, err)
			return
		}
		t, err := a.Reporter.Build(c.Request.Context(), scope, metric, by, codes, labels, sites)
		if err != nil {
			abort(c, err)
			return
		}
		t.Title = title
		if wantsCSV(c) {
			writeCSV(c, title, func(w *gin.Context) error { return report.WriteTable(w.Writer, t, csvLang(c)) })
			return
		}
		c.JSON(http.StatusOK, t)
	}
}

// Participation counts submissions by site and period.
func (a *ReportAPI) Participation(c *gin.Context) {
	scope, sites, _, err := a.reportScope(c)
	if err != nil {
		abort(c, err)
		return
	}
	p, err := a.Reporter.Participation(c.Request.Context(), scope, sites)
	if err != nil {
		abort(c, err)
		return
	}
	if wantsCSV(c) {
		t := report.Table{Columns: p.Columns, Rows: p.Sites, Respondents: p.PerPeriod, RespondentsTotal: p.Total, TooFew: p.TooFew}
		writeCSV(c, "participation", func(w *gin.Context) error { return report.WriteTable(w.Writer, t, csvLang(c)) })
		return
	}
	c.JSON(http.StatusOK, p)
}

// About counts the optional "about you" answers, one list per question.
func (a *ReportAPI) About(c *gin.Context) {
	scope, sites, _, err := a.reportScope(c)
	if err != nil {
		abort(c, err)
		return
	}
	qs, err := a.Reporter.About(c.Request.Context(), scope, catalog.About, sites)
	if err != nil {
		abort(c, err)
		return
	}
	if wantsCSV(c) {
		writeCSV(c, "about", func(w *gin.Context) error {
			out := report.NewCSV(w.Writer)
			if err := out.Row("question", "band", "count", "share_percent"); err != nil {
				return err
			}
			for _, q := range qs {
				for _, b := range q.Bands {
					if err := out.Row(q.Question, b.Code, report.CellText(b.Total), report.PercentText(b.Share)); err != nil {
						return err
					}
				}
				if err := out.Row(q.Question, "answered", report.CellText(q.Answered), ""); err != nil {
					return err
				}
			}
			return out.Flush()
		})
		return
	}
	c.JSON(http.StatusOK, gin.H{"questions": qs, "min_cell": privacy.MinK(scope.MinCell), "from": scope.From, "to": scope.To})
}

// dayRange reads ?from= and ?to= (YYYY-MM-DD) over the defaults given.
func dayRange(c *gin.Context, from, to *models.Day) error {
	for _, q := range []struct {
		name string
		day  *models.Day
	}{{"from", from}, {"to", to}} {
		if v := c.Query(q.name); v != "" {
			d, err := models.ParseDay(v)
			if err != nil {
				return invalidField(q.name, "must be a day such as 2026-01-31")
			}
			*q.day = d
		}
	}
	return nil
}

func wantsCSV(c *gin.Context) bool { return c.Query("format") == "csv" }

func csvLang(c *gin.Context) string {
	if l := c.Query("lang"); slices.Contains(catalog.Languages, l) {
		return l
	}
	return "en"
}

// writeCSV sends an attachment; the body is written by fill.
func writeCSV(c *gin.Context, name string, fill func(*gin.Context) error) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="chorus-%s.csv"`, strings.ReplaceAll(name, " ", "-")))
	c.Status(http.StatusOK)
	if err := fill(c); err != nil {
		_ = c.Error(err)
	}
}

// Sessions reports live-session meetings and the people who voted in them.
func (a *ReportAPI) Sessions(c *gin.Context) {
	scope, sites, _, err := a.reportScope(c)
	if err != nil {
		abort(c, err)
		return
	}
	s, err := a.Reporter.Sessions(c.Request.Context(), scope, sites)
	if err != nil {
		abort(c, err)
		return
	}
	if wantsCSV(c) {
		t := report.Table{Columns: s.Columns, Rows: s.Participants, Respondents: s.PerPeriod, RespondentsTotal: s.Total, TooFew: s.TooFew}
		writeCSV(c, "session-participants", func(w *gin.Context) error { return report.WriteTable(w.Writer, t, csvLang(c)) })
		return
	}
	c.JSON(http.StatusOK, s)
}

// proposalSupport is a proposal's answers as a report shows them.
type proposalSupport struct {
	ID      string       `json:"id"`
	Title   models.Text  `json:"title"`
	Status  string       `json:"status"`
	Origin  string       `json:"origin"`
	Support answerCounts `json:"support"`
}

// reportedProposals bounds how many proposals the report lists.
const reportedProposals = 50

// Proposals reports the accountability figures and each proposal's
// support (answers from kiosks and live sessions), suppressed.
func (a *ReportAPI) Proposals(c *gin.Context) {
	scope, sites, org, err := a.reportScope(c)
	if err != nil {
		abort(c, err)
		return
	}
	ctx := c.Request.Context()
	inScope := scope.SiteIDs
	if len(inScope) == 0 {
		for _, s := range sites {
			inScope = append(inScope, s.ID)
		}
	}
	site := ""
	if len(scope.SiteIDs) == 1 {
		site = scope.SiteIDs[0]
	}
	fig, err := a.Store.ProposalFigures(ctx, org.ID, site)
	if err != nil {
		abort(c, err)
		return
	}
	list, err := a.Store.Proposals(ctx, org.ID, store.ProposalFilter{SiteID: site})
	if err != nil {
		abort(c, err)
		return
	}
	shown, ids := putToPeople(list, reportedProposals)
	support, err := a.Store.SupportOf(ctx, org.ID, ids)
	if err != nil {
		abort(c, err)
		return
	}
	out := []proposalSupport{}
	for _, p := range shown {
		cells, total, _ := report.ProtectSupport(org.MinCell, sites, supportCounts(support[p.ID])).Of(inScope)
		out = append(out, proposalSupport{ID: p.ID, Title: p.Title, Status: p.Status, Origin: p.Origin, Support: answerRow(cells, total)})
	}
	if wantsCSV(c) {
		writeCSV(c, "proposals", func(w *gin.Context) error {
			csvOut := report.NewCSV(w.Writer)
			if err := csvOut.Row("id", "title", "status", "origin", "agree", "disagree", "unsure", "total"); err != nil {
				return err
			}
			for _, p := range out {
				s := p.Support
				if err := csvOut.Row(p.ID, p.Title.In(csvLang(c)), p.Status, p.Origin, report.CellText(s.Agree), report.CellText(s.Disagree),
					report.CellText(s.Unsure), report.CellText(s.Total)); err != nil {
					return err
				}
			}
			return csvOut.Flush()
		})
		return
	}
	c.JSON(http.StatusOK, gin.H{"figures": fig, "proposals": out, "min_cell": privacy.MinK(org.MinCell)})
}

// putToPeople keeps the first n proposals that are not drafts, and their ids.
func putToPeople(list []store.ProposalView, n int) ([]store.ProposalView, []string) {
	var shown []store.ProposalView
	var ids []string
	for _, p := range list {
		if len(shown) == n {
			break
		}
		if p.Status != models.StatusDraft {
			shown = append(shown, p)
			ids = append(ids, p.ID)
		}
	}
	return shown, ids
}

// supportCounts is a proposal's answers per site, in store.SupportAnswers
// order.
func supportCounts(support []store.SiteSupport) map[string][]int {
	out := map[string][]int{}
	for _, s := range support {
		for _, ans := range store.SupportAnswers {
			out[s.SiteID] = append(out[s.SiteID], s.Combined(ans))
		}
	}
	return out
}
