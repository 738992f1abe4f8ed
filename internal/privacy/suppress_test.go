package privacy

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestMinK(t *testing.T) {
	for setting, want := range map[int]int{0: 11, -3: 11, 1: 5, 4: 5, 5: 5, 11: 11, 30: 30} {
		if got := MinK(setting); got != want {
			t.Errorf("MinK(%d) = %d, want %d", setting, got, want)
		}
	}
	if !TooFew(10, 0) || TooFew(11, 0) || TooFew(5, 3) || !TooFew(4, 3) {
		t.Error("TooFew disagrees with MinK")
	}
}

// TestSuppress pins the answers for small tables a reader can check by hand
// (k = 11 unless said). render draws "·" for a suppressed count, the row
// totals after "|" and the column totals and grand total on the last line.
func TestSuppress(t *testing.T) {
	tests := []struct {
		name string
		t    Table
		k    int
		want string
	}{
		{"nothing small", Table{Counts: [][]int{{12, 40}, {25, 18}}, RowTotals: true, ColTotals: true}, 11,
			"  12  40 |  52\n  25  18 |  43\n  37  58 =  95"},
		{"zero points at nobody", Table{Counts: [][]int{{0, 12}, {15, 0}}, RowTotals: true, ColTotals: true}, 11,
			"   0  12 |  12\n  15   0 |  15\n  15  12 =  27"},
		{"no totals: only the small count", Table{Counts: [][]int{{30, 3, 40}}}, 11,
			"  30   ·  40\n =   ·"},
		{"a shown total hides a second count", Table{Counts: [][]int{{30, 3, 40}}, Total: true}, 11,
			"   ·   ·  40\n =  73"},
		{"hidden counts add up to k", Table{Counts: [][]int{{2, 3, 9, 40}}, Total: true}, 11,
			"   ·   ·   ·  40\n =  54"},
		{"a rectangle protects two small counts",
			Table{Counts: [][]int{{12, 4, 30}, {25, 0, 18}, {40, 22, 3}}, RowTotals: true, ColTotals: true}, 11,
			"  12   ·   · |  46\n  25   0  18 |  43\n  40   ·   · |  65\n  77  26  51 = 154"},
		{"column totals only", Table{Counts: [][]int{{12, 4, 30}, {25, 0, 18}, {40, 22, 3}}, ColTotals: true}, 11,
			"  12   ·  30\n  25   0   ·\n  40   ·   ·\n  77  26  51 = 154"},
		{"a small row total and the cells that would give it away",
			Table{Counts: [][]int{{2, 1, 0}, {20, 30, 15}, {14, 12, 40}}, RowTotals: true, ColTotals: true}, 11,
			"   ·   ·   0 |   ·\n  20  30  15 |  65\n   ·   ·  40 |   ·\n  36  43  55 = 134"},
		{"a hidden total needs a hidden cell",
			Table{Counts: [][]int{{0, 0, 0}, {0, 0, 44}, {0, 0, 8}}, RowTotals: true}, 11,
			"   0   0   0 |   0\n   0   0   · |   ·\n   0   0   · |   ·\n =  52"},
		{"one column: a complement hides its row's total",
			Table{Counts: [][]int{{3}, {20}, {15}}, RowTotals: true, ColTotals: true}, 11,
			"   · |   ·\n  20 |  20\n   · |   ·\n  38 =  38"},
		{"grand total below k", Table{Counts: [][]int{{3, 0}, {4, 1}}, RowTotals: true, ColTotals: true}, 11,
			"   ·   · |   ·\n   ·   · |   ·\n   ·   · =   · too few"},
		{"no responses", Table{Counts: [][]int{{0, 0}}, Total: true}, 11, "   ·   ·\n =   · too few"},
		{"no rows", Table{Total: true}, 11, " =   · too few"},
		{"k below the minimum is 5", Table{Counts: [][]int{{4, 5, 30}}}, 2, "   ·   5  30\n =   ·"},
		{"unset k is 11", Table{Counts: [][]int{{10, 11, 30}}}, 0, "   ·  11  30\n =   ·"},
		{"ragged rows hide everything", Table{Counts: [][]int{{40, 50}, {60}}, ColTotals: true}, 11,
			"   ·   ·\n   ·\n   ·   · =   · too few"},
		{"negative counts hide everything", Table{Counts: [][]int{{40, -1}}, Total: true}, 11,
			"   ·   ·\n =   · too few"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(Suppress(tt.t, tt.k))
			if got != tt.want {
				t.Errorf("Suppress:\n%s\nwant:\n%s", got, tt.want)
			}
			if len(tt.t.Counts) > 0 && len(tt.t.Counts[0]) > 0 && !strings.Contains(tt.name, "everything") {
				if err := checkSuppress(tt.t, tt.k); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestSuppressList(t *testing.T) {
	cells, total, tooFew := SuppressList([]int{30, 3, 40}, 11, true)
	if got, _ := json.Marshal([]any{cells, total, tooFew}); string(got) != "[[null,null,40],73,false]" {
		t.Errorf("with total: %s", got)
	}
	cells, total, tooFew = SuppressList([]int{30, 3, 40}, 11, false)
	if got, _ := json.Marshal([]any{cells, total, tooFew}); string(got) != "[[30,null,40],null,false]" {
		t.Errorf("without total: %s", got)
	}
	cells, total, tooFew = SuppressList(nil, 11, true)
	if len(cells) != 0 || !total.Suppressed || !tooFew {
		t.Errorf("empty list: %v %v %v", cells, total, tooFew)
	}
}

func TestShownJSON(t *testing.T) {
	s := Suppress(Table{Counts: [][]int{{12, 4, 30}, {25, 0, 18}}, ColTotals: true}, 11)
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	// Column 1's total (4) is small; hiding column 0's total with it needs a
	// cell of column 0 hidden too.
	want := `{"cells":[[null,null,30],[25,0,18]],"col_totals":[null,null,48],"total":89,"too_few":false}`
	if string(got) != want {
		t.Errorf("JSON %s, want %s", got, want)
	}
	var back Shown
	if err := json.Unmarshal(got, &back); err != nil || render(back) != render(s) {
		t.Errorf("round trip: %v\n%s\nwant\n%s", err, render(back), render(s))
	}
}

func TestPercentJSON(t *testing.T) {
	got, err := json.Marshal([]Percent{Share(Cell{Value: 12}, Cell{Value: 48}), Share(Cell{Suppressed: true}, Cell{Value: 48})})
	if err != nil || string(got) != "[25,null]" {
		t.Errorf("JSON %s, %v", got, err)
	}
	var back []Percent
	if err := json.Unmarshal([]byte("[12.5, null]"), &back); err != nil || back[0].Value != 12.5 || !back[1].Suppressed {
		t.Errorf("decode: %v, %v", back, err)
	}
	var c Cell
	if err := json.Unmarshal([]byte(`"7"`), &c); err == nil {
		t.Error("a string decoded as a Cell")
	}
}

func TestShare(t *testing.T) {
	hidden := Cell{Suppressed: true}
	tests := []struct {
		part, whole Cell
		want        Percent
	}{
		{Cell{Value: 12}, Cell{Value: 48}, Percent{Value: 25}},
		{Cell{Value: 0}, Cell{Value: 48}, Percent{Value: 0}},
		{Cell{Value: 48}, Cell{Value: 48}, Percent{Value: 100}},
		{hidden, Cell{Value: 48}, Percent{Suppressed: true}},
		{Cell{Value: 12}, hidden, Percent{Suppressed: true}},
		{hidden, hidden, Percent{Suppressed: true}},
		{Cell{Value: 0}, Cell{Value: 0}, Percent{Suppressed: true}},
	}
	for _, tt := range tests {
		if got := Share(tt.part, tt.whole); got != tt.want {
			t.Errorf("Share(%v, %v) = %v, want %v", tt.part, tt.whole, got, tt.want)
		}
	}
}

// TestCombinedFilters builds a report the way a dashboard does — answers by
// site over the responses a viewer's filters leave — and checks that a
// narrow enough combination of filters answers "too few" and shows nothing.
func TestCombinedFilters(t *testing.T) {
	type response struct{ site, age, week, answer int }
	r := rand.New(rand.NewPCG(7, 7))
	var responses []response
	for range 400 {
		responses = append(responses, response{r.IntN(3), r.IntN(4), r.IntN(8), r.IntN(5)})
	}
	report := func(keep func(response) bool) (Table, int) {
		counts := make([][]int, 5)
		for i := range counts {
			counts[i] = make([]int, 3)
		}
		n := 0
		for _, x := range responses {
			if keep(x) {
				counts[x.answer][x.site]++
				n++
			}
		}
		return Table{Counts: counts, RowTotals: true, ColTotals: true}, n
	}
	sawTooFew, sawShown := false, false
	for site := -1; site < 3; site++ {
		for age := -1; age < 4; age++ {
			for week := -1; week < 8; week++ {
				tb, n := report(func(x response) bool {
					return (site < 0 || x.site == site) && (age < 0 || x.age == age) && (week < 0 || x.week == week)
				})
				s := Suppress(tb, 11)
				if s.TooFew != (n < 11) {
					t.Fatalf("site %d age %d week %d: %d responses, TooFew = %v", site, age, week, n, s.TooFew)
				}
				if err := checkSuppress(tb, 11); err != nil {
					t.Fatalf("site %d age %d week %d: %v", site, age, week, err)
				}
				if s.TooFew {
					sawTooFew = true
					if js, _ := json.Marshal(s); strings.ContainsAny(string(js), "123456789") {
						t.Fatalf("a too-few report shows a number: %s", js)
					}
				} else {
					sawShown = true
				}
			}
		}
	}
	if !sawTooFew || !sawShown {
		t.Fatalf("the filters never (or always) narrowed below k: too few %v, shown %v", sawTooFew, sawShown)
	}
}

func BenchmarkSuppress(b *testing.B) {
	for _, size := range []int{8, 30} {
		b.Run(fmt.Sprintf("%dx%d", size, size), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			tb := Table{Counts: make([][]int, size), RowTotals: true, ColTotals: true}
			for i := range tb.Counts {
				tb.Counts[i] = make([]int, size)
				for j := range tb.Counts[i] {
					tb.Counts[i][j] = randomCount(r, 1, 11)
				}
			}
			for b.Loop() {
				Suppress(tb, 11)
			}
		})
	}
}
