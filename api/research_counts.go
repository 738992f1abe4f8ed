package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/models"
)

// CodeCountStore is what the research counts read.
type CodeCountStore interface {
	CodeCounts(ctx context.Context, orgID string, codeIDs []string) ([]string, []models.CodedExcerpt, error)
	Organization(ctx context.Context, id string) (models.Organization, error)
	Sites(ctx context.Context, orgID string) ([]models.Site, error)
}

// ResearchCountAPI answers code frequencies by month and site, and
// co-occurrences (excerpts holding both of two codes): exact for admins
// and staff, protected for policymakers through report.PublishCodeCounts.
type ResearchCountAPI struct {
	Store CodeCountStore
}

// maxCountMonths bounds the months one request counts.
const maxCountMonths = 36

// monthParam reads a YYYY-MM query parameter as the month's first day.
func monthParam(c *gin.Context, name string) (*models.Day, error) {
	s := c.Query(name)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return nil, invalidField(name, "must be a month (YYYY-MM)")
	}
	d := models.DayOf(t, time.UTC)
	return &d, nil
}

// countMonths is the months asked for (from and to, whole months), or the
// months holding the excerpts counted.
func countMonths(c *gin.Context, excerpts []models.CodedExcerpt) ([]models.Day, error) {
	from, err := monthParam(c, "from")
	if err != nil {
		return nil, err
	}
	to, err := monthParam(c, "to")
	if err != nil {
		return nil, err
	}
	var months []models.Day
	switch {
	case from == nil && to == nil:
		months = report.MonthsHolding(excerpts)
	case from == nil:
		return nil, invalidField("from", "give both from and to, or neither")
	case to == nil:
		return nil, invalidField("to", "give both from and to, or neither")
	case to.Time().Before(from.Time()):
		return nil, invalidField("to", "must not be before from")
	default:
		months = report.MonthsOf(*from, *to)
	}
	if len(months) > maxCountMonths {
		return nil, invalidField("to", fmt.Sprintf("count at most %d months at once", maxCountMonths))
	}
	return months, nil
}

// Get answers ?code_ids=a,b,c (1 to 20 codes) with their counts by month
// and site over from..to (YYYY-MM, whole months; by default every month
// holding any of them), and with pairs=1 (at most 8 codes) each pair's
// co-occurrences too.
func (r *ResearchCountAPI) Get(c *gin.Context) {
	p := principal(c)
	ctx := c.Request.Context()
	var asked []string
	for id := range strings.SplitSeq(c.Query("code_ids"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			asked = append(asked, id)
		}
	}
	withPairs := c.Query("pairs") == "1"
	ids, excerpts, err := r.Store.CodeCounts(ctx, p.OrganizationID, asked)
	if err != nil {
		abort(c, err)
		return
	}
	if withPairs && len(ids) > report.MaxPairCodes {
		abort(c, invalidField("pairs", fmt.Sprintf("pairs are counted for at most %d codes at once", report.MaxPairCodes)))
		return
	}
	months, err := countMonths(c, excerpts)
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
	exact := slices.Contains(staffAndAdmin, p.Role)
	c.JSON(http.StatusOK, report.PublishCodeCounts(org.MinCell, sites, ids, withPairs, months, excerpts, exact))
}
