// Package agreement computes how far coders agree when they code the same
// units: percent agreement, Cohen's kappa for a pair of coders and
// Krippendorff's alpha for nominal data with any number of coders and
// missing values. It knows nothing of codebooks or databases: callers turn
// their codings into Ratings, one row per coder and one column per unit.
package agreement

import (
	"errors"
	"fmt"
)

// Missing marks a unit that a coder did not code.
const Missing = -1

// Ratings holds what each coder gave each unit: Ratings[coder][unit] is a
// category number (0, 1, 2, …) or Missing. Category numbers are labels
// only: the statistics here are nominal and do not order them.
type Ratings [][]int

var (
	// ErrTooFewValues means fewer than two pairable values: no unit was
	// coded by two coders or more, so agreement cannot be measured.
	ErrTooFewValues = errors.New("fewer than two coders coded the same unit")
	// ErrNoVariation means every value is the same category, so the
	// agreement expected by chance is perfect and the chance-corrected
	// statistics (kappa, alpha) are undefined; percent agreement is 1.
	ErrNoVariation = errors.New("every value is the same category")
)

// units returns the number of units, checking that every coder's row has
// the same length and holds only categories or Missing.
func (r Ratings) units() (int, error) {
	if len(r) == 0 {
		return 0, nil
	}
	n := len(r[0])
	for i, row := range r {
		if len(row) != n {
			return 0, fmt.Errorf("coder %d has %d units, coder 0 has %d", i, len(row), n)
		}
		for u, v := range row {
			if v < Missing {
				return 0, fmt.Errorf("coder %d, unit %d: category %d is negative", i, u, v)
			}
		}
	}
	return n, nil
}

// dense renumbers the categories 0..k-1 so that counting can use slices
// rather than maps; it returns the renumbered ratings and k.
func (r Ratings) dense() (Ratings, int) {
	index := map[int]int{}
	out := make(Ratings, len(r))
	for c, row := range r {
		out[c] = make([]int, len(row))
		for u, v := range row {
			if v == Missing {
				out[c][u] = Missing
				continue
			}
			i, ok := index[v]
			if !ok {
				i = len(index)
				index[v] = i
			}
			out[c][u] = i
		}
	}
	return out, len(index)
}

// unitCounts calls fn for every unit coded by two coders or more, with how
// many coders gave each category (counts, indexed by dense category) and
// how many values the unit has (m). counts is reused between calls.
func (r Ratings) unitCounts(fn func(counts []int, m int)) error {
	n, err := r.units()
	if err != nil {
		return err
	}
	d, k := r.dense()
	counts := make([]int, k)
	for u := 0; u < n; u++ {
		m := 0
		for _, row := range d {
			if v := row[u]; v != Missing {
				counts[v]++
				m++
			}
		}
		if m >= 2 {
			fn(counts, m)
		}
		for _, row := range d {
			if v := row[u]; v != Missing {
				counts[v] = 0
			}
		}
	}
	return nil
}

// PercentAgreement is the share of agreeing pairs among all pairs of values
// given to the same unit: a unit with m values holds m(m-1)/2 pairs. With
// two coders this is the share of units both coded on which they agree.
func PercentAgreement(r Ratings) (float64, error) {
	var agree, pairs float64
	err := r.unitCounts(func(counts []int, m int) {
		pairs += float64(m*(m-1)) / 2
		for _, c := range counts {
			agree += float64(c*(c-1)) / 2
		}
	})
	if err != nil {
		return 0, err
	}
	if pairs == 0 {
		return 0, ErrTooFewValues
	}
	return agree / pairs, nil
}

// Alpha is Krippendorff's alpha for nominal data, computed from the
// coincidence matrix as in Krippendorff (2011), "Computing Krippendorff's
// Alpha-Reliability": only units with two values or more are pairable;
// a unit with m values adds 1/(m-1) to the coincidence of each ordered pair
// of its values, so every pairable value counts once. Then
//
//	alpha = 1 - (n-1) · Σ_c≠k o_ck / Σ_c≠k n_c·n_k
//
// where n_c are the coincidence matrix's marginals and n their total.
func Alpha(r Ratings) (float64, error) {
	var observed float64 // Σ_c≠k o_ck
	totals := map[int]float64{}
	err := r.unitCounts(func(counts []int, m int) {
		sumSq := 0
		for v, c := range counts {
			if c > 0 {
				sumSq += c * c
				totals[v] += float64(c)
			}
		}
		observed += float64(m*m-sumSq) / float64(m-1)
	})
	if err != nil {
		return 0, err
	}
	var n, sumSq float64
	for _, t := range totals {
		n += t
		sumSq += t * t
	}
	if n < 2 {
		return 0, ErrTooFewValues
	}
	expected := n*n - sumSq // Σ_c≠k n_c·n_k
	if expected == 0 {
		return 0, ErrNoVariation
	}
	return 1 - (n-1)*observed/expected, nil
}

// Kappa is Cohen's (1960) kappa for two coders over the units both coded:
// (p_o - p_e) / (1 - p_e), where p_o is the share of units they agree on
// and p_e the agreement expected from each coder's own category shares.
func Kappa(a, b []int) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("coders have %d and %d units", len(a), len(b))
	}
	if _, err := (Ratings{a, b}).units(); err != nil {
		return 0, err
	}
	d, k := (Ratings{a, b}).dense()
	ca, cb := make([]float64, k), make([]float64, k)
	var n, agree float64
	for u, va := range d[0] {
		vb := d[1][u]
		if va == Missing || vb == Missing {
			continue
		}
		n++
		ca[va]++
		cb[vb]++
		if va == vb {
			agree++
		}
	}
	if n == 0 {
		return 0, ErrTooFewValues
	}
	var chance float64
	for v, c := range ca {
		chance += (c / n) * (cb[v] / n)
	}
	if chance == 1 {
		return 0, ErrNoVariation
	}
	return (agree/n - chance) / (1 - chance), nil
}

// Pair is Cohen's kappa for two coders, by their rows in Ratings.
type Pair struct {
	A, B int
	// Units is how many units both coded.
	Units int
	Kappa float64
	// Err is set when kappa is undefined for this pair (ErrTooFewValues,
	// ErrNoVariation); Kappa is then 0.
	Err error
}

// Pairs computes Cohen's kappa for every pair of coders, A < B.
func Pairs(r Ratings) ([]Pair, error) {
	if _, err := r.units(); err != nil {
		return nil, err
	}
	var out []Pair
	for a := 0; a < len(r); a++ {
		for b := a + 1; b < len(r); b++ {
			p := Pair{A: a, B: b}
			for u := range r[a] {
				if r[a][u] != Missing && r[b][u] != Missing {
					p.Units++
				}
			}
			p.Kappa, p.Err = Kappa(r[a], r[b])
			out = append(out, p)
		}
	}
	return out, nil
}
