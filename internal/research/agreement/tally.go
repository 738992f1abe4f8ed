package agreement

import "fmt"

// MaxTallyCategory bounds the category numbers a Tally indexes directly.
const MaxTallyCategory = 1 << 16

// Tally is what the statistics read from a set of ratings: agreeing and
// all pairs of values (percent agreement), the coincidences and category
// totals (alpha), and each pair of coders' shared units (kappa). Tallies
// of several sets of ratings by the same coders add up (Add) to the tally
// of the sets side by side, so a pooled figure — every code of a codebook
// at once — needs no pooled copy of the ratings.
type Tally struct {
	coders       int
	agree, pairs float64
	observed     float64
	totals       []float64
	pair         []pairTally
}

// pairTally is two coders over the units both coded: how many, how many
// alike, and each one's values by category.
type pairTally struct {
	units, agree float64
	a, b         []float64
}

func grow(s []float64, n int) []float64 {
	for len(s) < n {
		s = append(s, 0)
	}
	return s
}

// Count tallies r. Categories must be below MaxTallyCategory.
func Count(r Ratings) (Tally, error) {
	n, err := r.units()
	if err != nil {
		return Tally{}, err
	}
	top := Missing
	for _, row := range r {
		for _, v := range row {
			top = max(top, v)
		}
	}
	if top >= MaxTallyCategory {
		return Tally{}, fmt.Errorf("category %d is too large to tally", top)
	}
	t := Tally{coders: len(r), totals: make([]float64, top+1)}
	counts := make([]int, top+1)
	for u := range n {
		m := 0
		for _, row := range r {
			if v := row[u]; v != Missing {
				counts[v]++
				m++
			}
		}
		if m >= 2 {
			sumSq := 0
			for _, row := range r {
				if v := row[u]; v != Missing && counts[v] > 0 {
					c := counts[v]
					sumSq += c * c
					t.agree += float64(c*(c-1)) / 2
					t.totals[v] += float64(c)
					counts[v] = 0 // each category once
				}
			}
			t.pairs += float64(m*(m-1)) / 2
			t.observed += float64(m*m-sumSq) / float64(m-1)
		}
		for _, row := range r {
			if v := row[u]; v != Missing {
				counts[v] = 0
			}
		}
	}
	for a := 0; a < len(r); a++ {
		for b := a + 1; b < len(r); b++ {
			p := pairTally{a: make([]float64, top+1), b: make([]float64, top+1)}
			for u := range n {
				va, vb := r[a][u], r[b][u]
				if va == Missing || vb == Missing {
					continue
				}
				p.units++
				p.a[va]++
				p.b[vb]++
				if va == vb {
					p.agree++
				}
			}
			t.pair = append(t.pair, p)
		}
	}
	return t, nil
}

// Add adds o, a tally of other units by the same coders, to t.
func (t *Tally) Add(o Tally) error {
	if t.coders == 0 && t.pair == nil {
		t.coders = o.coders
		t.pair = make([]pairTally, len(o.pair))
	}
	if o.coders != t.coders {
		return fmt.Errorf("tallies of %d and %d coders", t.coders, o.coders)
	}
	t.agree += o.agree
	t.pairs += o.pairs
	t.observed += o.observed
	t.totals = grow(t.totals, len(o.totals))
	for v, x := range o.totals {
		t.totals[v] += x
	}
	for i, p := range o.pair {
		q := &t.pair[i]
		q.units += p.units
		q.agree += p.agree
		q.a, q.b = grow(q.a, len(p.a)), grow(q.b, len(p.b))
		for v, x := range p.a {
			q.a[v] += x
		}
		for v, x := range p.b {
			q.b[v] += x
		}
	}
	return nil
}

// Summary computes percent agreement, alpha and every pair's kappa (A < B)
// from the tally, as Summarize does from the ratings.
func (t Tally) Summary() Summary {
	var s Summary
	if t.pairs == 0 {
		s.PercentErr = ErrTooFewValues
	} else {
		s.Percent = t.agree / t.pairs
	}
	var n, sumSq float64
	for _, x := range t.totals {
		n += x
		sumSq += x * x
	}
	switch expected := n*n - sumSq; {
	case n < 2:
		s.AlphaErr = ErrTooFewValues
	case expected == 0:
		s.AlphaErr = ErrNoVariation
	default:
		s.Alpha = 1 - (n-1)*t.observed/expected
	}
	i := 0
	for a := 0; a < t.coders; a++ {
		for b := a + 1; b < t.coders; b++ {
			p := t.pair[i]
			i++
			out := Pair{A: a, B: b, Units: int(p.units)}
			out.Kappa, out.Err = p.kappa()
			s.Pairs = append(s.Pairs, out)
		}
	}
	return s
}

func (p pairTally) kappa() (float64, error) {
	if p.units == 0 {
		return 0, ErrTooFewValues
	}
	var chance float64
	for v, x := range p.a {
		if v < len(p.b) {
			chance += (x / p.units) * (p.b[v] / p.units)
		}
	}
	if chance == 1 {
		return 0, ErrNoVariation
	}
	return (p.agree/p.units - chance) / (1 - chance), nil
}
