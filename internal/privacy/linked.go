package privacy

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Linked is a linked table: every count a family of reports can show, as
// sums of the same small pieces. The pieces (atoms) are the finest counts
// the reports know — one site's count of one category over one period —
// and each Entry is a count some view a reader can ask for shows: a site,
// the organization, the urban or rural sites, the fixed or mobile ones, a
// category, the answered total, participation. A reader who asks for every
// view can combine every shown entry; Protect chooses the hidden entries
// for all of them together, so that no combination narrows a small count
// down. Every view then renders from the one pattern (Pattern.Shown).
type Linked struct {
	Atoms   []int
	Entries []Entry
	// Cols, when set, says the atoms are rows of Cols (a site's columns):
	// Protect then tries moves along rows and columns before the solver
	// (linked_moves.go). 0 takes the atoms as one row.
	Cols int
}

// Entry is one count of one or more views: the sum of its atoms.
type Entry struct {
	Atoms []int
	// Force hides the entry whatever its value and protects it like a
	// small count: another report (a narrower range of months) would give
	// part of it away by subtraction.
	Force bool
	// Keep hides the entry as a complement only when nothing else can
	// protect a small count (the grand total).
	Keep bool
	// Silent marks a count no view shows but a reader can work out —
	// "no answer", participation minus the answered — so it is protected
	// when small and never taken as known.
	Silent bool
	// Fixed takes the entry's fate from another linked table that already
	// decided it (participation, in the "about you" table): shown unless
	// Force, and never hidden as a complement here.
	Fixed bool
}

// Add appends an entry and returns its index.
func (l *Linked) Add(e Entry) int {
	l.Entries = append(l.Entries, e)
	return len(l.Entries) - 1
}

// ProtectionWidth is how far on each side of a hidden small count the
// values a reader cannot rule out must reach: from v−2 (or 0) to v+2, so a
// reader can never tell a hidden count from the two counts above and the
// two below it (docs/suppression.md).
const ProtectionWidth = 2

// Pattern is which entries of a Linked may be shown.
type Pattern struct {
	hidden []bool
	values []int
	// Failed is set when no pattern protects every small count: every
	// entry is then hidden.
	Failed bool
}

// Shown is entry i as it may be shown.
func (p Pattern) Shown(i int) Cell {
	if p.hidden[i] {
		return Cell{Suppressed: true}
	}
	return Cell{Value: p.values[i]}
}

// Hidden counts the hidden entries (for measuring).
func (p Pattern) Hidden() int {
	n := 0
	for _, h := range p.hidden {
		if h {
			n++
		}
	}
	return n
}

// linked is Protect's working state over distinct atom sets: entries with
// the same atoms (the urban sites when there is one urban site, and that
// site) are one count and share one decision.
type linked struct {
	k         int
	atoms     []int
	sets      [][]int
	value     []int
	hidden    []bool
	sensitive []bool
	keep      []bool
	fixed     []bool
	silent    []bool
	of        []int // entry → set
	lp        *intervals
	// safe marks sensitive sets found protected: hiding more only widens
	// what a reader cannot rule out, so they stay protected.
	safe []bool
	// cols, atomSets (the sets holding each atom) and member serve the
	// moves that prove a range without the solver.
	cols     int
	atomSets [][]int
	member   [][]bool
}

// Protect chooses the hidden entries of l with threshold MinK(k):
//
//   - 0 is shown; an entry from 1 to k−1 is hidden (primary suppression),
//     and so is every forced entry; a silent one is never shown.
//   - Then, while some small, forced or silent count can be narrowed by a
//     reader who solves every shown entry's equation, atoms never negative,
//     to fewer values than ProtectionWidth on each side allows, one more
//     entry is hidden: among those that widen that count's range, the
//     smallest non-zero count, entries that share its atoms first; a large
//     count is never hidden while a smaller one does the job.
//   - The same counts always give the same pattern.
func Protect(l Linked, k int) Pattern {
	k = MinK(k)
	w := newLinked(l, k)
	p := Pattern{values: make([]int, len(l.Entries)), hidden: make([]bool, len(l.Entries))}
	if !w.protect() {
		p.Failed = true
		for i := range p.hidden {
			p.hidden[i] = true
		}
		return p
	}
	for i, s := range w.of {
		p.values[i], p.hidden[i] = w.value[s], w.hidden[s]
	}
	return p
}

func newLinked(l Linked, k int) *linked {
	w := &linked{k: k, atoms: l.Atoms, of: make([]int, len(l.Entries))}
	index := map[string]int{}
	for i, e := range l.Entries {
		atoms := slices.Clone(e.Atoms)
		slices.Sort(atoms)
		atoms = slices.Compact(atoms)
		key := atomKey(atoms)
		s, ok := index[key]
		if !ok {
			s = len(w.sets)
			index[key] = s
			v := 0
			for _, a := range atoms {
				v += l.Atoms[a]
			}
			w.sets = append(w.sets, atoms)
			w.value = append(w.value, v)
			small := v > 0 && v < k
			w.hidden = append(w.hidden, small)
			w.sensitive = append(w.sensitive, small)
			w.keep = append(w.keep, false)
			w.fixed = append(w.fixed, false)
			w.silent = append(w.silent, false)
		}
		w.of[i] = s
		if e.Force {
			w.hidden[s], w.sensitive[s] = true, true
		}
		if e.Silent {
			w.hidden[s] = true
		}
		w.keep[s] = w.keep[s] || e.Keep
		w.fixed[s] = w.fixed[s] || e.Fixed
		w.silent[s] = w.silent[s] || e.Silent
	}
	w.lp = newIntervals(len(l.Atoms))
	w.safe = make([]bool, len(w.sets))
	w.cols = l.Cols
	if w.cols <= 0 {
		w.cols = max(1, len(l.Atoms))
	}
	w.atomSets = make([][]int, len(l.Atoms))
	w.member = make([][]bool, len(w.sets))
	for s, atoms := range w.sets {
		w.member[s] = make([]bool, len(l.Atoms))
		for _, a := range atoms {
			w.member[s][a] = true
			w.atomSets[a] = append(w.atomSets[a], s)
		}
	}
	return w
}

func atomKey(atoms []int) string {
	var b strings.Builder
	for _, a := range atoms {
		b.WriteString(strconv.Itoa(a))
		b.WriteByte(',')
	}
	return b.String()
}

// maxRounds bounds the complements Protect adds; a linked table of a few
// hundred entries needs far fewer.
const maxRounds = 2000

func (w *linked) protect() bool {
	w.moveFirst()
	for range maxRounds {
		s, short := w.exposed()
		if s < 0 {
			return true
		}
		if !w.complement(s, short) {
			return false
		}
	}
	return false
}

// exposed returns the first sensitive set a reader can narrow too far, and
// by how much, or −1.
func (w *linked) exposed() (int, int) {
	for s, sens := range w.sensitive {
		if !sens || w.safe[s] {
			continue
		}
		if short := w.shortfall(s); short > 0 {
			return s, short
		}
		w.safe[s] = true
	}
	return -1, 0
}

// shortfall is how many values short of the protection interval a reader
// can narrow set s: 0 when protected.
func (w *linked) shortfall(s int) int {
	if up, down := w.witnessed(s); up && down {
		return 0
	}
	lo, hi, ok := w.lp.rangeOf(w.sets[s], w.equations())
	if !ok {
		return 1 << 30
	}
	v := w.value[s]
	short := max(0, lo-max(0, v-ProtectionWidth))
	if hi >= 0 {
		short += max(0, v+ProtectionWidth-hi)
	}
	return short
}

// equations lists the sets a reader is shown.
func (w *linked) equations() []equation {
	var eq []equation
	for s, h := range w.hidden {
		if !h {
			eq = append(eq, equation{atoms: w.sets[s], value: w.value[s]})
		}
	}
	return eq
}

// complement hides one more set to widen the range of s: the cheapest one
// that helps, trying sets that share an atom with s first. When none helps
// on its own, it hides the cheapest set sharing an atom with s, so that a
// later round can finish the job; false when nothing is left to hide.
func (w *linked) complement(s, short int) bool {
	if w.cheapestMove(s) {
		return true
	}
	candidates := w.candidates(s)
	for _, c := range candidates {
		if w.keep[c] || !w.overlaps(c, s) {
			break
		}
		w.hidden[c] = true
		if w.shortfall(s) < short {
			return true
		}
		w.hidden[c] = false
	}
	for _, c := range candidates {
		if !w.keep[c] && w.overlaps(c, s) {
			w.hidden[c] = true
			return true
		}
	}
	if len(candidates) > 0 {
		w.hidden[candidates[0]] = true
		return true
	}
	return false
}

// candidates lists the shown sets that may be hidden as complements,
// cheapest first: those sharing an atom with s, then the rest; within each,
// non-zero before zero, then the smallest, then the first.
func (w *linked) candidates(s int) []int {
	var out []int
	for c, h := range w.hidden {
		if !h && !w.fixed[c] {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int {
		return cmp.Or(cmp.Compare(b2i(w.keep[a]), b2i(w.keep[b])), cmp.Compare(b2i(!w.overlaps(a, s)), b2i(!w.overlaps(b, s))),
			cmp.Compare(b2i(w.value[a] == 0), b2i(w.value[b] == 0)), cmp.Compare(w.value[a], w.value[b]), cmp.Compare(a, b))
	})
	return out
}

func (w *linked) overlaps(a, b int) bool {
	for _, x := range w.sets[a] {
		if _, found := slices.BinarySearch(w.sets[b], x); found {
			return true
		}
	}
	return false
}
