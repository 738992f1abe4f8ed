package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// FindingStore is what the findings API reads and changes.
type FindingStore interface {
	By(user *models.User) store.Actor
	Findings(ctx context.Context, orgID string) ([]store.FindingView, error)
	Finding(ctx context.Context, orgID, id string) (store.FindingDetail, error)
	FindingCodeCounts(ctx context.Context, orgID string, f store.FindingView) ([]models.CodedExcerpt, error)
	FindingChecks(ctx context.Context, orgID, findingID string) (map[string][]int, error)
	findingAsks
	Organization(ctx context.Context, id string) (models.Organization, error)
	Sites(ctx context.Context, orgID string) ([]models.Site, error)
}

// ResearchFindingAPI writes findings (admins, and coders) and shows them
// with their code frequencies: exact to staff and admins, protected for
// policymakers.
type ResearchFindingAPI struct {
	Store FindingStore
}

// FindingPage is a finding as its page shows it.
type FindingPage struct {
	store.FindingDetail
	Frequencies report.CodeFrequencies `json:"frequencies"`
	// Checks is how the community answered the finding (member checking).
	Checks report.CheckAnswers `json:"checks"`
	// Asks are the periods the finding is put to the kiosks.
	Asks []models.ResearchFindingAsk `json:"asks"`
}

type findingRequest struct {
	StatementEN *string   `json:"statement_en" validate:"omitempty,max=8000"`
	StatementES *string   `json:"statement_es" validate:"omitempty,max=8000"`
	CodeIDs     *[]string `json:"code_ids" validate:"omitempty,max=20,dive,uuid"`
	ExcerptIDs  *[]string `json:"excerpt_ids" validate:"omitempty,max=10,dive,uuid"`
	Flagged     *bool     `json:"flagged"`
}

func (r findingRequest) input() store.FindingInput {
	return store.FindingInput{StatementEN: r.StatementEN, StatementES: r.StatementES,
		CodeIDs: r.CodeIDs, ExcerptIDs: r.ExcerptIDs, Flagged: r.Flagged}
}

// List returns the organization's findings, newest first.
func (r *ResearchFindingAPI) List(c *gin.Context) {
	findings, err := r.Store.Findings(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"findings": nonNil(findings)})
}

// Create writes a finding with its codes and quotable exemplars.
func (r *ResearchFindingAPI) Create(c *gin.Context) {
	var req findingRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	f, err := r.Store.By(&p.User).CreateFinding(c.Request.Context(), p.OrganizationID, req.input())
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, f)
}

// Update changes a finding's statement, codes, exemplars or flag.
func (r *ResearchFindingAPI) Update(c *gin.Context) {
	var req findingRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	f, err := r.Store.By(&p.User).UpdateFinding(c.Request.Context(), p.OrganizationID, c.Param("id"), req.input())
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

// Get returns a finding's page: statement, codes, exemplars still
// quotable, and how many excerpts hold each code by site.
func (r *ResearchFindingAPI) Get(c *gin.Context) {
	p := principal(c)
	ctx := c.Request.Context()
	f, err := r.Store.Finding(ctx, p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	counts, err := r.Store.FindingCodeCounts(ctx, p.OrganizationID, f.FindingView)
	if err != nil {
		abort(c, err)
		return
	}
	org, err := r.Store.Organization(ctx, p.OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	sites, err := r.Store.Sites(ctx, p.OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	checks, err := r.Store.FindingChecks(ctx, p.OrganizationID, f.ID)
	if err != nil {
		abort(c, err)
		return
	}
	asks, err := r.Store.FindingAsks(ctx, p.OrganizationID, f.ID)
	if err != nil {
		abort(c, err)
		return
	}
	exact := slices.Contains(staffAndAdmin, p.Role)
	c.JSON(http.StatusOK, FindingPage{FindingDetail: f, Asks: asks,
		Frequencies: report.FindingFrequencies(org.MinCell, sites, f.CodeIDs, counts, exact),
		Checks:      report.FindingChecks(org.MinCell, sites, checks, exact)})
}
