package privacy

import "cmp"

// grid is a Table extended by its totals: (rows+1)×(cols+1) entries where
// the last column holds the row totals, the last row the column totals and
// the corner the grand total. In this form every line — a row or a column,
// the totals' own row and column included — says "the last entry is the
// sum of the others", which is all a reader can use to work a hidden count
// back.
type grid struct {
	k          int
	rows, cols int
	val        []int
	exists     []bool // the entry is shown unless hidden; false: not part of the report
	hidden     []bool
	lines      []line
	memberOf   [][]int // entry → the lines it is a member (not the total) of
	totalOf    [][]int // entry → the lines it is the total of
	rowEq      []bool  // row a (0..rows) has an equation a reader can use
	colEq      []bool  // column b (0..cols) likewise
}

// line is one equation: val[total] = Σ val[members].
type line struct {
	members []int
	total   int
}

func (g *grid) at(a, b int) int { return a*(g.cols+1) + b }

// newGrid builds the grid of t; ok is false when t is not a valid table.
func newGrid(t Table, k int) (g *grid, ok bool) {
	rows, cols := len(t.Counts), 0
	if rows > 0 {
		cols = len(t.Counts[0])
	}
	g = &grid{k: k, rows: rows, cols: cols}
	n := (rows + 1) * (cols + 1)
	g.val, g.exists, g.hidden = make([]int, n), make([]bool, n), make([]bool, n)
	for i, row := range t.Counts {
		if len(row) != cols {
			return nil, false
		}
		for j, v := range row {
			if v < 0 {
				return nil, false
			}
			g.val[g.at(i, j)] = v
			g.val[g.at(i, cols)] += v
			g.val[g.at(rows, j)] += v
			g.val[g.at(rows, cols)] += v
			g.exists[g.at(i, j)] = true
		}
	}
	for i := range rows {
		g.exists[g.at(i, cols)] = t.RowTotals
	}
	for j := range cols {
		g.exists[g.at(rows, j)] = t.ColTotals
	}
	g.exists[g.at(rows, cols)] = t.Total || t.RowTotals || t.ColTotals
	g.buildLines(t)
	return g, true
}

func (g *grid) buildLines(t Table) {
	g.memberOf, g.totalOf = make([][]int, len(g.val)), make([][]int, len(g.val))
	g.rowEq, g.colEq = make([]bool, g.rows+1), make([]bool, g.cols+1)
	for a := range g.rows + 1 {
		g.rowEq[a] = g.addLine(g.rowCols(a), g.at(a, g.cols))
	}
	for b := range g.cols + 1 {
		g.colEq[b] = g.addLine(g.colRows(b), g.at(g.rows, b))
	}
	if !t.RowTotals && !t.ColTotals {
		// Only the grand total is shown: it is the sum of every cell. No row
		// or column has an equation, so this line is outside the grid's rows
		// and columns and the line rule alone protects it.
		var all []int
		for i := range g.rows {
			all = append(all, g.rowCols(i)...)
		}
		g.addLine(all, g.at(g.rows, g.cols))
	}
}

// rowCols and colRows list the existing members of row a and column b.
func (g *grid) rowCols(a int) []int {
	var m []int
	for b := range g.cols {
		if g.exists[g.at(a, b)] {
			m = append(m, g.at(a, b))
		}
	}
	return m
}

func (g *grid) colRows(b int) []int {
	var m []int
	for a := range g.rows {
		if g.exists[g.at(a, b)] {
			m = append(m, g.at(a, b))
		}
	}
	return m
}

// addLine records the equation total = Σ members when the report shows that
// total, and says whether it did.
func (g *grid) addLine(members []int, total int) bool {
	if !g.exists[total] || len(members) == 0 {
		return false
	}
	for _, m := range members {
		g.memberOf[m] = append(g.memberOf[m], len(g.lines))
	}
	g.totalOf[total] = append(g.totalOf[total], len(g.lines))
	g.lines = append(g.lines, line{members: members, total: total})
	return true
}

func (g *grid) hidePrimary() {
	for e, v := range g.val {
		if g.exists[e] && v > 0 && v < g.k {
			g.hidden[e] = true
		}
	}
}

// hideForced hides the entries the caller named, shown or not yet.
func (g *grid) hideForced(f *Forced) {
	if f == nil {
		return
	}
	for i := range g.rows {
		for j := range g.cols {
			if f.cell(i, j) {
				g.hidden[g.at(i, j)] = true
			}
		}
		if f.rowTotal(i) && g.exists[g.at(i, g.cols)] {
			g.hidden[g.at(i, g.cols)] = true
		}
	}
	for j := range g.cols {
		if f.colTotal(j) && g.exists[g.at(g.rows, j)] {
			g.hidden[g.at(g.rows, j)] = true
		}
	}
	if f.Total && g.exists[g.at(g.rows, g.cols)] {
		g.hidden[g.at(g.rows, g.cols)] = true
	}
}

// protect adds complementary suppression, one entry at a time, until every
// line rule holds and no hidden entry is determined. It reports false when
// nothing more can be hidden and something still is determined.
func (g *grid) protect() bool {
	for {
		if g.fixLine() {
			continue
		}
		if g.anyBroken() {
			// A broken line with every member hidden (only forcing makes one:
			// a lone cell hidden beside the total that equals it).
			return false
		}
		e, found := g.determined()
		if !found {
			return true
		}
		if !g.fixDetermined(e) {
			return false
		}
	}
}

// hiddenIn counts the hidden members of l and adds them up.
func (g *grid) hiddenIn(l line) (n, sum int) {
	for _, m := range l.members {
		if g.hidden[m] {
			n++
			sum += g.val[m]
		}
	}
	return n, sum
}

// broken reports whether l, with extra (if ≥ 0) hidden as well, shows its
// total while hiding exactly one member or members adding up to 1..k−1.
func (g *grid) broken(l line, extra int) bool {
	if g.hidden[l.total] {
		return false
	}
	n, sum := g.hiddenIn(l)
	if extra >= 0 && !g.hidden[extra] {
		n, sum = n+1, sum+g.val[extra]
	}
	return n == 1 || (sum > 0 && sum < g.k)
}

// anyBroken reports whether a line still breaks the line rule.
func (g *grid) anyBroken() bool {
	for _, l := range g.lines {
		if g.broken(l, -1) {
			return true
		}
	}
	return false
}

// fixLine hides one more member of the first broken line that has a shown
// member to hide, and reports whether it did.
func (g *grid) fixLine() bool {
	for li, l := range g.lines {
		if !g.broken(l, -1) {
			continue
		}
		if c := g.complement(li); c >= 0 {
			g.hidden[c] = true
			return true
		}
	}
	return false
}

// complement picks the member of line li to hide next, or −1 if every
// member is hidden. Preferred, in order: a non-zero count; one whose other
// line is broken too (one hidden cell fixes both) over one that breaks no
// other line, over one that does; one large enough to lift the line's
// hidden sum to k; the smallest; the first.
func (g *grid) complement(li int) int {
	l := g.lines[li]
	_, sum := g.hiddenIn(l)
	best, bestKey := -1, [5]int{}
	for _, m := range l.members {
		if g.hidden[m] {
			continue
		}
		key := [5]int{b2i(g.val[m] == 0), g.crossing(m, li), b2i(sum+g.val[m] < g.k), g.val[m], m}
		if best < 0 || cmpKey(key, bestKey) < 0 {
			best, bestKey = m, key
		}
	}
	return best
}

// crossing rates hiding m for the lines other than li it belongs to: 0 if
// one of them is broken now, 1 if none would be broken afterwards, 2 if
// hiding m would break one. Hiding the total of a line none of whose
// members is hidden also rates 2: a hidden total with every cell of its line
// shown is that sum, so one of those cells would have to go as well.
func (g *grid) crossing(m, li int) int {
	rate := 1
	for _, lj := range g.memberOf[m] {
		if lj == li {
			continue
		}
		if g.broken(g.lines[lj], -1) {
			return 0
		}
		if g.broken(g.lines[lj], m) {
			rate = 2
		}
	}
	for _, lj := range g.totalOf[m] {
		if n, _ := g.hiddenIn(g.lines[lj]); n == 0 {
			rate = 2
		}
	}
	return rate
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpKey(a, b [5]int) int {
	for i := range a {
		if c := cmp.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// shown turns the grid into what may be shown.
func (g *grid) shown(t Table) Shown {
	cell := func(e int) Cell {
		if !g.exists[e] || g.hidden[e] {
			return Cell{Suppressed: true}
		}
		return Cell{Value: g.val[e]}
	}
	s := Shown{Cells: make([][]Cell, g.rows), Total: cell(g.at(g.rows, g.cols))}
	for i := range g.rows {
		s.Cells[i] = make([]Cell, g.cols)
		for j := range g.cols {
			s.Cells[i][j] = cell(g.at(i, j))
		}
	}
	if t.RowTotals {
		s.RowTotals = make([]Cell, g.rows)
		for i := range g.rows {
			s.RowTotals[i] = cell(g.at(i, g.cols))
		}
	}
	if t.ColTotals {
		s.ColTotals = make([]Cell, g.cols)
		for j := range g.cols {
			s.ColTotals[j] = cell(g.at(g.rows, j))
		}
	}
	return s
}
