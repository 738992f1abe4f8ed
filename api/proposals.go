package api

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// ProposalAPI is the staff side of proposals: what people asked for, the
// program's public answers, and the figures that hold it to account.
type ProposalAPI struct {
	Store    *store.Store
	Reporter *report.Reporter
}

type evidenceRequest struct {
	Kind   string `json:"kind" validate:"required,oneof=need feedback_text live_round"`
	Code   string `json:"code" validate:"max=64"`
	SiteID string `json:"site_id" validate:"max=64"`
	ID     string `json:"id" validate:"max=64"`
}

type proposalRequest struct {
	Title       models.Text       `json:"title" validate:"required,max=8"`
	Description models.Text       `json:"description" validate:"required,max=8"`
	Origin      string            `json:"origin" validate:"max=32"`
	Needs       []string          `json:"needs" validate:"max=20,unique,dive,required,max=64"`
	SiteIDs     []string          `json:"site_ids" validate:"max=50,unique,dive,required,max=64"`
	Evidence    []evidenceRequest `json:"evidence" validate:"max=20,dive"`
}

// Create stores a draft. Staff and admins record any origin; a peer
// facilitator's or policymaker's own proposal has theirs.
func (a *ProposalAPI) Create(c *gin.Context) {
	var req proposalRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	switch p.Role {
	case models.RoleFacilitator:
		req.Origin = models.OriginPeerFacilitator
	case models.RolePolicymaker:
		req.Origin = models.OriginPolicymaker
	}
	in := store.ProposalInput{Title: req.Title, Description: req.Description, Origin: req.Origin, Needs: req.Needs, SiteIDs: req.SiteIDs}
	for _, e := range req.Evidence {
		in.Evidence = append(in.Evidence, store.EvidenceInput{Kind: e.Kind, Code: e.Code, SiteID: e.SiteID, ID: e.ID})
	}
	prop, err := a.Store.CreateProposal(c.Request.Context(), p.OrganizationID, p.User, in)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": prop.ID})
}

// List returns proposals, newest first (?status=&origin=&site_id=).
func (a *ProposalAPI) List(c *gin.Context) {
	f := store.ProposalFilter{Status: c.Query("status"), Origin: c.Query("origin"), SiteID: c.Query("site_id")}
	if f.Status != "" && f.Status != models.StatusDone && f.Status != models.StatusDeclined && store.Transitions[f.Status] == nil {
		abort(c, invalidField("status", "is not a proposal status"))
		return
	}
	if f.Origin != "" && !slices.Contains(store.Origins, f.Origin) {
		abort(c, invalidField("origin", "is not a proposal origin"))
		return
	}
	if f.SiteID != "" && !models.IsID(f.SiteID) {
		abort(c, invalidField("site_id", "is not a site"))
		return
	}
	list, err := a.Store.Proposals(c.Request.Context(), principal(c).OrganizationID, f)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"proposals": nonNil(list)})
}

// Get returns a proposal with its updates and evidence. An approved
// comment given as evidence carries its words for staff, and for everyone
// else only when its author said it may be quoted.
func (a *ProposalAPI) Get(c *gin.Context) {
	p := principal(c)
	d, err := a.Store.ProposalDetail(c.Request.Context(), p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	staff := slices.Contains(staffAndAdmin, p.Role)
	for i, e := range d.Evidence {
		if e.Kind != models.EvidenceFeedbackText || e.RefID == nil {
			continue
		}
		text, err := a.Store.ModeratedText(c.Request.Context(), p.OrganizationID, *e.RefID)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted by retention: the link stays, the words are gone
		}
		if err != nil {
			abort(c, err)
			return
		}
		if staff || text.MayQuote {
			d.Evidence[i].Text = &text.Body
		}
	}
	c.JSON(http.StatusOK, d)
}

type proposalEditRequest struct {
	Title       *models.Text `json:"title" validate:"omitempty,max=8"`
	Description *models.Text `json:"description" validate:"omitempty,max=8"`
	Needs       *[]string    `json:"needs" validate:"omitempty,max=20,unique,dive,required,max=64"`
	SiteIDs     *[]string    `json:"site_ids" validate:"omitempty,max=50,unique,dive,required,max=64"`
}

// Edit changes a draft.
func (a *ProposalAPI) Edit(c *gin.Context) {
	var req proposalEditRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	v, err := a.Store.EditProposal(c.Request.Context(), principal(c).OrganizationID, c.Param("id"),
		store.ProposalEdit{Title: req.Title, Description: req.Description, Needs: req.Needs, SiteIDs: req.SiteIDs})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

type updateRequest struct {
	Status            string      `json:"status" validate:"max=32"`
	Body              models.Text `json:"body" validate:"required,max=8"`
	PutToPolicymakers bool        `json:"put_to_policymakers"`
}

// PostUpdate moves a proposal with a public update, or notes progress.
func (a *ProposalAPI) PostUpdate(c *gin.Context) {
	var req updateRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	up, err := a.Store.PostUpdate(c.Request.Context(), p.OrganizationID, c.Param("id"), p.User,
		store.UpdateInput{Status: req.Status, Body: req.Body, PutToPolicymakers: req.PutToPolicymakers})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, up)
}

type respondRequest struct {
	Decision string      `json:"decision" validate:"required,oneof=accepted declined"`
	Body     models.Text `json:"body" validate:"required,max=8"`
}

// Respond is a policymaker's accept or decline, with the reason, on a
// proposal put to them. Staff and admins may record it for them.
func (a *ProposalAPI) Respond(c *gin.Context) {
	var req respondRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	up, err := a.Store.Respond(c.Request.Context(), p.OrganizationID, c.Param("id"), p.User, req.Decision, req.Body)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, up)
}

// answerCounts is a row of support: each answer and their total.
type answerCounts struct {
	Agree    privacy.Cell `json:"agree"`
	Disagree privacy.Cell `json:"disagree"`
	Unsure   privacy.Cell `json:"unsure"`
	Total    privacy.Cell `json:"total"`
}

type siteSupport struct {
	SiteID string `json:"site_id"`
	Name   string `json:"name"`
	answerCounts
}

type supportResponse struct {
	// Suppressed is true when counts went through small-cell suppression
	// (everyone but staff and admins).
	Suppressed bool          `json:"suppressed"`
	MinCell    int           `json:"min_cell"`
	TooFew     bool          `json:"too_few"`
	Sites      []siteSupport `json:"sites"`
	Total      answerCounts  `json:"total"`
	// BySource splits the exact counts by kiosk, live votes and hand
	// counts, for staff only.
	BySource map[string]map[string]int `json:"by_source,omitempty"`
}

// Support combines the answers a proposal got, per site: exact for staff,
// suppressed for everyone else.
func (a *ProposalAPI) Support(c *gin.Context) {
	p := principal(c)
	ctx := c.Request.Context()
	sites, err := a.Store.ProposalSupport(ctx, p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	org, err := a.Store.Organization(ctx, p.OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	table := privacy.Table{Counts: make([][]int, len(sites)), RowTotals: true, ColTotals: true, Total: true}
	for i, s := range sites {
		for _, ans := range store.SupportAnswers {
			table.Counts[i] = append(table.Counts[i], s.Combined(ans))
		}
	}
	staff := slices.Contains(staffAndAdmin, p.Role)
	shown := exactTable(table)
	if !staff {
		// The same pattern as the proposals report's, for every site
		// group: one publication point (report.ProtectSupport).
		all, err := a.Store.Sites(ctx, p.OrganizationID)
		if err != nil {
			abort(c, err)
			return
		}
		protected := report.ProtectSupport(org.MinCell, all, supportCounts(sites))
		var ids []string
		for _, s := range all {
			ids = append(ids, s.ID)
		}
		shown.ColTotals, shown.Total, shown.TooFew = protected.Of(ids)
		for i, s := range sites {
			cells, total, _ := protected.Of([]string{s.SiteID})
			if shown.TooFew {
				cells, total = hiddenRow(), privacy.Cell{Suppressed: true}
			}
			shown.Cells[i], shown.RowTotals[i] = cells, total
		}
	}
	out := supportResponse{Suppressed: !staff, MinCell: privacy.MinK(org.MinCell), TooFew: shown.TooFew && !staff, Sites: []siteSupport{}}
	for i, s := range sites {
		out.Sites = append(out.Sites, siteSupport{SiteID: s.SiteID, Name: s.Name, answerCounts: answerRow(shown.Cells[i], shown.RowTotals[i])})
	}
	out.Total = answerRow(shown.ColTotals, shown.Total)
	if staff {
		out.BySource = map[string]map[string]int{"kiosk": {}, "live": {}, "hand": {}}
		for _, s := range sites {
			for _, ans := range store.SupportAnswers {
				out.BySource["kiosk"][ans] += s.Kiosk[ans]
				out.BySource["live"][ans] += s.Live[ans]
				out.BySource["hand"][ans] += s.Hand[ans]
			}
		}
	}
	c.JSON(http.StatusOK, out)
}

func answerRow(cells []privacy.Cell, total privacy.Cell) answerCounts {
	if len(cells) < len(store.SupportAnswers) {
		// No answers at all (a table with no rows): nothing to show.
		cells = []privacy.Cell{{Suppressed: true}, {Suppressed: true}, {Suppressed: true}}
	}
	return answerCounts{Agree: cells[0], Disagree: cells[1], Unsure: cells[2], Total: total}
}

// exactTable shows every count of t: for staff, who may see them.
func exactTable(t privacy.Table) privacy.Shown {
	cols := 3
	out := privacy.Shown{ColTotals: make([]privacy.Cell, cols)}
	grand := 0
	for _, row := range t.Counts {
		cells, sum := make([]privacy.Cell, len(row)), 0
		for j, n := range row {
			cells[j] = privacy.Cell{Value: n}
			out.ColTotals[j].Value += n
			sum += n
		}
		out.Cells = append(out.Cells, cells)
		out.RowTotals = append(out.RowTotals, privacy.Cell{Value: sum})
		grand += sum
	}
	out.Total = privacy.Cell{Value: grand}
	return out
}

// Figures returns the accountability figures (?site_id=).
func (a *ProposalAPI) Figures(c *gin.Context) {
	site := c.Query("site_id")
	if site != "" && !models.IsID(site) {
		abort(c, invalidField("site_id", "is not a site"))
		return
	}
	f, err := a.Store.ProposalFigures(c.Request.Context(), principal(c).OrganizationID, site)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

// needCount is how often a need was chosen at one site over a period, and
// the priority points it earned there.
type needCount struct {
	SiteID string `json:"site_id"`
	Code   string `json:"code"`
	Chosen int    `json:"chosen"`
	Points int    `json:"points"`
}

// NeedSummary counts the needs people chose and the priority points they
// earned, per site (?from=&to=&site_id=, the last 90 days by default),
// exact, for staff promoting a need. It reads the same rollups as the
// reports.
func (a *ProposalAPI) NeedSummary(c *gin.Context) {
	to := models.DayOf(a.Store.Now(), time.UTC)
	from := to.AddDays(-90)
	if err := dayRange(c, &from, &to); err != nil {
		abort(c, err)
		return
	}
	var sites []string
	if site := c.Query("site_id"); site != "" {
		if !models.IsID(site) {
			abort(c, invalidField("site_id", "is not a site"))
			return
		}
		sites = []string{site}
	}
	ctx, orgID := c.Request.Context(), principal(c).OrganizationID
	counts := map[string][]report.Count{}
	for _, metric := range []string{report.MetricSubmissions, report.MetricNeed, report.MetricPriorityPoints} {
		found, err := a.Reporter.Counts(ctx, orgID, metric, sites, from, to)
		if err != nil {
			abort(c, err)
			return
		}
		counts[metric] = found
	}
	total := 0
	for _, n := range counts[report.MetricSubmissions] {
		total += n.Value
	}
	type key struct{ site, code string }
	byKey := map[key]*needCount{}
	at := func(n report.Count) *needCount {
		k := key{n.SiteID, n.Code}
		if byKey[k] == nil {
			byKey[k] = &needCount{SiteID: n.SiteID, Code: n.Code}
		}
		return byKey[k]
	}
	for _, n := range counts[report.MetricNeed] {
		at(n).Chosen += n.Value
	}
	for _, n := range counts[report.MetricPriorityPoints] {
		at(n).Points += n.Value
	}
	needs := make([]needCount, 0, len(byKey))
	for _, n := range byKey {
		needs = append(needs, *n)
	}
	slices.SortFunc(needs, func(x, y needCount) int { return cmp.Or(cmp.Compare(x.SiteID, y.SiteID), cmp.Compare(x.Code, y.Code)) })
	_, labels, err := categoryLabels(ctx, a.Store, orgID, models.KindNeed)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"from": from, "to": to, "submissions": total, "needs": needs, "labels": labels})
}

func hiddenRow() []privacy.Cell {
	return []privacy.Cell{{Suppressed: true}, {Suppressed: true}, {Suppressed: true}}
}
