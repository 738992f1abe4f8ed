package tally

import (
	"encoding/json"
	"errors"
	"maps"
	"testing"
)

func ptr(n int) *int { return &n }

func mustSpec(t *testing.T, kind string, options []string, maxRank, dots *int) Spec {
	t.Helper()
	s, err := NewSpec(kind, options, maxRank, dots)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewSpec(t *testing.T) {
	for _, tc := range []struct {
		name    string
		kind    string
		options []string
		maxRank *int
		dots    *int
		field   string // empty: accepted
	}{
		{"agree has fixed options", Agree, nil, nil, nil, ""},
		{"agree refuses options", Agree, []string{"a", "b"}, nil, nil, "options"},
		{"scale", Scale, nil, nil, nil, ""},
		{"pick needs two options", Pick, []string{"only"}, nil, nil, "options"},
		{"pick with blanks", Pick, []string{"a", "  "}, nil, nil, "options[1]"},
		{"pick repeats", Pick, []string{"a", " a "}, nil, nil, "options[1]"},
		{"unknown kind", "vibes", nil, nil, nil, "kind"},
		{"rank max too big", Rank, []string{"a", "b"}, ptr(3), nil, "max_rank"},
		{"max_rank on pick", Pick, []string{"a", "b"}, ptr(1), nil, "max_rank"},
		{"dots too many", Dots, []string{"a", "b"}, nil, ptr(MaxDots + 1), "dots"},
		{"dots on rank", Rank, []string{"a", "b"}, nil, ptr(3), "dots"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSpec(tc.kind, tc.options, tc.maxRank, tc.dots)
			var fe *FieldError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field):
				t.Fatalf("got %v, want an error on %s", err, tc.field)
			}
		})
	}
	if s := mustSpec(t, Rank, []string{"a", "b", "c", "d"}, nil, nil); s.MaxRank != 3 {
		t.Errorf("rank defaults to the top 3, got %d", s.MaxRank)
	}
	if s := mustSpec(t, Rank, []string{"a", "b"}, nil, nil); s.MaxRank != 2 {
		t.Errorf("rank of two options orders both, got %d", s.MaxRank)
	}
	if s := mustSpec(t, Dots, []string{"a", "b"}, nil, nil); s.Dots != 5 {
		t.Errorf("dots default to 5, got %d", s.Dots)
	}
}

func TestParse(t *testing.T) {
	agree := mustSpec(t, Agree, nil, nil, nil)
	scale := mustSpec(t, Scale, nil, nil, nil)
	pick := mustSpec(t, Pick, []string{"tea", "coffee"}, nil, nil)
	rank := mustSpec(t, Rank, []string{"a", "b", "c", "d"}, ptr(2), nil)
	dots := mustSpec(t, Dots, []string{"a", "b", "c"}, nil, ptr(3))
	for _, tc := range []struct {
		spec Spec
		raw  string
		ok   bool
		want string // canonical JSON when ok
	}{
		{agree, `"agree"`, true, `"agree"`},
		{agree, `"unsure"`, true, `"unsure"`},
		{agree, `"yes"`, false, ""},
		{agree, `["agree"]`, false, ""},
		{scale, `"5"`, true, `"5"`},
		{scale, `5`, false, ""},
		{scale, `"6"`, false, ""},
		{pick, `"tea"`, true, `"tea"`},
		{pick, `"milk"`, false, ""},
		{pick, `null`, false, ""},
		{pick, `"te\u0061"`, true, `"tea"`},
		{pick, `"tea" "coffee"`, false, ""},
		{pick, `"tea`, false, ""},
		{pick, `"`, false, ""},
		{pick, "\"t\xffa\"", false, ""},
		{rank, `["b"] ["a"]`, false, ""},
		{rank, `["b","a"]`, true, `["b","a"]`},
		{rank, `["b"]`, true, `["b"]`},
		{rank, `["a","b","c"]`, false, ""},
		{rank, `["a","a"]`, false, ""},
		{rank, `[]`, false, ""},
		{rank, `["x"]`, false, ""},
		{dots, `{"a":2,"b":1}`, true, `{"a":2,"b":1}`},
		{dots, `{"a":3,"c":0}`, true, `{"a":3}`},
		{dots, `{"a":2,"b":2}`, false, ""},
		{dots, `{"a":-1,"b":2}`, false, ""},
		{dots, `{"a":1.5}`, false, ""},
		{dots, `{"a":0}`, false, ""},
		{dots, `{"z":1}`, false, ""},
		{dots, `{}`, false, ""},
		{dots, `"a"`, false, ""},
	} {
		c, err := tc.spec.Parse(json.RawMessage(tc.raw))
		if !tc.ok {
			if !errors.Is(err, ErrChoice) {
				t.Errorf("%s %s: got %v, want ErrChoice", tc.spec.Kind, tc.raw, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tc.spec.Kind, tc.raw, err)
			continue
		}
		if got := string(c.JSON()); got != tc.want {
			t.Errorf("%s %s: canonical %s, want %s", tc.spec.Kind, tc.raw, got, tc.want)
		}
		again, err := tc.spec.Parse(c.JSON())
		if err != nil || string(again.JSON()) != tc.want {
			t.Errorf("%s %s: canonical form does not parse back: %v", tc.spec.Kind, tc.raw, err)
		}
	}
}

func parse(t *testing.T, s Spec, raw string) Choice {
	t.Helper()
	c, err := s.Parse(json.RawMessage(raw))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTallyPerKind(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spec   Spec
		votes  []string
		hand   map[string]int
		counts map[string]int
		first  map[string]int
	}{
		{
			name:   "agree counts people",
			spec:   mustSpec(t, Agree, nil, nil, nil),
			votes:  []string{`"agree"`, `"agree"`, `"unsure"`},
			hand:   map[string]int{"disagree": 4},
			counts: map[string]int{"agree": 2, "disagree": 4, "unsure": 1},
		},
		{
			name:   "scale counts each step",
			spec:   mustSpec(t, Scale, nil, nil, nil),
			votes:  []string{`"1"`, `"5"`, `"5"`},
			counts: map[string]int{"1": 1, "2": 0, "3": 0, "4": 0, "5": 2},
		},
		{
			name:   "pick",
			spec:   mustSpec(t, Pick, []string{"tea", "coffee"}, nil, nil),
			votes:  []string{`"tea"`, `"coffee"`, `"tea"`},
			hand:   map[string]int{"coffee": 2},
			counts: map[string]int{"tea": 2, "coffee": 3},
		},
		{
			// N = 3: first 3 points, second 2, third 1.
			name:   "rank is Borda points and first choices",
			spec:   mustSpec(t, Rank, []string{"a", "b", "c", "d"}, ptr(3), nil),
			votes:  []string{`["a","b","c"]`, `["b","a"]`, `["b"]`},
			hand:   map[string]int{"d": 1},
			counts: map[string]int{"a": 3 + 2, "b": 2 + 3 + 3, "c": 1, "d": 3},
			first:  map[string]int{"a": 1, "b": 2, "c": 0, "d": 1},
		},
		{
			name:   "dots add up",
			spec:   mustSpec(t, Dots, []string{"a", "b", "c"}, nil, ptr(5)),
			votes:  []string{`{"a":5}`, `{"a":1,"b":4}`, `{"c":2}`},
			hand:   map[string]int{"c": 10},
			counts: map[string]int{"a": 6, "b": 4, "c": 12},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tl Tally
			for _, v := range tc.votes {
				tl.Add(tc.spec, parse(t, tc.spec, v))
			}
			if tc.hand != nil {
				if err := tc.spec.CheckHand(tc.hand); err != nil {
					t.Fatal(err)
				}
				tl.SetHand(tc.hand)
			}
			if tl.Voters != len(tc.votes) {
				t.Errorf("voters %d, want %d (hand counts are not voters)", tl.Voters, len(tc.votes))
			}
			if got := tl.Counts(tc.spec); !maps.Equal(got, tc.counts) {
				t.Errorf("counts %v, want %v", got, tc.counts)
			}
			if got := tl.FirstCounts(tc.spec); !maps.Equal(got, tc.first) {
				t.Errorf("first %v, want %v", got, tc.first)
			}
			back, err := Decode(tl.Encode())
			if err != nil || !Equal(back, tl) {
				t.Errorf("tally does not survive storage: %+v vs %+v (%v)", back, tl, err)
			}
		})
	}
}

// Changing a vote is removing the old one and adding the new: the person
// is counted once, for their latest choice.
func TestChangeVote(t *testing.T) {
	s := mustSpec(t, Rank, []string{"a", "b", "c"}, nil, nil)
	var tl Tally
	old := parse(t, s, `["a","b"]`)
	tl.Add(s, old)
	tl.Add(s, parse(t, s, `["c"]`))
	tl.Remove(s, old)
	tl.Add(s, parse(t, s, `["b","c","a"]`))
	var want Tally
	want.Add(s, parse(t, s, `["c"]`))
	want.Add(s, parse(t, s, `["b","c","a"]`))
	if !Equal(tl, want) {
		t.Fatalf("after a change %+v, want %+v", tl, want)
	}
	if tl.Voters != 2 {
		t.Fatalf("voters %d, want 2", tl.Voters)
	}
}

func TestHandCountsReplace(t *testing.T) {
	s := mustSpec(t, Agree, nil, nil, nil)
	var tl Tally
	tl.SetHand(map[string]int{"agree": 3, "disagree": 1})
	tl.SetHand(map[string]int{"agree": 5})
	tl.SetHand(map[string]int{"disagree": 0})
	if got := tl.HandCounts(s); !maps.Equal(got, map[string]int{"agree": 5, "disagree": 0, "unsure": 0}) {
		t.Fatalf("hand counts %v", got)
	}
	for _, bad := range []map[string]int{{}, {"maybe": 1}, {"agree": -1}, {"agree": MaxHandCount + 1}} {
		if err := s.CheckHand(bad); err == nil {
			t.Errorf("CheckHand(%v) accepted", bad)
		}
	}
}

func TestPeople(t *testing.T) {
	pick := mustSpec(t, Pick, []string{"Food pantry", "Mail service"}, nil, nil)
	rank := mustSpec(t, Rank, []string{"a", "b", "c"}, ptr(2), nil)
	dots := mustSpec(t, Dots, []string{"a", "b"}, nil, ptr(3))
	for _, tc := range []struct {
		name string
		spec Spec
		vote Choice
		want int
	}{
		// Three phones and four raised hands are seven people.
		{"pick", pick, Choice{Option: "Food pantry"}, 7},
		// A counted hand in a rank round is one person's first choice.
		{"rank", rank, Choice{Ranked: []string{"a", "b"}}, 7},
		// In a dots round a hand count is a dot: only the phones are people.
		{"dots", dots, Choice{Dots: map[string]int{"a": 2}}, 3},
	} {
		var tl Tally
		for range 3 {
			tl.Add(tc.spec, tc.vote)
		}
		tl.SetHand(map[string]int{tc.spec.Options[0]: 1, tc.spec.Options[1]: 3})
		if got := tl.People(tc.spec); got != tc.want {
			t.Errorf("%s: People = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	specs := []Spec{
		{Kind: Agree, Options: AgreeOptions},
		{Kind: Pick, Options: []string{"a", "b"}},
		{Kind: Rank, Options: []string{"a", "b", "c"}, MaxRank: 2},
		{Kind: Dots, Options: []string{"a", "b"}, Dots: 3},
	}
	for _, seed := range []string{`"agree"`, `["a","b"]`, `{"a":2}`, `{"a":1e9}`, `[`, `null`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, s := range specs {
			c, err := s.Parse(json.RawMessage(raw))
			if err != nil {
				continue
			}
			var tl Tally
			tl.Add(s, c)
			tl.Remove(s, c)
			if !Equal(tl, Tally{}) {
				t.Fatalf("%s %q: add then remove leaves %+v", s.Kind, raw, tl)
			}
			if _, err := s.Parse(c.JSON()); err != nil {
				t.Fatalf("%s %q: canonical form refused: %v", s.Kind, raw, err)
			}
		}
	})
}
