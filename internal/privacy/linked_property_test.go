package privacy

import (
	"flag"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// go test ./internal/privacy -run TestLinkedAttacker -args -linked.n=100000
var linkedTables = flag.Int("linked.n", 300, "random multi-site tables TestLinkedAttacker attacks")

// family is a report family over several sites: counts[site][col], the
// column sets its views show (a category, the answered, participation),
// the column sets no view shows but a reader can work out (no answer),
// and the site groups a reader can filter to.
type family struct {
	counts  [][]int
	colSets [][]int
	silent  [][]int
	groups  [][]int
}

// view is one count a reader can be shown: a group of sites and a set of
// columns.
type view struct {
	atoms  []int
	entry  int
	silent bool
	force  bool
}

func randomFamily(r *rand.Rand, k int) family {
	sites, regime := 2+r.IntN(4), r.IntN(4)
	f := family{groups: [][]int{}}
	setting, kind := map[int][]int{}, map[int][]int{}
	var all []int
	for s := range sites {
		all = append(all, s)
		f.groups = append(f.groups, []int{s})
		setting[r.IntN(2)] = append(setting[r.IntN(2)], s)
		kind[r.IntN(2)] = append(kind[r.IntN(2)], s)
	}
	f.groups = append(f.groups, all)
	for _, m := range []map[int][]int{setting, kind} {
		for _, g := range []int{0, 1} {
			if len(m[g]) > 0 {
				f.groups = append(f.groups, m[g])
			}
		}
	}
	var cols int
	if r.IntN(2) == 0 { // "about you": bands, then no answer
		bands := 1 + r.IntN(5)
		cols = bands + 1
		var answered, every []int
		for b := range bands {
			f.colSets = append(f.colSets, []int{b})
			answered = append(answered, b)
		}
		every = append(answered, bands)
		f.colSets = append(f.colSets, answered, every)
		f.silent = [][]int{{bands}}
	} else { // periods and their total
		cols = 1 + r.IntN(5)
		var every []int
		for p := range cols {
			f.colSets = append(f.colSets, []int{p})
			every = append(every, p)
		}
		if cols > 1 {
			f.colSets = append(f.colSets, every)
		}
	}
	f.counts = make([][]int, sites)
	for s := range f.counts {
		f.counts[s] = make([]int, cols)
		for c := range f.counts[s] {
			f.counts[s][c] = randomCount(r, regime, k)
		}
	}
	return f
}

// linked builds the family's linked table and its views; some views are
// forced hidden at random, as the month guard does.
func (f family) linked(r *rand.Rand) (Linked, []view) {
	cols := len(f.counts[0])
	var l Linked
	// Reports give the grid (Protect then tries moves before the solver);
	// without it the atoms are one row. Categories may spend their total.
	if r.IntN(4) > 0 {
		l.Cols = cols
	}
	spendTotal := r.IntN(3) == 0
	for _, row := range f.counts {
		l.Atoms = append(l.Atoms, row...)
	}
	var views []view
	add := func(g, set []int, silent bool) {
		var atoms []int
		for _, s := range g {
			for _, c := range set {
				atoms = append(atoms, s*cols+c)
			}
		}
		v := view{atoms: atoms, silent: silent, force: !silent && r.IntN(12) == 0}
		keep := !spendTotal && len(g) == len(f.counts) && len(set) == len(f.colSets[len(f.colSets)-1])
		v.entry = l.Add(Entry{Atoms: atoms, Silent: silent, Force: v.force, Keep: keep})
		views = append(views, v)
	}
	for _, g := range f.groups {
		for _, set := range f.colSets {
			add(g, set, false)
		}
		for _, set := range f.silent {
			add(g, set, true)
		}
	}
	return l, views
}

func TestLinkedAttacker(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	failed := 0
	for n := range *linkedTables {
		k := []int{5, 11, 20}[r.IntN(3)]
		f := randomFamily(r, k)
		l, views := f.linked(r)
		p := Protect(l, k)
		if again := Protect(l, k); !reflect.DeepEqual(p, again) {
			t.Fatalf("table %d: not deterministic", n)
		}
		if p.Failed {
			failed++
			continue
		}
		if err := attack(l, views, p, k); err != nil {
			t.Fatalf("table %d, k=%d, counts %v, groups %v, columns %v: %v", n, k, f.counts, f.groups, f.colSets, err)
		}
	}
	t.Logf("%d tables, %d hid everything", *linkedTables, failed)
}

// attack plays a reader who asks for every view: it writes one equation
// per shown count and checks every small, forced or silent count: never
// shown, never fixed by the equations (exactly, over the rationals), and
// never narrowed (a linear program with no count negative) to a range
// that misses v−2 (or 0) or v+2.
func attack(l Linked, views []view, p Pattern, k int) error {
	var eqs [][]int
	var values []int
	for _, v := range views {
		if c := p.Shown(v.entry); !v.silent && !c.Suppressed {
			eqs, values = append(eqs, v.atoms), append(values, c.Value)
		}
	}
	for _, v := range views {
		value := 0
		for _, a := range v.atoms {
			value += l.Atoms[a]
		}
		if !(value > 0 && value < MinK(k)) && !v.force {
			continue
		}
		if !v.silent && !p.Shown(v.entry).Suppressed {
			return fmt.Errorf("count %d of atoms %v is shown", value, v.atoms)
		}
		if fixed(len(l.Atoms), eqs, v.atoms) {
			return fmt.Errorf("count %d of atoms %v is fixed by the shown counts", value, v.atoms)
		}
		lo, hi := readerRange(len(l.Atoms), eqs, values, v.atoms)
		if lo > max(0, value-ProtectionWidth) || (hi >= 0 && hi < value+ProtectionWidth) {
			return fmt.Errorf("count %d of atoms %v narrowed to [%d, %d]", value, v.atoms, lo, hi)
		}
	}
	return nil
}

// fixed reports whether target's sum lies in the row space of the
// equations: then the shown counts determine it.
func fixed(n int, eqs [][]int, target []int) bool {
	rows := func(extra bool) int {
		var m [][]*big.Rat
		for _, e := range eqs {
			m = append(m, ratRow(n, e))
		}
		if extra {
			m = append(m, ratRow(n, target))
		}
		return len(rref(m, n))
	}
	return rows(false) == rows(true)
}

func ratRow(n int, atoms []int) []*big.Rat {
	row := make([]*big.Rat, n)
	for i := range row {
		row[i] = new(big.Rat)
	}
	for _, a := range atoms {
		row[a].SetInt64(1)
	}
	return row
}

// readerRange is the least and greatest value of target's sum (hi −1: no
// bound) over every non-negative solution of the equations, by the
// simplex over the independent rows (found exactly) and every atom.
func readerRange(n int, eqs [][]int, values []int, target []int) (lo, hi int) {
	var m [][]*big.Rat
	for i, e := range eqs {
		m = append(m, append(ratRow(n, e), new(big.Rat).SetInt64(int64(values[i]))))
	}
	basis := rref(m, n+1)
	used := make([]bool, n)
	var A [][]float64
	var b []float64
	for _, row := range basis {
		fr := make([]float64, n)
		for j := range n {
			fr[j], _ = row[j].Float64()
			used[j] = used[j] || row[j].Sign() != 0
		}
		A = append(A, fr)
		v, _ := row[n].Float64()
		b = append(b, v)
	}
	// Atoms no equation mentions: free, from 0 up.
	var cols []int
	unbounded := false
	for j := range n {
		if used[j] {
			cols = append(cols, j)
		}
	}
	for _, a := range target {
		if !used[a] {
			unbounded = true
		}
	}
	if len(A) == 0 {
		return 0, -1
	}
	dense := mat.NewDense(len(A), len(cols), nil)
	c := make([]float64, len(cols))
	for i := range A {
		for jj, j := range cols {
			dense.Set(i, jj, A[i][j])
		}
	}
	for jj, j := range cols {
		for _, a := range target {
			if a == j {
				c[jj] = 1
			}
		}
	}
	minF, _, err := lp.Simplex(c, dense, b, 1e-9, nil)
	if err != nil {
		panic(err)
	}
	lo = int(math.Ceil(minF - 1e-6))
	if unbounded {
		return lo, -1
	}
	for j := range c {
		c[j] = -c[j]
	}
	maxF, _, err := lp.Simplex(c, dense, b, 1e-9, nil)
	if err != nil {
		return lo, -1
	}
	return lo, int(math.Floor(-maxF + 1e-6))
}
