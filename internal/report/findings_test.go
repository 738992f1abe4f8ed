package report

import (
	"testing"

	"github.com/chorus-hr/chorus/models"
)

// A small count at one site stays hidden in every view: the site's, and
// the organization's total less the other site's.
func TestFindingFrequenciesHideSmallCountsInEveryView(t *testing.T) {
	sites := []models.Site{{ID: "a", Setting: "urban", Kind: "fixed"}, {ID: "b", Setting: "urban", Kind: "fixed"}}
	counts := map[string][]int{"a": {3, 12}, "b": {20, 15}}
	codes := []string{"x", "y"}

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
