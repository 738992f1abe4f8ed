package report

import (
	"slices"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// CodeCounts is how many excerpts hold each code, and each pair of codes
// together (co-occurrence), by month and site: the research counts a
// policymaker may see. An excerpt counts once per code whether its coders
// coded the whole text or a span.
type CodeCounts struct {
	MinCell    int  `json:"min_cell"`
	Suppressed bool `json:"suppressed"`
	// Months are the first days of the months counted, in order.
	Months []models.Day `json:"months"`
	Codes  []CodeSeries `json:"codes"`
	Pairs  []CodeSeries `json:"pairs"`
}

// CodeSeries is one code's excerpts (one code id), or a pair's excerpts
// holding both (two ids): in the organization and at each site, by month
// and over every month.
type CodeSeries struct {
	CodeIDs []string       `json:"code_ids"`
	Total   privacy.Cell   `json:"total"`
	Months  []privacy.Cell `json:"months"`
	Sites   []SiteSeries   `json:"sites"`
}

// SiteSeries is a series at one site.
type SiteSeries struct {
	SiteID string         `json:"site_id"`
	Total  privacy.Cell   `json:"total"`
	Months []privacy.Cell `json:"months"`
}

// MaxPairCodes is the most codes whose pairs are counted at once (28
// pairs).
const MaxPairCodes = 8

// codeCounter protects research code counts month by month, like every
// report that adds up over time (see monthly): a month's hidden counts
// depend on that month's counts alone, and a count over several months is
// shown only as the sum of shown months, so no two ranges can be
// subtracted to reach into a hidden month.
//
// A code's count is protected on its own (sites × that code, for every
// group of sites), so its pattern is the same whichever codes a reader
// asks about with it: the finding's page and this table, any selection
// of codes, show one code's counts alike. A pair's co-occurrence is then
// protected with both codes' counts in one linked table of three disjoint
// pieces per site — both codes, only the first, only the second — where
// each code's count takes its fate from its own table and "one code
// without the other", which a reader could work out by subtraction, is
// protected like a small count without ever being shown.
type codeCounter struct {
	k      int
	sites  []models.Site
	months []models.Day
	// codes[j][m] and pairs[p][m] are the families of code j and pair p in
	// month m.
	codes [][]*family
	pairs [][]*family
}

// pairIndex lists the pairs (a < b) of n codes in order.
func pairIndex(n int) [][2]int {
	var out [][2]int
	for a := range n {
		for b := a + 1; b < n; b++ {
			out = append(out, [2]int{a, b})
		}
	}
	return out
}

// tally counts, per month and site, each code's excerpts and each pair's
// pieces (both, only the first, only the second).
func tally(codes int, pairs [][2]int, months []models.Day, excerpts []models.CodedExcerpt) (perCode, perPair [][]map[string][]int) {
	perCode = make([][]map[string][]int, codes)
	for j := range perCode {
		perCode[j] = make([]map[string][]int, len(months))
		for m := range months {
			perCode[j][m] = map[string][]int{}
		}
	}
	perPair = make([][]map[string][]int, len(pairs))
	for p := range perPair {
		perPair[p] = make([]map[string][]int, len(months))
		for m := range months {
			perPair[p][m] = map[string][]int{}
		}
	}
	add := func(row map[string][]int, site string, width, col int) {
		if row[site] == nil {
			row[site] = make([]int, width)
		}
		row[site][col]++
	}
	for _, e := range excerpts {
		m := slices.IndexFunc(months, func(d models.Day) bool { return d == monthStart(e.Day) })
		if m < 0 {
			continue
		}
		for j := range codes {
			if e.Codes&(1<<j) != 0 {
				add(perCode[j][m], e.SiteID, 1, 0)
			}
		}
		for p, ab := range pairs {
			hasA, hasB := e.Codes&(1<<ab[0]) != 0, e.Codes&(1<<ab[1]) != 0
			switch {
			case hasA && hasB:
				add(perPair[p][m], e.SiteID, 3, 0)
			case hasA:
				add(perPair[p][m], e.SiteID, 3, 1)
			case hasB:
				add(perPair[p][m], e.SiteID, 3, 2)
			}
		}
	}
	return perCode, perPair
}

// PublishCodeCounts publishes, over months (each a month's first day),
// how many excerpts hold each of codeIDs and, when withPairs, each pair of
// them (codeIDs must then number at most MaxPairCodes): exact for staff,
// otherwise protected for the organization, each site and each group of
// sites at once, month by month.
func PublishCodeCounts(minCell int, sites []models.Site, codeIDs []string, withPairs bool, months []models.Day, excerpts []models.CodedExcerpt, exact bool) CodeCounts {
	var pairs [][2]int
	if withPairs {
		pairs = pairIndex(min(len(codeIDs), MaxPairCodes))
	}
	perCode, perPair := tally(len(codeIDs), pairs, months, excerpts)
	out := CodeCounts{MinCell: minCell, Suppressed: !exact, Months: months, Codes: []CodeSeries{}, Pairs: []CodeSeries{}}
	var c *codeCounter
	if !exact {
		c = protectCodeCounts(privacy.MinK(minCell), sites, months, perCode, pairs, perPair)
	}
	for j, id := range codeIDs {
		out.Codes = append(out.Codes, series(sites, []string{id}, len(months), func(g []string, m int) privacy.Cell {
			if c != nil {
				return c.codes[j][m].cell(g, 0)
			}
			return exactCell(perCode[j][m], g, 0)
		}))
	}
	for p, ab := range pairs {
		out.Pairs = append(out.Pairs, series(sites, []string{codeIDs[ab[0]], codeIDs[ab[1]]}, len(months), func(g []string, m int) privacy.Cell {
			if c != nil {
				return c.pairs[p][m].cell(g, 0)
			}
			return exactCell(perPair[p][m], g, 0)
		}))
	}
	return out
}

// protectCodeCounts builds every month's families: each code's, then each
// pair's with its codes' fates fixed.
func protectCodeCounts(k int, sites []models.Site, months []models.Day, perCode [][]map[string][]int, pairs [][2]int, perPair [][]map[string][]int) *codeCounter {
	c := &codeCounter{k: k, sites: sites, months: months}
	for j := range perCode {
		fams := make([]*family, len(months))
		for m := range months {
			fams[m] = newFamily(k, sites, perCode[j][m], 1, [][]int{{0}}, familyOpts{spendTotal: true})
		}
		c.codes = append(c.codes, fams)
	}
	for p, ab := range pairs {
		fams := make([]*family, len(months))
		for m := range months {
			first, second := c.codes[ab[0]][m], c.codes[ab[1]][m]
			fams[m] = newFamily(k, sites, perPair[p][m], 3, [][]int{{0}, {0, 1}, {0, 2}}, familyOpts{
				spendTotal: true,
				silent:     [][]int{{1}, {2}},
				fixed: func(g []string, set int) (bool, bool) {
					switch set {
					case 1:
						return first.hidden(g, 0), true
					case 2:
						return second.hidden(g, 0), true
					}
					return false, false
				},
			})
		}
		c.pairs = append(c.pairs, fams)
	}
	return c
}

// series reads one code's or pair's cells for the organization and each
// site; a total over months is shown only when every month is.
func series(sites []models.Site, ids []string, months int, cell func(g []string, m int) privacy.Cell) CodeSeries {
	all := make([]string, len(sites))
	for i, s := range sites {
		all[i] = s.ID
	}
	row := func(g []string) (privacy.Cell, []privacy.Cell) {
		cells := make([]privacy.Cell, months)
		total := privacy.Cell{}
		for m := range months {
			cells[m] = cell(g, m)
			total.Value += cells[m].Value
			total.Suppressed = total.Suppressed || cells[m].Suppressed
		}
		if total.Suppressed {
			total.Value = 0
		}
		return total, cells
	}
	out := CodeSeries{CodeIDs: ids, Sites: make([]SiteSeries, len(sites))}
	out.Total, out.Months = row(all)
	for i, s := range sites {
		total, cells := row([]string{s.ID})
		out.Sites[i] = SiteSeries{SiteID: s.ID, Total: total, Months: cells}
	}
	return out
}

// exactCell is column col over the sites g, as it is.
func exactCell(counts map[string][]int, g []string, col int) privacy.Cell {
	n := 0
	for _, s := range g {
		if row := counts[s]; col < len(row) {
			n += row[col]
		}
	}
	return privacy.Cell{Value: n}
}

// MonthsOf lists the first day of every month from the month of from to
// the month of to.
func MonthsOf(from, to models.Day) []models.Day {
	var out []models.Day
	for d := monthStart(from); !d.Time().After(to.Time()); d = nextPeriod(PeriodMonth, d) {
		out = append(out, d)
	}
	return out
}

// MonthsHolding lists the months, in order, in which any excerpt falls.
func MonthsHolding(excerpts []models.CodedExcerpt) []models.Day {
	if len(excerpts) == 0 {
		return nil
	}
	first, last := excerpts[0].Day, excerpts[0].Day
	for _, e := range excerpts {
		if e.Day.Time().Before(first.Time()) {
			first = e.Day
		}
		if e.Day.Time().After(last.Time()) {
			last = e.Day
		}
	}
	return MonthsOf(first, last)
}
