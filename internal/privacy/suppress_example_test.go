package privacy_test

import (
	"fmt"

	"github.com/chorus-hr/chorus/internal/privacy"
)

// Answers to "Was today's visit helpful?" at three sites, with row and
// column totals, for an organization that kept the default min_cell.
func ExampleSuppress() {
	show := func(c privacy.Cell) string {
		if c.Suppressed {
			return "–"
		}
		return fmt.Sprint(c.Value)
	}
	s := privacy.Suppress(privacy.Table{
		Counts: [][]int{
			{12, 4, 30}, // yes: North, South, East
			{25, 0, 18}, // not sure
			{40, 22, 3}, // no
		},
		RowTotals: true,
		ColTotals: true,
	}, 0)
	for i, row := range s.Cells {
		fmt.Println(show(row[0]), show(row[1]), show(row[2]), "|", show(s.RowTotals[i]))
	}
	fmt.Println(show(s.ColTotals[0]), show(s.ColTotals[1]), show(s.ColTotals[2]), "|", show(s.Total))
	fmt.Println(privacy.Share(s.Cells[0][0], s.ColTotals[0]).Value, privacy.Share(s.Cells[0][1], s.ColTotals[1]).Suppressed)
	// Output:
	// 12 – – | 46
	// 25 0 18 | 43
	// 40 – – | 65
	// 77 26 51 | 154
	// 15.584415584415584 true
}

func ExampleSuppressList() {
	cells, total, tooFew := privacy.SuppressList([]int{30, 3, 40}, 11, true)
	fmt.Println(cells, total, tooFew)
	_, _, tooFew = privacy.SuppressList([]int{4, 3, 2}, 11, true)
	fmt.Println(tooFew)
	// Output:
	// [{0 true} {0 true} {40 false}] {73 false} false
	// true
}
