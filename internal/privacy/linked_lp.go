package privacy

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// A reader who sees some counts of a linked table knows one equation per
// shown count (its atoms add up to it) and that no atom is negative. The
// smallest and largest value a hidden count can take under those
// equations is a linear program; intervals solves it with gonum's simplex.
// The true counts are always a solution, so the program is feasible; a
// count with an atom no equation mentions has no upper bound.

// equation says the atoms add up to value.
type equation struct {
	atoms []int
	value int
}

type intervals struct{ atoms int }

func newIntervals(atoms int) *intervals { return &intervals{atoms: atoms} }

// rangeOf returns the least and greatest value the sum of target can take
// (hi −1: no bound); ok is false when the solver failed.
func (iv *intervals) rangeOf(target []int, eqs []equation) (lo, hi int, ok bool) {
	eqs = connected(target, eqs)
	vars := map[int]int{}
	for _, e := range eqs {
		for _, a := range e.atoms {
			if _, seen := vars[a]; !seen {
				vars[a] = len(vars)
			}
		}
	}
	free := false
	for _, a := range target {
		if _, in := vars[a]; !in {
			free = true
		}
	}
	rows, b := independentRows(eqs, vars)
	if len(rows) == 0 {
		if free {
			return 0, -1, true
		}
		return 0, -1, true
	}
	n := len(vars)
	A := mat.NewDense(len(rows), n, nil)
	for i, r := range rows {
		A.SetRow(i, r)
	}
	c := make([]float64, n)
	for _, a := range target {
		if j, in := vars[a]; in {
			c[j] = 1
		}
	}
	minF, _, err := lp.Simplex(c, A, b, 1e-9, nil)
	if err != nil {
		return 0, 0, false
	}
	lo = int(math.Ceil(minF - 1e-6))
	if free {
		return lo, -1, true
	}
	for j := range c {
		c[j] = -c[j]
	}
	maxF, _, err := lp.Simplex(c, A, b, 1e-9, nil)
	switch {
	case errors.Is(err, lp.ErrUnbounded):
		return lo, -1, true
	case err != nil:
		return 0, 0, false
	}
	return lo, int(math.Floor(-maxF + 1e-6)), true
}

// connected keeps the equations linked to target through shared atoms:
// the others say nothing about it.
func connected(target []int, eqs []equation) []equation {
	reached := map[int]bool{}
	for _, a := range target {
		reached[a] = true
	}
	used := make([]bool, len(eqs))
	for grew := true; grew; {
		grew = false
		for i, e := range eqs {
			if used[i] || !slices.ContainsFunc(e.atoms, func(a int) bool { return reached[a] }) {
				continue
			}
			used[i], grew = true, true
			for _, a := range e.atoms {
				reached[a] = true
			}
		}
	}
	var out []equation
	for i, e := range eqs {
		if used[i] {
			out = append(out, e)
		}
	}
	return out
}

// independentRows drops equations that follow from the others (the
// simplex needs full row rank), by Gaussian elimination.
func independentRows(eqs []equation, vars map[int]int) ([][]float64, []float64) {
	var rows, echelon [][]float64
	var b []float64
	var pivots []int
	for _, e := range eqs {
		row := make([]float64, len(vars))
		for _, a := range e.atoms {
			row[vars[a]] = 1
		}
		r := slices.Clone(row)
		for i, p := range pivots {
			if f := r[p]; f != 0 {
				for j := range r {
					r[j] -= f * echelon[i][j]
				}
			}
		}
		p := -1
		for j, x := range r {
			if math.Abs(x) > 1e-9 && (p < 0 || math.Abs(x) > math.Abs(r[p])) {
				p = j
			}
		}
		if p < 0 {
			continue
		}
		f := r[p]
		for j := range r {
			r[j] /= f
		}
		echelon, pivots = append(echelon, r), append(pivots, p)
		rows, b = append(rows, row), append(b, float64(e.value))
	}
	return rows, b
}
