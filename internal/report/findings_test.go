package report

import (
	"testing"

	"github.com/chorus-hr/chorus/models"
)

// A small count at one site stays hidden in every view: the site's, and
// the organization's total less the other site's.
func TestFindingFrequenciesHideSmallCountsInEveryView(t *testing.T) {
	sites := []models.Site{{ID: "a", Setting: "urban", Kind: "fixed"}, {ID: "b", Setting: "urban", Kind: "fixed"}}
	codes := []string{"x", "y"}
	// Site a: 3 excerpts hold x, 12 hold y; site b: 20 x, 15 y.
	day, _ := models.ParseDay("2026-11-20")
	var counts []models.CodedExcerpt
	for _, c := range []struct {
		site string
		code uint64
		n    int
	}{{"a", 1, 3}, {"a", 2, 12}, {"b", 1, 20}, {"b", 2, 15}} {
		for range c.n {
			counts = append(counts, models.CodedExcerpt{SiteID: c.site, Day: day, Codes: c.code})
		}
	}

	exact := FindingFrequencies(11, sites, codes, counts, true)
	if exact.Suppressed || exact.Codes[0].Total.Value != 23 || exact.Codes[0].Sites[0].Count.Value != 3 {
		t.Fatalf("exact %+v", exact)
	}
	shown := FindingFrequencies(11, sites, codes, counts, false)
	x := shown.Codes[0]
	if !shown.Suppressed || !x.Sites[0].Count.Suppressed {
		t.Fatalf("the count of 3 is shown: %+v", x)
	}
	if !x.Total.Suppressed && !x.Sites[1].Count.Suppressed {
		t.Fatalf("the total and the other site are both shown, so 3 is their difference: %+v", x)
	}
	if y := shown.Codes[1]; y.Sites[0].Count.Suppressed || y.Sites[0].Count.Value != 12 {
		t.Errorf("code y at site a (12) is hidden: %+v", y)
	}
}
