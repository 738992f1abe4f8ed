package agreement

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

const m = Missing

// round3 rounds to three decimals, the precision the published examples
// report.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
// Annenberg School for Communication, University of Pennsylvania,
// section C, "Nominal data, any number of observers, missing data": four
// observers, twelve units, values 1–5, with gaps. The paper gives
// alpha (nominal) = 0.743.
var krippendorffNominal = Ratings{
	{1, 2, 3, 3, 2, 1, 4, 1, 2, m, m, m},
	{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, m, 3},
	{m, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, m},
	{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, m},
}

// Krippendorff (2011), section A, "Binary or dichotomous data, two
// observers, no missing data": ten units; alpha = 0.095.
var krippendorffBinary = Ratings{
	{0, 1, 0, 0, 0, 0, 0, 0, 1, 0},
	{1, 1, 1, 0, 0, 1, 0, 0, 0, 0},
}

func TestAlphaKrippendorff2011Nominal(t *testing.T) {
	got, err := Alpha(krippendorffNominal)
	if err != nil {
		t.Fatal(err)
	}
	if round3(got) != 0.743 {
		t.Errorf("alpha = %.4f, want 0.743 (Krippendorff 2011, section C)", got)
	}
}

func TestAlphaKrippendorff2011Binary(t *testing.T) {
	got, err := Alpha(krippendorffBinary)
	if err != nil {
		t.Fatal(err)
	}
	if round3(got) != 0.095 {
		t.Errorf("alpha = %.4f, want 0.095 (Krippendorff 2011, section A)", got)
	}
}

// twoByTwo builds two coders' yes (1) / no (0) codes from a 2×2 table:
// both yes, A yes and B no, A no and B yes, both no.
func twoByTwo(yy, yn, ny, nn int) (a, b []int) {
	add := func(n, va, vb int) {
		for range n {
			a, b = append(a, va), append(b, vb)
		}
	}
	add(yy, 1, 1)
	add(yn, 1, 0)
	add(ny, 0, 1)
	add(nn, 0, 0)
	return a, b
}

// Cohen's kappa, worked examples from Wikipedia's "Cohen's kappa" article
// (section "Examples"; the first follows the textbook grant-proposal
// example): 50 proposals read by two readers.
func TestKappaWorkedExamples(t *testing.T) {
	for _, c := range []struct {
		name            string
		yy, yn, ny, nn  int
		want, wantAgree float64
	}{
		// p_o = 0.70, p_e = 0.50, kappa = 0.40.
		{"simple example", 20, 5, 10, 15, 0.400, 0.700},
		// Same percentages, different numbers: p_o = 0.60 in both, kappa
		// 0.1304 and 0.2593.
		{"balanced marginals", 45, 15, 25, 15, 0.130, 0.600},
		{"unbalanced marginals", 25, 35, 5, 35, 0.259, 0.600},
	} {
		a, b := twoByTwo(c.yy, c.yn, c.ny, c.nn)
		got, err := Kappa(a, b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if round3(got) != c.want {
			t.Errorf("%s: kappa = %.4f, want %.3f", c.name, got, c.want)
		}
		agree, err := PercentAgreement(Ratings{a, b})
		if err != nil {
			t.Fatal(err)
		}
		if round3(agree) != c.wantAgree {
			t.Errorf("%s: agreement = %.4f, want %.3f", c.name, agree, c.wantAgree)
		}
	}
}

// Kappa skips units either coder left out.
func TestKappaSkipsMissing(t *testing.T) {
	a, b := twoByTwo(20, 5, 10, 15)
	a = append(a, 1, m, 0)
	b = append(b, m, 0, m)
	got, err := Kappa(a, b)
	if err != nil || round3(got) != 0.4 {
		t.Errorf("kappa with gaps = %.4f, %v; want 0.400", got, err)
	}
	pairs, err := Pairs(Ratings{a, b})
	if err != nil || len(pairs) != 1 || pairs[0].Units != 50 {
		t.Errorf("pairs = %+v, %v; want one pair over 50 units", pairs, err)
	}
}

func TestPercentAgreementManyCoders(t *testing.T) {
	// Unit 1: 3 values all agree (3 of 3 pairs); unit 2: 1,1,2 (1 of 3
	// pairs); unit 3: one value only, not pairable.
	r := Ratings{{1, 1, 4}, {1, 1, m}, {1, 2, m}}
	got, err := PercentAgreement(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := 4.0 / 6; math.Abs(got-want) > 1e-12 {
		t.Errorf("agreement = %v, want %v", got, want)
	}
}

func TestUndefined(t *testing.T) {
	if _, err := Alpha(Ratings{{1, m}, {m, 2}}); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("alpha without a pairable unit: %v, want ErrTooFewValues", err)
	}
	if _, err := Alpha(Ratings{{1, 1}, {1, 1}}); !errors.Is(err, ErrNoVariation) {
		t.Errorf("alpha of one category: %v, want ErrNoVariation", err)
	}
	if _, err := Kappa([]int{0, 0}, []int{0, 0}); !errors.Is(err, ErrNoVariation) {
		t.Errorf("kappa of one category: %v, want ErrNoVariation", err)
	}
	if _, err := Kappa([]int{0, m}, []int{m, 1}); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("kappa without a shared unit: %v, want ErrTooFewValues", err)
	}
	if _, err := Alpha(Ratings{{1, 2}, {1}}); err == nil {
		t.Error("alpha accepted rows of different lengths")
	}
	if _, err := Alpha(Ratings{{1, -2}, {1, 2}}); err == nil {
		t.Error("alpha accepted a negative category")
	}
}

// randomRatings draws coders × units of categories 0..k-1 with some gaps,
// always with at least two categories among the pairable values.
func randomRatings(rng *rand.Rand, coders, units, k int) Ratings {
	r := make(Ratings, coders)
	for c := range r {
		r[c] = make([]int, units)
		for u := range r[c] {
			r[c][u] = rng.IntN(k)
			if c > 1 && rng.IntN(5) == 0 {
				r[c][u] = Missing
			}
		}
	}
	// Two fully coded units with different categories keep the data from
	// being a single category.
	for c := range r {
		r[c][0], r[c][1] = 0, 1
	}
	return r
}

func TestPropertyIdenticalCodersAgreeFully(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2011))
	for trial := range 200 {
		coders := 2 + rng.IntN(4)
		one := randomRatings(rng, 1, 2+rng.IntN(40), 2+rng.IntN(6))[0]
		r := make(Ratings, coders)
		for c := range r {
			r[c] = one
		}
		alpha, err := Alpha(r)
		if err != nil || math.Abs(alpha-1) > 1e-12 {
			t.Fatalf("trial %d: alpha of identical coders = %v, %v; want 1", trial, alpha, err)
		}
		kappa, err := Kappa(one, one)
		if err != nil || math.Abs(kappa-1) > 1e-12 {
			t.Fatalf("trial %d: kappa of identical coders = %v, %v; want 1", trial, kappa, err)
		}
		agree, err := PercentAgreement(r)
		if err != nil || agree != 1 {
			t.Fatalf("trial %d: agreement of identical coders = %v, %v; want 1", trial, agree, err)
		}
	}
}

func TestPropertyAlphaIgnoresLabels(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 1960))
	for trial := range 200 {
		k := 2 + rng.IntN(6)
		r := randomRatings(rng, 2+rng.IntN(4), 2+rng.IntN(40), k)
		// A relabelling: a permutation of the categories onto new, sparse
		// numbers.
		perm := rng.Perm(k)
		relabelled := make(Ratings, len(r))
		for c, row := range r {
			relabelled[c] = make([]int, len(row))
			for u, v := range row {
				relabelled[c][u] = v
				if v != Missing {
					relabelled[c][u] = 7*perm[v] + 3
				}
			}
		}
		before, err1 := Alpha(r)
		after, err2 := Alpha(relabelled)
		if err1 != nil || err2 != nil || math.Abs(before-after) > 1e-12 {
			t.Fatalf("trial %d: alpha %v (%v) became %v (%v) after relabelling", trial, before, err1, after, err2)
		}
		kb, _ := Kappa(r[0], r[1])
		ka, _ := Kappa(relabelled[0], relabelled[1])
		if math.Abs(kb-ka) > 1e-12 {
			t.Fatalf("trial %d: kappa %v became %v after relabelling", trial, kb, ka)
		}
	}
}

// With two coders, no missing values and large samples, alpha and kappa
// differ only by alpha's small-sample correction; a check that both read
// the same data the same way.
func TestPropertyAlphaNearKappaForTwoCoders(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	r := Ratings{make([]int, 5000), make([]int, 5000)}
	for u := range r[0] {
		r[0][u] = rng.IntN(3)
		r[1][u] = r[0][u]
		if rng.IntN(4) == 0 {
			r[1][u] = rng.IntN(3)
		}
	}
	alpha, _ := Alpha(r)
	kappa, _ := Kappa(r[0], r[1])
	if math.Abs(alpha-kappa) > 0.01 {
		t.Errorf("alpha %v and kappa %v differ by more than 0.01 on 5,000 units", alpha, kappa)
	}
}

// Summarize gives the same figures as the functions one by one.
func TestSummarizeMatchesEachStatistic(t *testing.T) {
	s, err := Summarize(krippendorffNominal)
	if err != nil {
		t.Fatal(err)
	}
	alpha, _ := Alpha(krippendorffNominal)
	percent, _ := PercentAgreement(krippendorffNominal)
	pairs, _ := Pairs(krippendorffNominal)
	if s.Alpha != alpha || s.Percent != percent || len(s.Pairs) != 6 || s.AlphaErr != nil {
		t.Fatalf("summary %+v; want alpha %v, percent %v", s, alpha, percent)
	}
	for i, p := range pairs {
		if s.Pairs[i].Kappa != p.Kappa || s.Pairs[i].Units != p.Units || s.Pairs[i].Err != p.Err {
			t.Errorf("pair %d: %+v, want %+v", i, s.Pairs[i], p)
		}
	}
	if round3(s.Alpha) != 0.743 {
		t.Errorf("alpha %v", s.Alpha)
	}
}
