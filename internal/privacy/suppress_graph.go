package privacy

// The line rule (never exactly one hidden cell in a line with a shown
// total) is not enough on its own: hidden cells can form two separate
// rectangles joined by a single cell, and that cell is then the difference
// of sums the reader knows. Whether a hidden entry can be worked out is a
// property of a graph: one node per row and per column of the grid, one
// edge per hidden entry joining its row and its column. A node whose line
// the reader has no equation for (its total is not part of the report)
// constrains nothing; all such nodes are merged into one free node. A
// hidden entry is then determined exactly when its edge is a bridge — when
// it lies on no cycle, so that no alternating change of the hidden values
// (+d, −d, +d, …) around a cycle, or along a path that starts and ends at
// the free node, keeps every known total and moves this entry. That is the
// same as its unit vector lying in the row space of the linear system, which
// the tests check independently with exact Gaussian elimination.

// graph is the hidden entries of a grid as edges between line nodes.
type graph struct {
	adj   [][]edge
	ends  map[int][2]int // entry → its two nodes
	nodes int
}

type edge struct{ to, entry int }

func (g *grid) rowNode(a int) int {
	if g.rowEq[a] {
		return a
	}
	return g.freeNode()
}

func (g *grid) colNode(b int) int {
	if g.colEq[b] {
		return g.rows + 1 + b
	}
	return g.freeNode()
}

func (g *grid) freeNode() int { return g.rows + g.cols + 2 }

// ends returns the two nodes of entry e.
func (g *grid) ends(e int) (u, v int) {
	return g.rowNode(e / (g.cols + 1)), g.colNode(e % (g.cols + 1))
}

func (g *grid) graph() graph {
	gr := graph{nodes: g.freeNode() + 1, ends: map[int][2]int{}}
	gr.adj = make([][]edge, gr.nodes)
	for e, h := range g.hidden {
		u, v := g.ends(e)
		if !h || u == v {
			// A hidden entry between two free nodes is in no equation
			// at all: a loop, never a bridge.
			continue
		}
		gr.adj[u] = append(gr.adj[u], edge{v, e})
		gr.adj[v] = append(gr.adj[v], edge{u, e})
		gr.ends[e] = [2]int{u, v}
	}
	return gr
}

// determined returns the first hidden entry a reader can work out, if any.
func (g *grid) determined() (entry int, found bool) {
	gr := g.graph()
	disc, low := make([]int, gr.nodes), make([]int, gr.nodes)
	for i := range disc {
		disc[i] = -1
	}
	entry, clock := -1, 0
	var visit func(u, via int)
	visit = func(u, via int) {
		disc[u], low[u] = clock, clock
		clock++
		for _, ed := range gr.adj[u] {
			switch {
			case ed.entry == via:
			case disc[ed.to] < 0:
				visit(ed.to, ed.entry)
				low[u] = min(low[u], low[ed.to])
				if low[ed.to] > disc[u] && (entry < 0 || ed.entry < entry) {
					entry = ed.entry
				}
			default:
				low[u] = min(low[u], disc[ed.to])
			}
		}
	}
	for u := range gr.nodes {
		if disc[u] < 0 {
			visit(u, -1)
		}
	}
	return entry, entry >= 0
}

// fixDetermined hides one more entry so that the bridge e lies on a cycle:
// the best shown entry joining the two sides the bridge separates. Should no
// entry join them, it hides the best shown entry on a line of e, so that a
// later round can close a longer cycle. It reports false when nothing is
// left to hide.
func (g *grid) fixDetermined(e int) bool {
	gr := g.graph()
	u, v := gr.ends[e][0], gr.ends[e][1]
	sideU, sideV := gr.reach(u, e), gr.reach(v, e)
	best := g.bestShown(func(f int) bool {
		fu, fv := g.ends(f)
		return (sideU[fu] && sideV[fv]) || (sideV[fu] && sideU[fv])
	})
	if best < 0 {
		a, b := e/(g.cols+1), e%(g.cols+1)
		best = g.bestShown(func(f int) bool {
			return (g.rowEq[a] && f/(g.cols+1) == a) || (g.colEq[b] && f%(g.cols+1) == b)
		})
	}
	if best < 0 {
		return false
	}
	g.hidden[best] = true
	return true
}

// bestShown returns the shown entry, other than the grand total, that ok
// accepts and that hides least: non-zero before zero, then the smallest, then
// the first. It returns −1 when there is none.
func (g *grid) bestShown(ok func(f int) bool) int {
	best, grand := -1, g.at(g.rows, g.cols)
	for f, v := range g.val {
		if !g.exists[f] || g.hidden[f] || f == grand || !ok(f) {
			continue
		}
		if best < 0 || cmpKey([5]int{b2i(v == 0), v, f}, [5]int{b2i(g.val[best] == 0), g.val[best], best}) < 0 {
			best = f
		}
	}
	return best
}

// reach returns the nodes reachable from start without crossing entry skip.
func (gr graph) reach(start, skip int) []bool {
	seen := make([]bool, gr.nodes)
	seen[start] = true
	stack := []int{start}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, ed := range gr.adj[u] {
			if ed.entry != skip && !seen[ed.to] {
				seen[ed.to] = true
				stack = append(stack, ed.to)
			}
		}
	}
	return seen
}
