package privacy

import (
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"
)

// go test ./internal/privacy -run TestSuppressProperties -args -suppress.n=200000
var propertyTables = flag.Int("suppress.n", 5000, "random tables TestSuppressProperties checks")

// TestSuppressProperties checks the promises of Suppress on random tables of
// 1×1 to 8×8 with every combination of totals shown.
func TestSuppressProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	for n := range *propertyTables {
		tb, k := randomTable(r)
		if err := checkSuppress(tb, k); err != nil {
			t.Fatalf("table %d, k=%d, %+v: %v", n, k, tb, err)
		}
	}
}

// randomTable draws a table from one of a few shapes of data: mostly
// small counts, a mix around k, mostly large counts, mostly zeros.
func randomTable(r *rand.Rand) (Table, int) {
	k := []int{5, 11, 20, 5 + r.IntN(30)}[r.IntN(4)]
	rows, cols := 1+r.IntN(8), 1+r.IntN(8)
	regime := r.IntN(4)
	counts := make([][]int, rows)
	for i := range counts {
		counts[i] = make([]int, cols)
		for j := range counts[i] {
			counts[i][j] = randomCount(r, regime, k)
		}
	}
	return Table{Counts: counts, RowTotals: r.IntN(2) == 0, ColTotals: r.IntN(2) == 0, Total: r.IntN(2) == 0}, k
}

func randomCount(r *rand.Rand, regime, k int) int {
	p := r.Float64()
	switch regime {
	case 0: // small
		return r.IntN(5)
	case 1: // around k
		switch {
		case p < 0.3:
			return 0
		case p < 0.7:
			return 1 + r.IntN(k-1)
		default:
			return k + r.IntN(100)
		}
	case 2: // large, a few small
		if p < 0.15 {
			return r.IntN(k)
		}
		return k + r.IntN(1000)
	default: // sparse
		if p < 0.7 {
			return 0
		}
		return 1 + r.IntN(50)
	}
}

// checkSuppress runs Suppress on tb and returns what is wrong with its
// answer, or nil.
func checkSuppress(tb Table, k int) error {
	s := Suppress(tb, k)
	if again := Suppress(tb, k); !reflect.DeepEqual(s, again) {
		return fmt.Errorf("not deterministic: %+v then %+v", s, again)
	}
	a := newAudit(tb, s)
	if a == nil {
		return fmt.Errorf("shape differs: %+v", s)
	}
	if want := a.truth[a.grand] < MinK(k); s.TooFew != want {
		return fmt.Errorf("TooFew = %v with grand total %d", s.TooFew, a.truth[a.grand])
	}
	for e, c := range a.shown {
		switch {
		case !c.Suppressed && c.Value != a.truth[e]:
			return fmt.Errorf("%s shows %d, true value %d", a.name(e), c.Value, a.truth[e])
		case !c.Suppressed && c.Value > 0 && c.Value < MinK(k):
			return fmt.Errorf("%s shows %d, below k", a.name(e), c.Value)
		case c.Suppressed && c.Value != 0:
			return fmt.Errorf("%s is suppressed but carries %d", a.name(e), c.Value)
		}
	}
	if !s.TooFew && a.published[a.grand] && a.shown[a.grand].Suppressed {
		return fmt.Errorf("grand total hidden")
	}
	for _, l := range a.lines() {
		if a.shown[l.total].Suppressed {
			continue
		}
		sum := 0
		for _, m := range l.members {
			if a.shown[m].Suppressed {
				sum += a.truth[m]
			}
		}
		if sum > 0 && sum < MinK(k) {
			return fmt.Errorf("the hidden cells of the line with total %s add up to %d", a.name(l.total), sum)
		}
	}
	if e, ok := a.recoverable(); ok {
		return fmt.Errorf("%s (true %d) can be worked out from what is shown: %+v", a.name(e), a.truth[e], s)
	}
	return checkShares(a)
}

// checkShares checks Share on every pair of shown counts of a table.
func checkShares(a *audit) error {
	for i, part := range a.shown {
		for j, whole := range a.shown {
			p := Share(part, whole)
			want := part.Suppressed || whole.Suppressed || whole.Value == 0
			if p.Suppressed != want {
				return fmt.Errorf("Share(%s, %s) suppressed = %v", a.name(i), a.name(j), p.Suppressed)
			}
			if !want && p.Value != 100*float64(part.Value)/float64(whole.Value) {
				return fmt.Errorf("Share(%s, %s) = %v", a.name(i), a.name(j), p.Value)
			}
		}
	}
	return nil
}

// audit is a reader's view of a Shown, built without the package's grid: an
// entry per cell, per shown row and column total and for the grand total.
type audit struct {
	rows, cols int
	truth      []int
	shown      []Cell
	published  []bool
	grand      int
	rowTotals  bool
	colTotals  bool
}

func newAudit(tb Table, s Shown) *audit {
	rows, cols := len(tb.Counts), len(tb.Counts[0])
	if len(s.Cells) != rows || (tb.RowTotals != (s.RowTotals != nil)) || (tb.ColTotals != (s.ColTotals != nil)) ||
		(tb.RowTotals && len(s.RowTotals) != rows) || (tb.ColTotals && len(s.ColTotals) != cols) {
		return nil
	}
	n := (rows + 1) * (cols + 1)
	a := &audit{rows: rows, cols: cols, truth: make([]int, n), shown: make([]Cell, n), published: make([]bool, n),
		grand: n - 1, rowTotals: tb.RowTotals, colTotals: tb.ColTotals}
	for i := range a.shown {
		a.shown[i] = Cell{Suppressed: true}
	}
	for i, row := range tb.Counts {
		if len(s.Cells[i]) != cols {
			return nil
		}
		for j, v := range row {
			a.truth[a.at(i, j)] = v
			a.truth[a.at(i, cols)] += v
			a.truth[a.at(rows, j)] += v
			a.truth[a.grand] += v
			a.shown[a.at(i, j)], a.published[a.at(i, j)] = s.Cells[i][j], true
		}
	}
	for i := range s.RowTotals {
		a.shown[a.at(i, cols)], a.published[a.at(i, cols)] = s.RowTotals[i], true
	}
	for j := range s.ColTotals {
		a.shown[a.at(rows, j)], a.published[a.at(rows, j)] = s.ColTotals[j], true
	}
	a.published[a.grand] = tb.Total || tb.RowTotals || tb.ColTotals
	a.shown[a.grand] = s.Total
	return a
}

func (a *audit) at(i, j int) int { return i*(a.cols+1) + j }

func (a *audit) name(e int) string {
	i, j := e/(a.cols+1), e%(a.cols+1)
	switch {
	case e == a.grand:
		return "the grand total"
	case i == a.rows:
		return fmt.Sprintf("column %d's total", j)
	case j == a.cols:
		return fmt.Sprintf("row %d's total", i)
	}
	return fmt.Sprintf("cell (%d,%d)", i, j)
}

type auditLine struct {
	members []int
	total   int
}

// lines lists everything a reader knows adds up: each shown row and column
// total, the grand total as the sum of the row totals, of the column totals
// and, when no other total is shown, of all cells (with other totals shown
// that last equation follows from the others).
func (a *audit) lines() []auditLine {
	var ls []auditLine
	var all, rowTotals, colTotals []int
	for i := range a.rows {
		var m []int
		for j := range a.cols {
			m = append(m, a.at(i, j))
		}
		all = append(all, m...)
		rowTotals = append(rowTotals, a.at(i, a.cols))
		if a.rowTotals {
			ls = append(ls, auditLine{m, a.at(i, a.cols)})
		}
	}
	for j := range a.cols {
		var m []int
		for i := range a.rows {
			m = append(m, a.at(i, j))
		}
		colTotals = append(colTotals, a.at(a.rows, j))
		if a.colTotals {
			ls = append(ls, auditLine{m, a.at(a.rows, j)})
		}
	}
	if a.published[a.grand] {
		if !a.rowTotals && !a.colTotals {
			ls = append(ls, auditLine{all, a.grand})
		}
		if a.rowTotals {
			ls = append(ls, auditLine{rowTotals, a.grand})
		}
		if a.colTotals {
			ls = append(ls, auditLine{colTotals, a.grand})
		}
	}
	return ls
}

// recoverable sets up the linear system a reader has — unknowns the hidden
// published entries, one equation per line: total − Σ members = 0 with the
// shown values moved to the right — reduces it exactly over the rationals and
// reports a hidden entry whose unit vector is in the row space, that is one
// whose value the system fixes.
func (a *audit) recoverable() (entry int, ok bool) {
	var unknowns []int
	index := map[int]int{}
	for e, c := range a.shown {
		if a.published[e] && c.Suppressed {
			index[e] = len(unknowns)
			unknowns = append(unknowns, e)
		}
	}
	var m [][]*big.Rat
	for _, l := range a.lines() {
		row := make([]*big.Rat, len(unknowns))
		for i := range row {
			row[i] = new(big.Rat)
		}
		add := func(e int, c int64) {
			if u, hidden := index[e]; hidden {
				row[u].Add(row[u], big.NewRat(c, 1))
			}
		}
		add(l.total, 1)
		for _, e := range l.members {
			add(e, -1)
		}
		m = append(m, row)
	}
	for _, row := range rref(m, len(unknowns)) {
		nonzero, last := 0, -1
		for u, v := range row {
			if v.Sign() != 0 {
				nonzero, last = nonzero+1, u
			}
		}
		if nonzero == 1 {
			return unknowns[last], true
		}
	}
	return -1, false
}

// rref brings m to reduced row echelon form in place and returns its
// non-zero rows. A unit vector lies in the row space exactly when one of
// them is that unit vector (up to a factor).
func rref(m [][]*big.Rat, width int) [][]*big.Rat {
	pivotRow := 0
	for col := 0; col < width && pivotRow < len(m); col++ {
		p := -1
		for r := pivotRow; r < len(m); r++ {
			if m[r][col].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			continue
		}
		m[pivotRow], m[p] = m[p], m[pivotRow]
		inv := new(big.Rat).Inv(m[pivotRow][col])
		for c := range m[pivotRow] {
			m[pivotRow][c].Mul(m[pivotRow][c], inv)
		}
		for r := range m {
			if r == pivotRow || m[r][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(m[r][col])
			for c, v := range m[pivotRow] {
				if v.Sign() != 0 {
					m[r][c].Sub(m[r][c], new(big.Rat).Mul(f, v))
				}
			}
		}
		pivotRow++
	}
	return m[:pivotRow]
}

// TestSuppressForcedProperties: entries the caller forces hidden stay
// hidden, and every other promise of Suppress still holds around them.
func TestSuppressForcedProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	for n := range *propertyTables {
		tb, k := randomTable(r)
		f := &Forced{Cells: make([][]bool, len(tb.Counts)), RowTotals: make([]bool, len(tb.Counts)), ColTotals: make([]bool, len(tb.Counts[0]))}
		for i := range tb.Counts {
			f.Cells[i] = make([]bool, len(tb.Counts[i]))
			for j := range f.Cells[i] {
				f.Cells[i][j] = r.IntN(6) == 0
			}
			f.RowTotals[i] = r.IntN(8) == 0
		}
		for j := range f.ColTotals {
			f.ColTotals[j] = r.IntN(8) == 0
		}
		tb.Hide = f
		s := Suppress(tb, k)
		if s.TooFew {
			// Forcing can ask for the impossible (a one-row table's row total
			// hidden beside its grand total): then nothing is shown at all.
			for _, row := range s.Cells {
				for _, c := range row {
					if !c.Suppressed {
						t.Fatalf("table %d: too few, yet a cell is shown", n)
					}
				}
			}
			continue
		}
		if err := checkSuppress(tb, k); err != nil {
			t.Fatalf("table %d, k=%d, %+v, forced %+v: %v", n, k, tb, f, err)
		}
		for i := range tb.Counts {
			for j := range tb.Counts[i] {
				if f.Cells[i][j] && !s.Cells[i][j].Suppressed {
					t.Fatalf("table %d: forced cell %d,%d shown", n, i, j)
				}
			}
			if tb.RowTotals && f.RowTotals[i] && !s.RowTotals[i].Suppressed {
				t.Fatalf("table %d: forced row total %d shown", n, i)
			}
		}
		for j := range f.ColTotals {
			if tb.ColTotals && f.ColTotals[j] && !s.ColTotals[j].Suppressed {
				t.Fatalf("table %d: forced column total %d shown", n, j)
			}
		}
	}
}
