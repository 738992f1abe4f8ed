package report_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/models"
)

// pinned reports whether the equations, of rank base, fix the sum of
// terms (each name once) to one value.
func (e *equations) pinned(base int, terms []string) bool {
	m := make([][]*big.Rat, 0, len(e.rows)+1)
	for _, r := range e.rows {
		c := make([]*big.Rat, 63)
		for j := range c {
			c[j] = new(big.Rat).Set(r[j])
		}
		m = append(m, c)
	}
	row := make([]*big.Rat, 63)
	for i := range row {
		row[i] = new(big.Rat)
	}
	for _, n := range terms {
		i, ok := e.names[n]
		if !ok {
			return false // an unknown no shown count mentions
		}
		row[i].SetInt64(1)
	}
	return len(e.rows) > 0 && rankOf(append(m, row)) == base
}

// rank is the rank of the equations.
func (e *equations) rank() int {
	if len(e.rows) == 0 {
		return 0
	}
	m := make([][]*big.Rat, 0, len(e.rows))
	for _, r := range e.rows {
		c := make([]*big.Rat, 63)
		for j := range c {
			c[j] = new(big.Rat).Set(r[j])
		}
		m = append(m, c)
	}
	return rankOf(m)
}

// codeAtoms names the unknowns of research code counts: the excerpts at a
// site in a month holding exactly one combination (a bit mask) of three
// codes.
type codeAtoms struct {
	sites  []models.Site
	months []models.Day
	value  map[string]int
}

func atomName(site string, month int, mask uint64) string {
	return fmt.Sprintf("%s:%d:%03b", site, month, mask)
}

// matching names the atoms over sites and months whose mask passes keep.
func (c codeAtoms) matching(sites []string, months []int, keep func(mask uint64) bool) []string {
	var out []string
	for _, s := range sites {
		for _, m := range months {
			for mask := uint64(1); mask < 8; mask++ {
				if keep(mask) {
					out = append(out, atomName(s, m, mask))
				}
			}
		}
	}
	return out
}

func (c codeAtoms) sum(names []string) int {
	n := 0
	for _, name := range names {
		n += c.value[name]
	}
	return n
}

// asked is the excerpts as the store lists them for the codes asked
// about: bit j for asked[j], and only excerpts holding one of them.
func asked(excerpts []models.CodedExcerpt, codes, asked []string) []models.CodedExcerpt {
	var out []models.CodedExcerpt
	for _, e := range excerpts {
		var mask uint64
		for j, id := range asked {
			if e.Codes&(1<<slices.Index(codes, id)) != 0 {
				mask |= 1 << j
			}
		}
		if mask != 0 {
			out = append(out, models.CodedExcerpt{SiteID: e.SiteID, Day: e.Day, Codes: mask})
		}
	}
	return out
}

// holding keeps the masks holding every code in bits.
func holding(bits uint64) func(uint64) bool { return func(m uint64) bool { return m&bits == bits } }

// A policymaker asks for code counts and co-occurrences over every range
// of months, for every selection of codes (all three with their pairs, two
// with theirs, one alone) and the finding's page, and reads the
// organization's and each site's counts by month and in total. Nothing
// they combine may pin a count from 1 to k−1: a code's, a pair's, one code
// without another (a count anyone can subtract), or one combination of
// codes at a site in a month.
func TestCodeCountsResistCombiningViews(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 17))
	sites := []models.Site{{ID: "shop", Setting: "urban", Kind: "fixed"}, {ID: "van", Setting: "rural", Kind: "mobile"}}
	jan, _ := models.ParseDay("2026-01-01")
	feb, _ := models.ParseDay("2026-02-01")
	months := []models.Day{jan, feb}
	codes := []string{"a", "b", "c"}
	const minCell = 11
	for it := range 40 {
		atoms := codeAtoms{sites: sites, months: months, value: map[string]int{}}
		var excerpts []models.CodedExcerpt
		for _, s := range sites {
			for m, first := range months {
				for mask := uint64(1); mask < 8; mask++ {
					n := r.IntN(14)
					if r.IntN(3) == 0 {
						n = r.IntN(4)
					}
					atoms.value[atomName(s.ID, m, mask)] = n
					for i := range n {
						excerpts = append(excerpts, models.CodedExcerpt{SiteID: s.ID, Day: first.AddDays(i % 28), Codes: mask})
					}
				}
			}
		}
		var eq equations
		seen := map[string]bool{}
		// shown adds a shown cell as an equation over the atoms it sums
		// (once: many views show the same count).
		shown := func(c privacy.Cell, names []string) {
			if c.Suppressed {
				return
			}
			if want := atoms.sum(names); c.Value != want {
				t.Fatalf("table %d: a shown count %d, want %d: %v", it, c.Value, want, names)
			}
			if key := fmt.Sprint(names); !seen[key] {
				seen[key] = true
				eq.add(c.Value, names...)
			}
		}
		bits := func(ids []string) uint64 {
			var b uint64
			for _, id := range ids {
				b |= 1 << slices.Index(codes, id)
			}
			return b
		}
		read := func(got report.CodeCounts, monthIdx []int) {
			for _, s := range append(got.Codes, got.Pairs...) {
				keep := holding(bits(s.CodeIDs))
				all := []string{"shop", "van"}
				shown(s.Total, atoms.matching(all, monthIdx, keep))
				for i, c := range s.Months {
					shown(c, atoms.matching(all, monthIdx[i:i+1], keep))
				}
				for _, site := range s.Sites {
					shown(site.Total, atoms.matching([]string{site.SiteID}, monthIdx, keep))
					for i, c := range site.Months {
						shown(c, atoms.matching([]string{site.SiteID}, monthIdx[i:i+1], keep))
					}
				}
			}
		}
		for _, rng := range [][]int{{0, 1}, {0}, {1}} {
			var ms []models.Day
			for _, m := range rng {
				ms = append(ms, months[m])
			}
			for _, sel := range [][]string{codes, {"a", "b"}, {"b", "c"}, {"a"}, {"c"}} {
				read(report.PublishCodeCounts(minCell, sites, sel, true, ms, asked(excerpts, codes, sel), false), rng)
			}
		}
		page := report.FindingFrequencies(minCell, sites, []string{"c", "a"}, asked(excerpts, codes, []string{"c", "a"}), false)
		for _, code := range page.Codes {
			keep := holding(bits([]string{code.CodeID}))
			shown(code.Total, atoms.matching([]string{"shop", "van"}, []int{0, 1}, keep))
			for _, s := range code.Sites {
				shown(s.Count, atoms.matching([]string{s.SiteID}, []int{0, 1}, keep))
			}
		}

		// Every count a reader might be after.
		base := eq.rank()
		check := func(what string, names []string) {
			if v := atoms.sum(names); v > 0 && v < minCell && eq.pinned(base, names) {
				t.Errorf("table %d: %s = %d is worked out from the counts shown", it, what, v)
			}
		}
		groups := [][]string{{"shop"}, {"van"}, {"shop", "van"}}
		for _, g := range groups {
			for _, ms := range [][]int{{0}, {1}, {0, 1}} {
				for _, a := range codes {
					check(fmt.Sprint(a, " at ", g, " in ", ms), atoms.matching(g, ms, holding(bits([]string{a}))))
					for _, b := range codes {
						if a == b {
							continue
						}
						ab, onlyA := bits([]string{a, b}), bits([]string{a})
						notB := bits([]string{b})
						check(fmt.Sprint(a, "+", b, " at ", g, " in ", ms), atoms.matching(g, ms, holding(ab)))
						check(fmt.Sprint(a, " without ", b, " at ", g, " in ", ms), atoms.matching(g, ms, func(m uint64) bool { return m&onlyA != 0 && m&notB == 0 }))
					}
				}
			}
		}
		for name, v := range atoms.value {
			if v > 0 && v < minCell && eq.pinned(base, []string{name}) {
				t.Errorf("table %d: excerpts %s = %d are worked out from the counts shown", it, name, v)
			}
		}
	}
}

// Staff read the counts exactly: every code, every pair, by site and
// month, and nothing is hidden.
func TestCodeCountsExactForStaff(t *testing.T) {
	sites := []models.Site{{ID: "shop"}, {ID: "van"}}
	jan, _ := models.ParseDay("2026-01-20")
	feb, _ := models.ParseDay("2026-02-03")
	excerpts := []models.CodedExcerpt{
		{SiteID: "shop", Day: jan, Codes: 0b011}, {SiteID: "shop", Day: jan, Codes: 0b001},
		{SiteID: "van", Day: feb, Codes: 0b111}, {SiteID: "van", Day: feb, Codes: 0b100},
	}
	got := report.PublishCodeCounts(11, sites, []string{"a", "b", "c"}, true, report.MonthsHolding(excerpts), excerpts, true)
	if got.Suppressed || len(got.Months) != 2 || got.Months[0].String() != "2026-01-01" || len(got.Codes) != 3 || len(got.Pairs) != 3 {
		t.Fatalf("%+v", got)
	}
	a, ab, bc := got.Codes[0], got.Pairs[0], got.Pairs[2]
	if a.Total.Value != 3 || a.Months[0].Value != 2 || a.Months[1].Value != 1 || a.Sites[0].Total.Value != 2 || a.Sites[1].Months[1].Value != 1 {
		t.Errorf("code a %+v", a)
	}
	if !slices.Equal(ab.CodeIDs, []string{"a", "b"}) || ab.Total.Value != 2 || ab.Sites[0].Months[0].Value != 1 || ab.Sites[1].Months[1].Value != 1 {
		t.Errorf("pair a+b %+v", ab)
	}
	if !slices.Equal(bc.CodeIDs, []string{"b", "c"}) || bc.Total.Value != 1 || bc.Months[0].Value != 0 {
		t.Errorf("pair b+c %+v", bc)
	}
}
