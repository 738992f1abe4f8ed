package report

import (
	"slices"

	"github.com/chorus-hr/chorus/models"
)

// guard protects a report against subtraction across reports: a reader
// who asks for two reports that differ by a little — the first quarter and
// its last two months, all sites and the van alone — can subtract one
// count from the other. Every count a report shows covers some sites and
// some days; guard says whether another report a reader can ask for covers
// the same sites over fewer days (whole months inside them: reports cover
// whole months, see Scope.Snap), or fewer sites (one site, the urban or
// rural ones, the fixed or mobile ones) over the same days, and differs
// from it by 1 to k−1. Such a count is hidden, and complementary
// suppression protects it like a small one.
//
// Pairs of reports that differ in both sites and days at once are not
// checked; docs/suppression.md says so.
type guard struct {
	k    int
	from models.Day
	// prefix[code][site][i] is the count of days from..from+i−1.
	prefix map[string]map[string][]int
	// bounds are the day offsets where a reader's range may start or end:
	// the first of each month.
	bounds []int
	// groups are the site sets a reader can ask for.
	groups [][]string
}

// newGuard indexes daily counts over [from, to] for the site groups.
func newGuard(k int, from, to models.Day, counts []Count, groups [][]string) *guard {
	days := int(to.Time().Sub(from.Time()).Hours()/24) + 1
	g := &guard{k: k, from: from, prefix: map[string]map[string][]int{}, groups: groups}
	for _, c := range counts {
		i := int(c.Day.Time().Sub(from.Time()).Hours() / 24)
		if i < 0 || i >= days {
			continue
		}
		bySite := g.prefix[c.Code]
		if bySite == nil {
			bySite = map[string][]int{}
			g.prefix[c.Code] = bySite
		}
		if bySite[c.SiteID] == nil {
			bySite[c.SiteID] = make([]int, days+1)
		}
		bySite[c.SiteID][i+1] += c.Value
	}
	for _, bySite := range g.prefix {
		for _, p := range bySite {
			for i := 1; i < len(p); i++ {
				p[i] += p[i-1]
			}
		}
	}
	for i := 0; i <= days; i++ {
		t := from.AddDays(i).Time()
		if i == 0 || i == days || t.Day() == 1 {
			g.bounds = append(g.bounds, i)
		}
	}
	return g
}

// sum counts code at the sites over day offsets [a, b).
func (g *guard) sum(code string, sites []string, a, b int) int {
	n := 0
	for _, s := range sites {
		if p := g.prefix[code][s]; p != nil {
			n += p[b] - p[a]
		}
	}
	return n
}

func (g *guard) small(d int) bool { return d > 0 && d < g.k }

// leaks reports whether the count of code at sites over [a, b) could be
// pulled apart by subtracting a narrower report a reader can ask for.
func (g *guard) leaks(code string, sites []string, a, b int) bool {
	return g.leaksAll([]string{code}, sites, a, b)
}

// leaksAll is leaks for the sum of several codes (the answers to one
// question, added up).
func (g *guard) leaksAll(codes []string, sites []string, a, b int) bool {
	sum := func(sites []string, a, b int) int {
		n := 0
		for _, c := range codes {
			n += g.sum(c, sites, a, b)
		}
		return n
	}
	total := sum(sites, a, b)
	if g.leaksInTime(sum, total, sites, a, b) {
		return true
	}
	for _, group := range g.groups {
		sub := subset(group, sites)
		if len(sub) == 0 || len(sub) == len(sites) {
			continue
		}
		if g.small(total - sum(sub, a, b)) {
			return true
		}
	}
	return false
}

// leaksMonths is leaksAll against narrower ranges of months only: the
// linked tables (family) protect the differences between site groups.
func (g *guard) leaksMonths(codes []string, sites []string, a, b int) bool {
	sum := func(sites []string, a, b int) int {
		n := 0
		for _, c := range codes {
			n += g.sum(c, sites, a, b)
		}
		return n
	}
	return g.leaksInTime(sum, sum(sites, a, b), sites, a, b)
}

// leaksInTime reports whether total, the count at sites over [a, b),
// differs by 1 to k−1 from the same sites over fewer whole months.
func (g *guard) leaksInTime(sum func([]string, int, int) int, total int, sites []string, a, b int) bool {
	lo, _ := slices.BinarySearch(g.bounds, a)
	for x := lo; x < len(g.bounds) && g.bounds[x] < b; x++ {
		for y := x + 1; y < len(g.bounds) && g.bounds[y] <= b; y++ {
			if g.bounds[x] == a && g.bounds[y] == b {
				continue
			}
			if g.small(total - sum(sites, g.bounds[x], g.bounds[y])) {
				return true
			}
		}
	}
	return false
}

// subset keeps the sites of group that are among sites, or nothing when
// the group reaches outside them (it is not narrower).
func subset(group, sites []string) []string {
	for _, s := range group {
		if !slices.Contains(sites, s) {
			return nil
		}
	}
	return group
}

// siteGroups lists the site sets a reader can filter a report to: each
// site, the sites of each setting, of each kind, and of each setting and
// kind together, in a fixed order.
func siteGroups(sites []models.Site) [][]string {
	bySetting, byKind := map[string][]string{}, map[string][]string{}
	var out [][]string
	for _, s := range sites {
		out = append(out, []string{s.ID})
		bySetting[s.Setting] = append(bySetting[s.Setting], s.ID)
		byKind[s.Kind] = append(byKind[s.Kind], s.ID)
	}
	both := map[string][]string{}
	for _, s := range sites {
		both[s.Setting+"/"+s.Kind] = append(both[s.Setting+"/"+s.Kind], s.ID)
	}
	for _, m := range []map[string][]string{bySetting, byKind, both} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, m[k])
		}
	}
	return out
}
