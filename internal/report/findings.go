package report

import (
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// CodeFrequencies is how many excerpts hold each of a finding's codes, by
// site: one code per column, an excerpt counted once per code whether its
// coders coded the whole text or a span. An excerpt may hold several
// codes, so the columns add up to nothing and each code is its own column
// set. Protected like every family: for the organization, each site, the
// urban or rural ones, the fixed or mobile ones, all at once.
type CodeFrequencies struct {
	MinCell    int             `json:"min_cell"`
	Suppressed bool            `json:"suppressed"`
	Codes      []CodeFrequency `json:"codes"`
}

// CodeFrequency is one code's excerpts in all and at each site.
type CodeFrequency struct {
	CodeID string          `json:"code_id"`
	Total  privacy.Cell    `json:"total"`
	Sites  []SiteFrequency `json:"sites"`
}

// SiteFrequency is one code's excerpts at one site.
type SiteFrequency struct {
	SiteID string       `json:"site_id"`
	Count  privacy.Cell `json:"count"`
}

// FindingFrequencies publishes how many excerpts hold each of a
// finding's codes at each site, over every month any of them falls in:
// exact for staff, otherwise each count the sum of its months as
// PublishCodeCounts protects them (a total is hidden when a month in it
// is), so the finding's page and the research counts by month show one
// code's counts alike and cannot be subtracted from each other.
func FindingFrequencies(minCell int, sites []models.Site, codeIDs []string, excerpts []models.CodedExcerpt, exact bool) CodeFrequencies {
	out := CodeFrequencies{MinCell: minCell, Suppressed: !exact, Codes: make([]CodeFrequency, len(codeIDs))}
	counts := PublishCodeCounts(minCell, sites, codeIDs, false, MonthsHolding(excerpts), excerpts, exact)
	for j, code := range counts.Codes {
		cf := CodeFrequency{CodeID: codeIDs[j], Total: code.Total, Sites: make([]SiteFrequency, len(code.Sites))}
		for i, s := range code.Sites {
			cf.Sites[i] = SiteFrequency{SiteID: s.SiteID, Count: s.Total}
		}
		out.Codes[j] = cf
	}
	return out
}
