package report

import (
	"fmt"
	"testing"
)

// The PDF colours sites in the dashboard's order: this list is the one in
// frontend/src/lib/reports-chart.ts (its test pins the same list), so a
// site has one colour on the page and on paper.
func TestPDFPaletteMatchesDashboard(t *testing.T) {
	dashboard := []string{"#E69F00", "#0072B2", "#009E73", "#D55E00", "#56B4E9", "#CC79A7"}
	for i := range 2 * len(dashboard) {
		c := colorAt(i)
		if got, want := fmt.Sprintf("#%02X%02X%02X", c.r, c.g, c.b), dashboard[i%len(dashboard)]; got != want {
			t.Errorf("site %d: %s, the dashboard draws %s", i, got, want)
		}
	}
	if single != colorAt(1) {
		t.Errorf("one series is %v, the dashboard draws colorAt(1)", single)
	}
}
