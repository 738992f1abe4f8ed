package report

import (
	"slices"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// published is a report family as every view reads it: a period's count, or
// the whole scope's, over a group of sites a reader can ask for.
type published interface {
	// cell is column set set over sites as it may be shown.
	cell(sites []string, set int) privacy.Cell
	// hidden reports whether cell is hidden.
	hidden(sites []string, set int) bool
	// sum is the true count over the whole scope (to tell "too few").
	sum(sites []string) int
}

// monthly publishes counts that add up over time (people who named a need,
// submissions, voters) month by month. Each calendar month is one linked
// table on its own — its sites by the week pieces of the month (a week cut
// at the month's edges) and by the whole month, for every group of sites —
// so a month's pattern depends on that month's counts alone, whichever
// range, period or site a reader asks for. Every longer count (a quarter,
// the scope's total, a site's column in a table by site) is shown only as
// the sum of shown months: a blank month blanks every range that holds it.
// So no two reports, over any ranges, can be subtracted to reach into a
// hidden month, and months share no people a reader could trade between
// them.
//
// A family may split its count by a code (the channel a submission came
// in by): each month's table then has one block of columns per code and
// one for all of them, so the channels and participation are one table.
type monthly struct {
	months []*family
	// pieces[i] is month i's week pieces; blocks is 1, or the split codes
	// and all of them.
	pieces [][]models.Day
	blocks int
	// parts[j] is report period j as month pieces (piece −1: the month).
	parts [][]part
	// truth is the true count per site over the scope (all blocks).
	truth map[string]int
}

type part struct{ month, piece int }

// set is the column set of part p in block b of its month's family.
func (m *monthly) set(b int, p part) int {
	n := len(m.pieces[p.month])
	if p.piece < 0 {
		return b*(n+1) + n
	}
	return b*(n+1) + p.piece
}

// newMonthly protects counts (of codes, summed; or one block per code of
// split and one for all) month by month over the scope's periods;
// spendTotal lets a month's organization total be hidden as a complement
// (see familyOpts).
func newMonthly(k int, sites []models.Site, counts []Count, codes, split []string, sp span, spendTotal bool) *monthly {
	m := &monthly{truth: map[string]int{}, blocks: 1}
	if len(split) > 0 {
		m.blocks = len(split) + 1
		codes = split
	}
	var firsts []models.Day
	for d := monthStart(sp.scope.From); !d.Time().After(sp.scope.To.Time()); d = nextPeriod(PeriodMonth, d) {
		firsts = append(firsts, d)
		var ps []models.Day
		for w := d; w.Time().Before(nextPeriod(PeriodMonth, d).Time()); w = nextPeriod(PeriodWeek, w) {
			ps = append(ps, w)
		}
		m.pieces = append(m.pieces, ps)
	}
	width := max(1, len(split)) // columns per piece
	byMonth := make([]map[string][]int, len(firsts))
	for i := range byMonth {
		byMonth[i] = map[string][]int{}
	}
	for _, c := range counts {
		code := slices.Index(codes, c.Code)
		if code < 0 {
			continue
		}
		if len(split) == 0 {
			code = 0
		}
		i := slices.Index(firsts, monthStart(c.Day))
		if i < 0 {
			continue
		}
		n := len(m.pieces[i])
		if byMonth[i][c.SiteID] == nil {
			byMonth[i][c.SiteID] = make([]int, width*n)
		}
		byMonth[i][c.SiteID][code*n+slices.Index(m.pieces[i], periodStart(PeriodWeek, c.Day))] += c.Value
		m.truth[c.SiteID] += c.Value
	}
	for i, ps := range m.pieces {
		n := len(ps)
		var sets [][]int
		for b := range m.blocks {
			every := []int{}
			for j := range n {
				var set []int
				for code := range width {
					if b == code || b == m.blocks-1 {
						set = append(set, code*n+j)
					}
				}
				sets = append(sets, set)
				every = append(every, set...)
			}
			slices.Sort(every)
			sets = append(sets, every)
		}
		m.months = append(m.months, newFamily(k, sites, byMonth[i], width*n, sets, familyOpts{spendTotal: spendTotal}))
	}
	for _, start := range sp.starts {
		var ps []part
		switch sp.scope.Period {
		case PeriodWeek:
			i := slices.Index(firsts, monthStart(start))
			ps = []part{{i, slices.Index(m.pieces[i], start)}}
		default: // a month, or the three months of a quarter
			for i, first := range firsts {
				if !first.Time().Before(start.Time()) && first.Time().Before(nextPeriod(sp.scope.Period, start).Time()) {
					ps = append(ps, part{i, -1})
				}
			}
		}
		m.parts = append(m.parts, ps)
	}
	return m
}

// of is the sum of parts in block b over sites, shown only when every part
// is.
func (m *monthly) of(sites []string, b int, parts []part) privacy.Cell {
	v := 0
	for _, p := range parts {
		c := m.months[p.month].cell(sites, m.set(b, p))
		if c.Suppressed {
			return privacy.Cell{Suppressed: true}
		}
		v += c.Value
	}
	return privacy.Cell{Value: v}
}

// wholeMonths is every month of the scope.
func (m *monthly) wholeMonths() []part {
	out := make([]part, len(m.months))
	for i := range out {
		out[i] = part{i, -1}
	}
	return out
}

func (m *monthly) sum(sites []string) int {
	n := 0
	for _, s := range sites {
		n += m.truth[s]
	}
	return n
}

// wholeView reads the scope's total (set 0) of a block; periodView reads
// period set of a block. The last block is every code.
type (
	wholeView struct {
		*monthly
		block int
	}
	periodView struct {
		*monthly
		block int
	}
)

func (w wholeView) cell(sites []string, _ int) privacy.Cell {
	return w.of(sites, w.block, w.wholeMonths())
}
func (w wholeView) hidden(sites []string, set int) bool { return w.cell(sites, set).Suppressed }

func (p periodView) cell(sites []string, set int) privacy.Cell {
	if set >= len(p.parts) {
		return p.of(sites, p.block, p.wholeMonths())
	}
	return p.of(sites, p.block, p.parts[set])
}
func (p periodView) hidden(sites []string, set int) bool { return p.cell(sites, set).Suppressed }
