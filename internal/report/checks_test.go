package report

import (
	"testing"

	"github.com/chorus-hr/chorus/models"
)

// Member-check answers: exact for staff; for everyone else a small count
// at a site is hidden, and so is whatever would give it away by
// subtraction (the site's other answers and its total, or the other site
// and the organization's total).
func TestFindingChecksHideSmallCountsInEveryView(t *testing.T) {
	sites := []models.Site{{ID: "a", Name: "Van", Setting: "urban", Kind: "fixed"}, {ID: "b", Name: "Storefront", Setting: "urban", Kind: "fixed"}}
	// Site a: 20 agree, 2 disagree, 15 unsure; site b: 30, 25, 12.
	counts := map[string][]int{"a": {20, 2, 15}, "b": {30, 25, 12}}

	exact := FindingChecks(11, sites, counts, true)
	if exact.Suppressed || exact.Total.Agree.Value != 50 || exact.Total.Disagree.Value != 27 || exact.Total.Answers.Value != 104 ||
		exact.Sites[0].Disagree.Value != 2 || exact.Sites[0].SiteName != "Van" || exact.Total.TooFew {
		t.Fatalf("exact %+v", exact)
	}

	shown := FindingChecks(11, sites, counts, false)
	a := shown.Sites[0]
	if !shown.Suppressed || !a.Disagree.Suppressed {
		t.Fatalf("the count of 2 is shown: %+v", a)
	}
	// Within the site: its total less its shown answers would give 2.
	if !a.Answers.Suppressed && !a.Agree.Suppressed && !a.Unsure.Suppressed {
		t.Fatalf("site a's total and its other answers are all shown: %+v", a)
	}
	// Across sites: the organization's disagree less site b's would give 2.
	if !shown.Total.Disagree.Suppressed && !shown.Sites[1].Disagree.Suppressed {
		t.Fatalf("the total's and site b's disagree are both shown: %+v / %+v", shown.Total, shown.Sites[1])
	}
	// Fewer answers in all than min_cell: every count is hidden.
	few := FindingChecks(11, sites, map[string][]int{"a": {3, 1, 0}}, false)
	if !few.Total.TooFew || !few.Total.Agree.Suppressed || !few.Total.Answers.Suppressed || !few.Sites[0].Agree.Suppressed {
		t.Fatalf("4 answers in all: %+v", few)
	}
}
