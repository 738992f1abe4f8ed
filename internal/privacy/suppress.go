package privacy

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Small-cell suppression is the one place that decides which counts may
// leave the staff role; the rules are on Suppress, and docs/suppression.md
// explains them to program staff with a worked example.

// MinimumK is the smallest threshold an organization may choose.
const MinimumK = 5

// DefaultK is the threshold of an organization that has not chosen one.
const DefaultK = 11

// MinK returns the threshold to use for an organization's min_cell setting:
// DefaultK when unset (0 or negative), never below MinimumK.
func MinK(setting int) int {
	if setting <= 0 {
		return DefaultK
	}
	return max(setting, MinimumK)
}

// TooFew reports whether a report covering n people (or responses) must
// answer "too few responses to show" instead of its figures. It is the rule
// for reports that are not tables, such as a filtered list of comments.
func TooFew(n, setting int) bool {
	return n < MinK(setting)
}

// Cell is a count as it may be shown. Value is meaningful only when
// Suppressed is false; a suppressed Cell always has Value 0, so code that
// forgets to look at Suppressed shows a 0, never the true count. In JSON a
// Cell is a number, or null when suppressed.
type Cell struct {
	Value      int
	Suppressed bool
}

// MarshalJSON encodes the count as a number, or null when suppressed.
func (c Cell) MarshalJSON() ([]byte, error) {
	if c.Suppressed {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(c.Value), 10), nil
}

// UnmarshalJSON decodes a number, or null as a suppressed Cell.
func (c *Cell) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*c = Cell{Suppressed: true}
		return nil
	}
	*c = Cell{}
	return json.Unmarshal(data, &c.Value)
}

// Percent is a share as it may be shown, in percent (0 to 100). Value is
// meaningful only when Suppressed is false. In JSON a Percent is a number,
// or null when suppressed.
type Percent struct {
	Value      float64
	Suppressed bool
}

// MarshalJSON encodes the share as a number, or null when suppressed.
func (p Percent) MarshalJSON() ([]byte, error) {
	if p.Suppressed {
		return []byte("null"), nil
	}
	return json.Marshal(p.Value)
}

// UnmarshalJSON decodes a number, or null as a suppressed Percent.
func (p *Percent) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*p = Percent{Suppressed: true}
		return nil
	}
	*p = Percent{}
	return json.Unmarshal(data, &p.Value)
}

// Share returns part as a percentage of whole. It is suppressed when either
// count is suppressed or whole is 0: a share of a hidden count would let a
// reader compute the count back. Take part and whole from the same Shown,
// never from the raw counts.
func Share(part, whole Cell) Percent {
	if part.Suppressed || whole.Suppressed || whole.Value == 0 {
		return Percent{Suppressed: true}
	}
	return Percent{Value: 100 * float64(part.Value) / float64(whole.Value)}
}

// Table is a table of counts, Counts[row][col], and which of its totals the
// report shows. All rows must have the same length and no count may be
// negative.
type Table struct {
	Counts [][]int
	// RowTotals shows each row's total, ColTotals each column's total.
	RowTotals, ColTotals bool
	// Total shows the grand total. A table that shows row or column totals
	// is taken to show it as well: it is their sum, and reports print it.
	Total bool
	// Hide, when set, names entries to hide whatever their value: counts
	// that another report a reader can ask for would give away by
	// subtraction (internal/report's differencing guard). Complementary
	// suppression then protects them like any small count.
	Hide *Forced
}

// Forced lists entries of a Table to hide: Cells[row][col], RowTotals[row],
// ColTotals[col] and Total. Missing or short slices hide nothing more.
type Forced struct {
	Cells                [][]bool
	RowTotals, ColTotals []bool
	Total                bool
}

func (f *Forced) cell(i, j int) bool {
	return f != nil && i < len(f.Cells) && j < len(f.Cells[i]) && f.Cells[i][j]
}

func (f *Forced) rowTotal(i int) bool { return f != nil && i < len(f.RowTotals) && f.RowTotals[i] }

func (f *Forced) colTotal(j int) bool { return f != nil && j < len(f.ColTotals) && f.ColTotals[j] }

// Shown is what may leave the staff role: the same shape as the Table, each
// count either shown or suppressed. RowTotals and ColTotals are nil when
// the Table does not show them; Total is suppressed when it is not shown.
// When TooFew is set every count is suppressed and the report should say
// "too few responses to show" instead of drawing an empty table.
type Shown struct {
	Cells     [][]Cell `json:"cells"`
	RowTotals []Cell   `json:"row_totals,omitempty"`
	ColTotals []Cell   `json:"col_totals,omitempty"`
	Total     Cell     `json:"total"`
	TooFew    bool     `json:"too_few"`
}

// Suppress decides which counts of t may be shown to policymakers and the
// public. Every report, chart, export and API response that shows counts
// goes through Suppress (or SuppressList) first. Pass the organization's
// min_cell setting as k; the threshold used is MinK(k).
//
// The rules, with k that threshold:
//
//   - 0 is shown as 0: it points at nobody.
//   - A count from 1 to k−1 is hidden (primary suppression). Totals are
//     counts too and follow the same rule.
//   - When the grand total is below k the whole table is too few to show:
//     every cell and total is hidden and TooFew is set.
//   - Complementary suppression: wherever a total is shown, more entries
//     are hidden until no hidden count can be worked out by adding and
//     subtracting what is shown, across the whole table (rows, columns and
//     the totals' own row and column). In every line whose total is shown
//     the hidden members number zero or at least two and add up to 0 or to
//     at least k, so a reader never learns "these cells hold 3 people".
//   - A complement is the smallest non-zero shown count, preferring one that
//     also helps a line that still needs help. A zero is hidden only when
//     no non-zero count can do it; the grand total is never hidden as a
//     complement.
//   - The answer never says why a count is hidden: marking the small ones
//     would undo the protection.
//   - The answer is deterministic: the same counts always hide the same
//     cells, so refreshing a report does not reveal more.
//
// Counts that are invalid (rows of different lengths, negative numbers) are
// a caller's bug: rather than guess, Suppress then hides everything and
// reports TooFew.
func Suppress(t Table, k int) Shown {
	k = MinK(k)
	g, ok := newGrid(t, k)
	if !ok || g.val[g.at(g.rows, g.cols)] < k {
		return hideAll(t)
	}
	g.hidePrimary()
	g.hideForced(t.Hide)
	if !g.protect() {
		return hideAll(t)
	}
	return g.shown(t)
}

// SuppressList applies Suppress to a single list of counts (a one-row
// table), showing its total when withTotal is set. It returns the list, the
// total (suppressed when !withTotal) and whether the list is too few to
// show.
func SuppressList(counts []int, k int, withTotal bool) (cells []Cell, total Cell, tooFew bool) {
	s := Suppress(Table{Counts: [][]int{counts}, Total: withTotal}, k)
	return s.Cells[0], s.Total, s.TooFew
}

// hideAll is the answer for a table too small (or too broken) to show: its
// shape, with every count suppressed.
func hideAll(t Table) Shown {
	width := 0
	s := Shown{Cells: make([][]Cell, len(t.Counts)), Total: Cell{Suppressed: true}, TooFew: true}
	for i, row := range t.Counts {
		s.Cells[i] = hiddenCells(len(row))
		width = max(width, len(row))
	}
	if t.RowTotals {
		s.RowTotals = hiddenCells(len(t.Counts))
	}
	if t.ColTotals {
		s.ColTotals = hiddenCells(width)
	}
	return s
}

func hiddenCells(n int) []Cell {
	cells := make([]Cell, n)
	for i := range cells {
		cells[i].Suppressed = true
	}
	return cells
}
