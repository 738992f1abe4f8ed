package report

import (
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// CheckAnswers is how the community answered a finding (member checking):
// agree, disagree and unsure in all and at each site. Exact for staff;
// for everyone else protected as one family with proposals' support
// (ProtectSupport), for every site view a reader can ask for together.
type CheckAnswers struct {
	MinCell    int        `json:"min_cell"`
	Suppressed bool       `json:"suppressed"`
	Total      CheckCount `json:"total"`
	Sites      []CheckRow `json:"sites"`
}

// CheckRow is one site's answers.
type CheckRow struct {
	SiteID   string `json:"site_id"`
	SiteName string `json:"site_name"`
	CheckCount
}

// CheckCount is answers to a finding. TooFew: fewer answers than the
// smallest count that may be shown (every cell is then hidden).
type CheckCount struct {
	Agree    privacy.Cell `json:"agree"`
	Disagree privacy.Cell `json:"disagree"`
	Unsure   privacy.Cell `json:"unsure"`
	Answers  privacy.Cell `json:"answers"`
	TooFew   bool         `json:"too_few"`
}

// FindingChecks publishes counts[siteID] = {agree, disagree, unsure}:
// exact for staff, otherwise with small counts and their complements
// hidden.
func FindingChecks(minCell int, sites []models.Site, counts map[string][]int, exact bool) CheckAnswers {
	out := CheckAnswers{MinCell: minCell, Suppressed: !exact, Sites: make([]CheckRow, len(sites))}
	all := make([]string, len(sites))
	for i, s := range sites {
		all[i] = s.ID
	}
	of := exactChecks(counts)
	if !exact {
		of = ProtectSupport(minCell, sites, counts).Of
	}
	out.Total = checkCount(of(all))
	for i, s := range sites {
		out.Sites[i] = CheckRow{SiteID: s.ID, SiteName: s.Name, CheckCount: checkCount(of([]string{s.ID}))}
	}
	return out
}

func checkCount(cells []privacy.Cell, total privacy.Cell, tooFew bool) CheckCount {
	return CheckCount{Agree: cells[0], Disagree: cells[1], Unsure: cells[2], Answers: total, TooFew: tooFew}
}

// exactChecks adds up the answers at sites, hiding nothing.
func exactChecks(counts map[string][]int) func([]string) ([]privacy.Cell, privacy.Cell, bool) {
	return func(siteIDs []string) ([]privacy.Cell, privacy.Cell, bool) {
		cells := make([]privacy.Cell, 3)
		total := 0
		for _, s := range siteIDs {
			for j, n := range counts[s] {
				if j < 3 {
					cells[j].Value += n
					total += n
				}
			}
		}
		return cells, privacy.Cell{Value: total}, false
	}
}
