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
type monthly struct {
	months []*family
	// parts[j] is report period j as (month, column set) pieces; whole is
	// every month's total.
	parts [][]part
	whole []part
	// truth is the true count per site over the scope.
	truth map[string]int
}

type part struct{ month, set int }

// newMonthly protects counts (of codes, summed) month by month over the
// scope's periods starts; spendTotal lets a month's organization total be
// hidden as a complement (see familyOpts).
func newMonthly(k int, sites []models.Site, counts []Count, codes []string, sp span, spendTotal bool) *monthly {
	m := &monthly{truth: map[string]int{}}
	var firsts []models.Day
	var pieces [][]models.Day
	for d := monthStart(sp.scope.From); !d.Time().After(sp.scope.To.Time()); d = nextPeriod(PeriodMonth, d) {
		firsts = append(firsts, d)
		var ps []models.Day
		for w := d; w.Time().Before(nextPeriod(PeriodMonth, d).Time()); w = nextPeriod(PeriodWeek, w) {
			ps = append(ps, w)
		}
		pieces = append(pieces, ps)
	}
	byMonth := make([]map[string][]int, len(firsts))
	for i := range byMonth {
		byMonth[i] = map[string][]int{}
	}
	for _, c := range counts {
		if !slices.Contains(codes, c.Code) {
			continue
		}
		i := slices.Index(firsts, monthStart(c.Day))
		if i < 0 {
			continue
		}
		j := slices.Index(pieces[i], periodStart(PeriodWeek, c.Day))
		if byMonth[i][c.SiteID] == nil {
			byMonth[i][c.SiteID] = make([]int, len(pieces[i]))
		}
		byMonth[i][c.SiteID][j] += c.Value
		m.truth[c.SiteID] += c.Value
	}
	for i, ps := range pieces {
		m.months = append(m.months, newFamily(k, sites, byMonth[i], len(ps), singles(len(ps)), familyOpts{spendTotal: spendTotal}))
		m.whole = append(m.whole, part{i, len(ps)})
	}
	for _, start := range sp.starts {
		var ps []part
		switch sp.scope.Period {
		case PeriodWeek:
			i := slices.Index(firsts, monthStart(start))
			ps = []part{{i, slices.Index(pieces[i], start)}}
		default: // a month, or the three months of a quarter
			for i, first := range firsts {
				if !first.Time().Before(start.Time()) && first.Time().Before(nextPeriod(sp.scope.Period, start).Time()) {
					ps = append(ps, part{i, len(pieces[i])})
				}
			}
		}
		m.parts = append(m.parts, ps)
	}
	return m
}

// of is the sum of parts over sites, shown only when every part is.
func (m *monthly) of(sites []string, parts []part) privacy.Cell {
	v := 0
	for _, p := range parts {
		c := m.months[p.month].cell(sites, p.set)
		if c.Suppressed {
			return privacy.Cell{Suppressed: true}
		}
		v += c.Value
	}
	return privacy.Cell{Value: v}
}

func (m *monthly) sum(sites []string) int {
	n := 0
	for _, s := range sites {
		n += m.truth[s]
	}
	return n
}

// wholeView reads the scope's total (set 0); periodView reads period set.
type (
	wholeView  struct{ *monthly }
	periodView struct{ *monthly }
)

func (w wholeView) cell(sites []string, _ int) privacy.Cell { return w.of(sites, w.whole) }
func (w wholeView) hidden(sites []string, set int) bool     { return w.cell(sites, set).Suppressed }

func (p periodView) cell(sites []string, set int) privacy.Cell {
	if set >= len(p.parts) {
		return p.of(sites, p.whole)
	}
	return p.of(sites, p.parts[set])
}
func (p periodView) hidden(sites []string, set int) bool { return p.cell(sites, set).Suppressed }
