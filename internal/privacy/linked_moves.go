package privacy

// Most of a linked table's checks need no linear program. A reader who
// sees some counts cannot tell the true atoms from the atoms after a move
// that changes no shown count: one unit taken from an atom and given to
// another in the same row when both sit in every shown count together, or
// a rectangle — one unit onto (r1,c1) and (r2,c2), one off (r1,c2) and
// (r2,c1) — which leaves every row and column sum as it was. If such a
// move can push a hidden count two above its value, and another two below
// (or to 0), with no atom going negative, the count is protected: the
// move is a solution of the reader's equations with that value, which is
// all the linear program would find. So shortfall tries the moves first
// and calls the solver only when none proves it; and complement hides,
// at once, the counts that stop the cheapest such move, before it falls
// back to trying counts one at a time with the solver.

// move changes atoms by ±1; a rectangle has four, a transfer two.
type move struct {
	atoms [4]int
	signs [4]int
	n     int
}

func (m *move) add(a, sign int) { m.atoms[m.n], m.signs[m.n] = a, sign; m.n++ }

// moves calls yield with every transfer and rectangle that changes the
// sum of set s, until yield returns false. Atoms form rows of w.cols.
func (w *linked) moves(s int, yield func(m move) bool) {
	cols := w.cols
	rows := (len(w.atoms) + cols - 1) / cols
	at := func(r, c int) (int, bool) {
		a := r*cols + c
		return a, a < len(w.atoms)
	}
	for _, a := range w.sets[s] {
		r, c := a/cols, a%cols
		for c2 := range cols {
			if b, ok := at(r, c2); ok && c2 != c {
				var m move
				m.add(a, 1)
				m.add(b, -1)
				if !yield(m) {
					return
				}
			}
		}
		for r2 := range rows {
			if b, ok := at(r2, c); ok && r2 != r {
				var m move
				m.add(a, 1)
				m.add(b, -1)
				if !yield(m) {
					return
				}
			}
		}
		for r2 := range rows {
			if r2 == r {
				continue
			}
			for c2 := range cols {
				if c2 == c {
					continue
				}
				b, ok1 := at(r, c2)
				d, ok2 := at(r2, c)
				e, ok3 := at(r2, c2)
				if !ok1 || !ok2 || !ok3 {
					continue
				}
				var m move
				m.add(a, 1)
				m.add(b, -1)
				m.add(d, -1)
				m.add(e, 1)
				if !yield(m) {
					return
				}
			}
		}
	}
}

// reach is how far a move shifts set s up and down, atoms never negative:
// up and down in units of s's value.
func (w *linked) reach(s int, m move) (up, down int) {
	delta := 0
	for i := range m.n {
		if w.inSet(s, m.atoms[i]) {
			delta += m.signs[i]
		}
	}
	if delta == 0 {
		return 0, 0
	}
	// Forward (t > 0) is limited by the atoms the move takes from, backward
	// by the atoms it adds to.
	fwd, back := 1<<30, 1<<30
	for i := range m.n {
		x := w.atoms[m.atoms[i]]
		if m.signs[i] < 0 {
			fwd = min(fwd, x)
		} else {
			back = min(back, x)
		}
	}
	if delta > 0 {
		return delta * fwd, delta * back
	}
	return -delta * back, -delta * fwd
}

// stoppers lists the shown sets whose sum the move changes: a reader sees
// the move unless they are hidden. ok is false when one of them may not
// be hidden here (fixed by another table).
func (w *linked) stoppers(m move, out []int) ([]int, bool) {
	out = out[:0]
	for i := range m.n {
		for _, t := range w.atomSets[m.atoms[i]] {
			if w.hidden[t] {
				continue
			}
			sum := 0
			for j := range m.n {
				if w.inSet(t, m.atoms[j]) {
					sum += m.signs[j]
				}
			}
			if sum == 0 || containsInt(out, t) {
				continue
			}
			if w.fixed[t] {
				return out, false
			}
			out = append(out, t)
		}
	}
	return out, true
}

// need is how far set s's range must reach up and down.
func (w *linked) need(s int) (up, down int) {
	return ProtectionWidth, min(w.value[s], ProtectionWidth)
}

// witnessed reports whether moves no shown count stops already prove set
// s's range reaches far enough up, and down.
func (w *linked) witnessed(s int) (upOK, downOK bool) {
	needUp, needDown := w.need(s)
	downOK = needDown == 0
	var buf []int
	w.moves(s, func(m move) bool {
		up, down := w.reach(s, m)
		if (upOK || up < needUp) && (downOK || down < needDown) {
			return true
		}
		stop, ok := w.stoppers(m, buf)
		buf = stop
		if ok && len(stop) == 0 {
			upOK = upOK || up >= needUp
			downOK = downOK || down >= needDown
		}
		return !(upOK && downOK)
	})
	return upOK, downOK
}

// cheapestMove hides the shown sets that stop the cheapest move proving
// set s's range on the sides not yet proved: fewest zeros, then the
// smallest total, then the fewest sets, then the first found. It never
// hides a kept or fixed set. False when no move does it.
func (w *linked) cheapestMove(s int) bool {
	upOK, downOK := w.witnessed(s)
	if upOK && downOK {
		return false
	}
	needUp, needDown := w.need(s)
	type cost struct{ zeros, total, sets int }
	var best []int
	var bestCost cost
	var buf []int
	w.moves(s, func(m move) bool {
		up, down := w.reach(s, m)
		if (!upOK && up < needUp) || (!downOK && down < needDown) {
			return true
		}
		stop, ok := w.stoppers(m, buf)
		buf = stop
		if !ok {
			return true
		}
		var c cost
		for _, t := range stop {
			if w.keep[t] {
				return true
			}
			if w.value[t] == 0 {
				c.zeros++
			}
			c.total += w.value[t]
		}
		c.sets = len(stop)
		if best == nil || c.zeros < bestCost.zeros || c.zeros == bestCost.zeros && (c.total < bestCost.total || c.total == bestCost.total && c.sets < bestCost.sets) {
			best, bestCost = append(best[:0:0], stop...), c
		}
		return true
	})
	if len(best) == 0 {
		return false
	}
	for _, t := range best {
		w.hidden[t] = true
	}
	return true
}

// moveFirst protects each small, forced or silent count in turn by the
// cheapest move, with no solver: most counts of a report's grid need no
// more, and a count a move protects needs no linear program later. The
// counts no move can protect are left to the solver.
func (w *linked) moveFirst() {
	for s, sens := range w.sensitive {
		if !sens {
			continue
		}
		if up, down := w.witnessed(s); up && down {
			w.safe[s] = true
			continue
		}
		if w.cheapestMove(s) {
			w.safe[s] = true
		}
	}
}

func (w *linked) inSet(s, a int) bool { return w.member[s][a] }

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
