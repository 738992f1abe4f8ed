package agreement

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkPerCode is the agreement table's work at the size issue 15 asks
// for: 10,000 excerpts coded by 3 coders against 200 codes, each code read
// as present/absent per excerpt, with alpha, agreement and the three pairs'
// kappas per code. One op must stay well under a second.
func BenchmarkPerCode(b *testing.B) {
	const excerpts, coders, codes = 10000, 3, 200
	rng := rand.New(rand.NewPCG(1, 2))
	tables := make([]Ratings, codes)
	for k := range tables {
		tables[k] = make(Ratings, coders)
		for c := range tables[k] {
			tables[k][c] = make([]int, excerpts)
			for u := range tables[k][c] {
				if rng.IntN(20) == 0 {
					tables[k][c][u] = 1
				}
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, r := range tables {
			if _, err := Summarize(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}
