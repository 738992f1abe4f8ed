package api

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// BoardAPI is "you said, we did": the public board of an organization, a
// participant's receipt look-up, the printable monthly sheet, and the
// kiosk's side of proposals.
type BoardAPI struct {
	Store *store.Store
}

// boardSize is how many proposals the public board lists.
const boardSize = 30

// publicOrg finds the organization of the :slug whose board is public;
// a switched-off board is 404 like an unknown one.
func (b *BoardAPI) publicOrg(c *gin.Context) (models.Organization, bool) {
	org, err := b.Store.PublicOrganization(c.Request.Context(), c.Param("slug"))
	if err != nil {
		abort(c, err)
		return models.Organization{}, false
	}
	return org, true
}

// Board lists the proposals put to people, with their updates, and the
// figures, in every language.
func (b *BoardAPI) Board(c *gin.Context) {
	org, ok := b.publicOrg(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	props, err := b.Store.PublicProposals(ctx, org.ID, boardSize)
	if err != nil {
		abort(c, err)
		return
	}
	fig, err := b.Store.ProposalFigures(ctx, org.ID, "")
	if err != nil {
		abort(c, err)
		return
	}
	// The board names no proposal as late: staff see which; the public
	// sees how many.
	fig.Overdue = nil
	c.JSON(http.StatusOK, gin.H{
		"organization": gin.H{"name": org.Name, "slug": org.Slug},
		"languages":    catalog.Languages,
		"proposals":    nonNil(props),
		"figures":      fig,
	})
}

// PublicBoard names one public board.
type PublicBoard struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// Boards lists the public boards, for the front page's "See the results".
func (b *BoardAPI) Boards(c *gin.Context) {
	orgs, err := b.Store.PublicBoards(c.Request.Context())
	if err != nil {
		abort(c, err)
		return
	}
	out := make([]PublicBoard, len(orgs))
	for i, o := range orgs {
		out[i] = PublicBoard{Name: o.Name, Slug: o.Slug}
	}
	c.JSON(http.StatusOK, gin.H{"boards": out})
}

type receiptRequest struct {
	Code string `json:"code" validate:"required,max=16"`
}

// Receipt shows what became of the needs raised with a receipt code.
func (b *BoardAPI) Receipt(c *gin.Context) {
	org, ok := b.publicOrg(c)
	if !ok {
		return
	}
	b.receipt(c, org.ID)
}

// KioskReceipt is Receipt on a kiosk, for its own organization.
func (b *BoardAPI) KioskReceipt(c *gin.Context) { b.receipt(c, kiosk(c).Kiosk.OrganizationID) }

func (b *BoardAPI) receipt(c *gin.Context, orgID string) {
	var req receiptRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	if !validReceipt(req.Code) {
		abort(c, invalidField("code", "must be 6 letters and digits such as K7M-3QX"))
		return
	}
	props, err := b.Store.ReceiptProposals(c.Request.Context(), orgID, req.Code)
	if errors.Is(err, store.ErrNotFound) {
		abort(c, &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "We could not find that code. Check it and try again."})
		return
	}
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"proposals": nonNil(props)})
}

// Sheet lists a month's public updates for one site (?site_id=) or all,
// for the printable "what changed this month" page (?month=YYYY-MM, this
// month by default).
func (b *BoardAPI) Sheet(c *gin.Context) {
	org, ok := b.publicOrg(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	month := c.Query("month")
	if month == "" {
		month = b.Store.Now().Format("2006-01")
	}
	from, err := models.ParseDay(month + "-01")
	if err != nil || len(month) != 7 {
		abort(c, invalidField("month", "must be a month such as 2026-11"))
		return
	}
	to := models.DayOf(from.Time().AddDate(0, 1, 0), from.Time().Location())
	var site any
	siteID := c.Query("site_id")
	if siteID != "" {
		s, err := b.Store.Site(ctx, org.ID, siteID)
		if err != nil || !models.IsID(siteID) {
			abort(c, invalidField("site_id", "is not a site of this program"))
			return
		}
		site = gin.H{"id": s.ID, "name": s.Name}
	}
	lines, err := b.Store.MonthSheet(ctx, org.ID, siteID, from, to)
	if err != nil {
		abort(c, err)
		return
	}
	sites, err := b.Store.Sites(ctx, org.ID)
	if err != nil {
		abort(c, err)
		return
	}
	names := make([]gin.H, 0, len(sites))
	for _, s := range sites {
		names = append(names, gin.H{"id": s.ID, "name": s.Name})
	}
	c.JSON(http.StatusOK, gin.H{"organization": gin.H{"name": org.Name, "slug": org.Slug}, "site": site, "sites": names,
		"month": month, "updates": lines})
}

// kioskProposalCount is how many open proposals the kiosk asks about.
const kioskProposalCount = 3

// KioskProposals lists open proposals for the kiosk's site to ask about.
func (b *BoardAPI) KioskProposals(c *gin.Context) {
	props, err := b.Store.KioskProposals(c.Request.Context(), kiosk(c), kioskProposalCount)
	if err != nil {
		abort(c, err)
		return
	}
	out := make([]gin.H, 0, len(props))
	for _, p := range props {
		out = append(out, gin.H{"id": p.ID, "title": p.Title, "description": p.Description})
	}
	c.JSON(http.StatusOK, gin.H{"proposals": out})
}

type supportRequest struct {
	ProposalID string `json:"proposal_id" validate:"required,max=64"`
	Answer     string `json:"answer" validate:"required,oneof=agree disagree unsure"`
}

// Support stores a kiosk's "Do you support this?" answer exactly once per
// idempotency key: 201 when new, 200 on a replay, 422 when the key was
// used with another body, 409 when the proposal is not open.
func (b *BoardAPI) Support(c *gin.Context) {
	key, err := idempotencyKey(c.GetHeader(IdempotencyHeader))
	if err != nil {
		abort(c, err)
		return
	}
	var req supportRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	canonical, err := json.Marshal(req)
	if err != nil {
		abort(c, err)
		return
	}
	hash := sha256.Sum256(canonical)
	res, err := b.Store.Support(c.Request.Context(), kiosk(c), key, hash[:], strings.TrimSpace(req.ProposalID), req.Answer)
	if err != nil {
		abort(c, err)
		return
	}
	status := http.StatusCreated
	if res.Replayed {
		status = http.StatusOK
	}
	c.JSON(status, SubmissionCreated{ID: res.ID})
}
