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
	top := Missing
	for _, row := range r {
		for _, v := range row {
			top = max(top, v)
		}
	}
	// Small category numbers (the usual case: 0/1 for present/absent) are
	// looked up in a slice; a map serves any others.
	var table []int
	var index map[int]int
	if top < 4096 {
		table = make([]int, top+1)
		for i := range table {
			table[i] = -1
		}
	} else {
		index = map[int]int{}
	}
	k := 0
	out := make(Ratings, len(r))
	for c, row := range r {
		out[c] = make([]int, len(row))
		for u, v := range row {
			if v == Missing {
				out[c][u] = Missing
				continue
			}
			var i int
			if table != nil {
				if i = table[v]; i < 0 {
					i, table[v] = k, k
					k++
				}
			} else {
				var ok bool
				if i, ok = index[v]; !ok {
					i, index[v] = k, k
					k++
				}
			}
			out[c][u] = i
		}
	}
	return out, k
}

// unitCounts calls fn for every unit coded by two coders or more, with how
// many coders gave each category (counts, indexed by dense category) and
// how many values the unit has (m). counts is reused between calls. d must
// come from dense, with k categories.
func unitCounts(d Ratings, k int, fn func(counts []int, m int)) {
	counts := make([]int, k)
	n := 0
	if len(d) > 0 {
		n = len(d[0])
	}
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
}

// prepare checks r and renumbers its categories densely.
func (r Ratings) prepare() (Ratings, int, error) {
	if _, err := r.units(); err != nil {
		return nil, 0, err
	}
	d, k := r.dense()
	return d, k, nil
}

// PercentAgreement is the share of agreeing pairs among all pairs of values
// given to the same unit: a unit with m values holds m(m-1)/2 pairs. With
// two coders this is the share of units both coded on which they agree.
func PercentAgreement(r Ratings) (float64, error) {
	d, k, err := r.prepare()
	if err != nil {
		return 0, err
	}
	return percentDense(d, k)
}

func percentDense(d Ratings, k int) (float64, error) {
	var agree, pairs float64
	unitCounts(d, k, func(counts []int, m int) {
		pairs += float64(m*(m-1)) / 2
		for _, c := range counts {
			agree += float64(c*(c-1)) / 2
		}
	})
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
	d, k, err := r.prepare()
	if err != nil {
		return 0, err
	}
	return alphaDense(d, k)
}

func alphaDense(d Ratings, k int) (float64, error) {
	var observed float64 // Σ_c≠k o_ck
	totals := make([]float64, k)
	unitCounts(d, k, func(counts []int, m int) {
		sumSq := 0
		for v, c := range counts {
			if c > 0 {
				sumSq += c * c
				totals[v] += float64(c)
			}
		}
		observed += float64(m*m-sumSq) / float64(m-1)
	})
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
	d, k, err := (Ratings{a, b}).prepare()
	if err != nil {
		return 0, err
	}
	return kappaDense(d[0], d[1], k)
}

func kappaDense(a, b []int, k int) (float64, error) {
	ca, cb := make([]float64, k), make([]float64, k)
	var n, agree float64
	for u, va := range a {
		vb := b[u]
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
	d, k, err := r.prepare()
	if err != nil {
		return nil, err
	}
	return pairsDense(d, k), nil
}

func pairsDense(d Ratings, k int) []Pair {
	var out []Pair
	for a := 0; a < len(d); a++ {
		for b := a + 1; b < len(d); b++ {
			p := Pair{A: a, B: b}
			for u := range d[a] {
				if d[a][u] != Missing && d[b][u] != Missing {
					p.Units++
				}
			}
			p.Kappa, p.Err = kappaDense(d[a], d[b], k)
			out = append(out, p)
		}
	}
	return out
}

// Summary is every statistic of one set of ratings; an undefined one
// carries its reason in the matching Err.
type Summary struct {
	Percent, Alpha       float64
	PercentErr, AlphaErr error
	Pairs                []Pair
}

// Summarize computes percent agreement, alpha and every pair's kappa in
// one pass over the data: what an agreement table needs per code.
func Summarize(r Ratings) (Summary, error) {
	d, k, err := r.prepare()
	if err != nil {
		return Summary{}, err
	}
	var s Summary
	s.Percent, s.PercentErr = percentDense(d, k)
	s.Alpha, s.AlphaErr = alphaDense(d, k)
	s.Pairs = pairsDense(d, k)
	return s, nil
}
