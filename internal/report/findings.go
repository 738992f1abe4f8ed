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

// FindingFrequencies publishes counts[siteID][j], the excerpts at a site
// holding codeIDs[j]: exact for staff, otherwise with small counts and
// their complements hidden, the same for every site view a reader can ask
// for.
func FindingFrequencies(minCell int, sites []models.Site, codeIDs []string, counts map[string][]int, exact bool) CodeFrequencies {
	out := CodeFrequencies{MinCell: minCell, Suppressed: !exact, Codes: make([]CodeFrequency, len(codeIDs))}
	var f *family
	if !exact && len(codeIDs) > 0 {
		sets := make([][]int, len(codeIDs))
		for j := range codeIDs {
			sets[j] = []int{j}
		}
		// No column set is the organization's base (see familyOpts).
		f = newFamily(privacy.MinK(minCell), sites, counts, len(codeIDs), sets, familyOpts{spendTotal: true})
	}
	all := make([]string, len(sites))
	for i, s := range sites {
		all[i] = s.ID
	}
	for j, code := range codeIDs {
		cf := CodeFrequency{CodeID: code, Sites: make([]SiteFrequency, len(sites))}
		cell := func(siteIDs []string) privacy.Cell {
			if f != nil {
				return f.cell(siteIDs, j)
			}
			n := 0
			for _, s := range siteIDs {
				if row := counts[s]; j < len(row) {
					n += row[j]
				}
			}
			return privacy.Cell{Value: n}
		}
		cf.Total = cell(all)
		for i, s := range sites {
			cf.Sites[i] = SiteFrequency{SiteID: s.ID, Count: cell([]string{s.ID})}
		}
		out.Codes[j] = cf
	}
	return out
}
