package agreement

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// near compares two summaries to 1e-12 (sums in another order).
func near(t *testing.T, label string, got, want Summary) {
	t.Helper()
	same := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !same(got.Percent, want.Percent) || !same(got.Alpha, want.Alpha) ||
		!errors.Is(got.PercentErr, want.PercentErr) || !errors.Is(got.AlphaErr, want.AlphaErr) || len(got.Pairs) != len(want.Pairs) {
		t.Fatalf("%s: tally %+v, ratings %+v", label, got, want)
	}
	for i, p := range want.Pairs {
		q := got.Pairs[i]
		if q.A != p.A || q.B != p.B || q.Units != p.Units || !same(q.Kappa, p.Kappa) || !errors.Is(q.Err, p.Err) {
			t.Fatalf("%s: pair %d tally %+v, ratings %+v", label, i, q, p)
		}
	}
}

// The published example through a tally: alpha 0.743 with missing values.
func TestTallyKrippendorff2011Nominal(t *testing.T) {
	tally, err := Count(krippendorffNominal)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Summarize(krippendorffNominal)
	s := tally.Summary()
	near(t, "Krippendorff 2011", s, want)
	if round3(s.Alpha) != 0.743 {
		t.Errorf("alpha %.4f, want 0.743", s.Alpha)
	}
}

// A tally gives what Summarize gives, and tallies of several sets of
// ratings add up to the tally of the sets side by side (pooled), whatever
// the categories, gaps, or sets with one category only.
func TestTallyAddsUpToPooledRatings(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	for it := range 200 {
		coders := 2 + rng.IntN(3)
		var parts []Ratings
		for range 1 + rng.IntN(5) {
			r := randomRatings(rng, coders, 2+rng.IntN(30), 1+rng.IntN(3))
			if rng.IntN(4) == 0 {
				for c := range r {
					for u := range r[c] {
						if r[c][u] != Missing {
							r[c][u] = 0
						}
					}
				}
			}
			parts = append(parts, r)
		}
		pooled := make(Ratings, coders)
		var sum Tally
		for i, r := range parts {
			for c := range r {
				pooled[c] = append(pooled[c], r[c]...)
			}
			one, err := Count(r)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := Summarize(r)
			near(t, "one set", one.Summary(), want)
			if err := sum.Add(one); err != nil {
				t.Fatalf("%d/%d: %v", it, i, err)
			}
		}
		want, _ := Summarize(pooled)
		near(t, "pooled", sum.Summary(), want)
	}
	var a Tally
	b, _ := Count(Ratings{{0, 1}, {0, 1}, {1, 1}})
	c, _ := Count(Ratings{{0, 1}, {0, 1}})
	if err := a.Add(b); err != nil || a.Add(c) == nil {
		t.Error("tallies of 3 and 2 coders added up")
	}
}
