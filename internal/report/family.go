package report

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// family is one report family as a linked table: counts by site and
// column (a period, a band, an answer), and every count any view of the
// family shows — each column set (one column, the answered, everything)
// for each group of sites a reader can filter to (the organization, each
// site, the urban or rural ones, the fixed or mobile ones). Its hidden
// counts are chosen once, for all those views together (privacy.Protect),
// and every view renders from that one pattern: the organization's report,
// a site's, a CSV, the PDF, the dashboard.
type family struct {
	sites   []string
	cols    int
	sets    [][]int
	groups  [][]string
	l       privacy.Linked
	entries map[string]int
	pattern privacy.Pattern
}

// Options of a family's entries.
type familyOpts struct {
	// silent lists column sets no view shows but a reader can work out
	// (no answer).
	silent [][]int
	// force hides an entry whatever its value (the month guard).
	force func(sites []string, set int) bool
	// fixed takes an entry's fate from another family: ok false when this
	// family decides; hidden when the other family hides it.
	fixed func(sites []string, set int) (hidden, ok bool)
	// spendTotal lets the organization's total over every column be hidden
	// as a complement like any other count. Otherwise it is hidden only when
	// nothing else can protect a small count: participation's total is the
	// base of every share. A category's total is one row among many, and
	// hiding it can spare a whole site's row: in a program with a large
	// site and a small one, a small count at the small site otherwise hides
	// the large site's total beside it.
	spendTotal bool
}

// newFamily builds and protects a family; counts[site] has one count per
// column (missing sites count 0).
func newFamily(k int, sites []models.Site, counts map[string][]int, cols int, sets [][]int, o familyOpts) *family {
	f := &family{cols: cols, sets: sets, groups: siteGroups(sites), entries: map[string]int{}}
	f.l.Cols = cols
	for _, s := range sites {
		f.sites = append(f.sites, s.ID)
		row := counts[s.ID]
		for c := range cols {
			v := 0
			if c < len(row) {
				v = row[c]
			}
			f.l.Atoms = append(f.l.Atoms, v)
		}
	}
	all := slices.Clone(f.sites)
	groups := append([][]string{all}, f.groups...)
	for _, g := range groups {
		for si, set := range sets {
			e := privacy.Entry{Atoms: f.atoms(g, set), Keep: !o.spendTotal && len(g) == len(all) && si == len(sets)-1}
			if o.force != nil {
				e.Force = o.force(g, si)
			}
			if o.fixed != nil {
				if hidden, ok := o.fixed(g, si); ok {
					e.Fixed, e.Force = true, e.Force || hidden
				}
			}
			f.entries[key(g, si)] = f.l.Add(e)
		}
		for _, set := range o.silent {
			f.l.Add(privacy.Entry{Atoms: f.atoms(g, set), Silent: true})
		}
	}
	f.pattern = protect(f.l, k)
	return f
}

// patterns remembers the patterns Protect chose: the same counts always
// give the same pattern, and a dashboard asks for the same settled months
// (the last twelve complete ones) again and again, at every filter.
var patterns = struct {
	sync.Mutex
	m map[[sha256.Size]byte]privacy.Pattern
}{m: map[[sha256.Size]byte]privacy.Pattern{}}

// maxPatterns bounds the remembered patterns (a few kilobytes each).
const maxPatterns = 4096

// protect is privacy.Protect, remembered by the linked table's content.
func protect(l privacy.Linked, k int) privacy.Pattern {
	h := sha256.New()
	var buf []byte
	put := func(v int) { buf = binary.AppendVarint(buf, int64(v)) }
	put(k)
	put(l.Cols)
	put(len(l.Atoms))
	for _, a := range l.Atoms {
		put(a)
	}
	for _, e := range l.Entries {
		put(len(e.Atoms))
		for _, a := range e.Atoms {
			put(a)
		}
		put(b2i(e.Force) | b2i(e.Keep)<<1 | b2i(e.Silent)<<2 | b2i(e.Fixed)<<3)
	}
	h.Write(buf)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	patterns.Lock()
	p, ok := patterns.m[key]
	patterns.Unlock()
	if ok {
		return p
	}
	p = privacy.Protect(l, k)
	patterns.Lock()
	if len(patterns.m) >= maxPatterns {
		clear(patterns.m)
	}
	patterns.m[key] = p
	patterns.Unlock()
	return p
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (f *family) atoms(sites []string, set []int) []int {
	var out []int
	for _, s := range sites {
		i := slices.Index(f.sites, s)
		if i < 0 {
			continue
		}
		for _, c := range set {
			out = append(out, i*f.cols+c)
		}
	}
	return out
}

func key(sites []string, set int) string {
	s := slices.Clone(sites)
	slices.Sort(s)
	return strings.Join(s, ",") + "#" + strconv.Itoa(set)
}

// cell is column set number set over sites, as the pattern shows it. Site
// sets no reader can ask for are hidden.
func (f *family) cell(sites []string, set int) privacy.Cell {
	if f.pattern.Failed {
		return privacy.Cell{Suppressed: true}
	}
	i, ok := f.entries[key(sites, set)]
	if !ok {
		return privacy.Cell{Suppressed: true}
	}
	return f.pattern.Shown(i)
}

// hidden reports whether the family hides column set set over sites.
func (f *family) hidden(sites []string, set int) bool { return f.cell(sites, set).Suppressed }

// singles is every column alone, then all of them: the sets of a family
// whose columns add up to a total (periods, answers).
func singles(cols int) [][]int {
	var sets [][]int
	every := make([]int, cols)
	for c := range cols {
		sets = append(sets, []int{c})
		every[c] = c
	}
	return append(sets, every)
}

// span is what a report covers for the month guard: the day offsets of
// each period from the scope's first day, and of the whole scope.
type span struct {
	starts []models.Day
	scope  Scope
}

// period is the day offsets [a, b) of period j; j == len(starts) is the
// whole scope.
func (s span) period(j int) (a, b int) {
	whole := days(s.scope.From, s.scope.To)
	if j >= len(s.starts) {
		return 0, whole
	}
	end := s.scope.To.AddDays(1)
	if j+1 < len(s.starts) {
		end = s.starts[j+1]
	}
	return days(s.scope.From, s.starts[j]) - 1, days(s.scope.From, end) - 1
}

// codeFamilies protects one metric's codes (summed: a need, the answers
// to a question) at every site, month by month (monthly), and returns the
// views of the whole scope and of its periods. spendTotal: see familyOpts.
func codeFamilies(k int, sites []models.Site, counts []Count, codes []string, sp span, spendTotal bool) (whole, byPeriod published) {
	m := newMonthly(k, sites, counts, codes, nil, sp, spendTotal)
	return wholeView{m, 0}, periodView{m, 0}
}

// sum is the true count of set 0 over sites (to tell "too few to show").
func (f *family) sum(sites []string) int {
	n := 0
	for _, a := range f.atoms(sites, f.sets[len(f.sets)-1]) {
		n += f.l.Atoms[a]
	}
	return n
}

// Support is one proposal's answers (agree, disagree, unsure) at every
// site, protected for every view a reader can ask for together: the
// proposals report for the organization, a site, urban or rural, fixed or
// mobile, and the proposal's own support table.
type Support struct {
	f *family
	k int
}

// ProtectSupport protects counts[siteID] = {agree, disagree, unsure}.
func ProtectSupport(minCell int, sites []models.Site, counts map[string][]int) *Support {
	k := privacy.MinK(minCell)
	return &Support{f: newFamily(k, sites, counts, 3, singles(3), familyOpts{}), k: k}
}

// Of returns the answers and their total over the sites, as they may be
// shown; tooFew when the sites hold fewer than k answers.
func (s *Support) Of(siteIDs []string) (cells []privacy.Cell, total privacy.Cell, tooFew bool) {
	if s.f.sum(siteIDs) < s.k {
		return hideCells(make([]privacy.Cell, 3)), privacy.Cell{Suppressed: true}, true
	}
	for j := range 3 {
		cells = append(cells, s.f.cell(siteIDs, j))
	}
	return cells, s.f.cell(siteIDs, 3), false
}
