package privacy

import (
	"fmt"
	"strings"
)

// render draws a Shown as text: one line per row with its total after a
// bar, the column totals and the grand total on the last line, "·" for a
// suppressed count and "(none)" for a total the table does not show.
func render(s Shown) string {
	var b strings.Builder
	cell := func(c Cell) string {
		if c.Suppressed {
			return "·"
		}
		return fmt.Sprint(c.Value)
	}
	for i, row := range s.Cells {
		for _, c := range row {
			fmt.Fprintf(&b, "%4s", cell(c))
		}
		if s.RowTotals != nil {
			fmt.Fprintf(&b, " |%4s", cell(s.RowTotals[i]))
		}
		b.WriteString("\n")
	}
	for _, c := range s.ColTotals {
		fmt.Fprintf(&b, "%4s", cell(c))
	}
	fmt.Fprintf(&b, " =%4s", cell(s.Total))
	if s.TooFew {
		b.WriteString(" too few")
	}
	return b.String()
}
