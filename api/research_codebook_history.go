package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// History lists a codebook's versions, oldest first: when, and which
// codes were added, edited or removed.
func (r *ResearchCodebookAPI) History(c *gin.Context) {
	versions, err := r.Store.CodebookVersions(c.Request.Context(), principal(c).OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"versions": versions})
}

// Diff answers what changed in a codebook from version ?from= to version
// ?to= (0 is the empty codebook): codes added, removed, and changed with
// the fields that differ. By default, the latest version's changes.
func (r *ResearchCodebookAPI) Diff(c *gin.Context) {
	ctx, org := c.Request.Context(), principal(c).OrganizationID
	from, to := -1, -1
	for _, q := range []struct {
		name string
		dst  *int
	}{{"from", &from}, {"to", &to}} {
		if s := c.Query(q.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				abort(c, invalidField(q.name, "must be a version number (0 or more)"))
				return
			}
			*q.dst = n
		}
	}
	if from < 0 || to < 0 {
		versions, err := r.Store.CodebookVersions(ctx, org, c.Param("id"))
		if err != nil {
			abort(c, err)
			return
		}
		if to < 0 {
			to = len(versions)
		}
		if from < 0 {
			from = max(0, to-1)
		}
	}
	diff, err := r.Store.CodebookDiff(ctx, org, c.Param("id"), from, to)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, diff)
}
