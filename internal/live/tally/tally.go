// Package tally is the arithmetic of live-session rounds: what a valid
// vote looks like for each kind of round, and how votes and hand counts add
// up. It is pure: no storage, no clock, no network.
//
// Per kind, Counts gives one number per option:
//   - agree, scale, pick: how many people chose the option;
//   - rank: Borda points — on a ballot ordering up to N options (N is the
//     round's max_rank), the first gets N points, the second N-1, and so on;
//     FirstCounts also gives how many ballots put each option first;
//   - dots: how many dots people put on the option;
//   - comment: no options and no counts; Voters is how many comments came
//     in (their text is moderated text, never a tally).
//
// Hand counts entered by the facilitator join these numbers: a counted hand
// is one person (agree, scale, pick), one first choice worth N points
// (rank), or one dot (dots).
package tally

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Round kinds.
const (
	Agree = "agree"
	Scale = "scale"
	Pick  = "pick"
	Rank  = "rank"
	Dots  = "dots"
	// Comment rounds take a short free-text answer instead of a vote
	// (api's comment message); their tally counts the comments only.
	Comment = "comment"
)

// Limits on what a facilitator may define.
const (
	MaxOptions      = 20
	MaxOptionLength = 200
	MaxDots         = 100
	MaxHandCount    = 100000
	defaultMaxRank  = 3
	defaultDots     = 5
)

// Fixed options of the kinds that have them.
var (
	AgreeOptions = []string{"agree", "disagree", "unsure"}
	ScaleOptions = []string{"1", "2", "3", "4", "5"}
)

// FieldError is a round definition or hand count that is not acceptable,
// naming the request field at fault.
type FieldError struct{ Field, Reason string }

func (e *FieldError) Error() string { return e.Field + " " + e.Reason }

func fieldError(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Spec is what a round asks: its kind, its options and, for rank and dots,
// how many options a ballot orders and how many dots each person has.
type Spec struct {
	Kind    string
	Options []string
	MaxRank int
	Dots    int
}

// NewSpec checks a round's definition and fills in what the kind fixes:
// agree and scale have their own options (any given are refused), rank
// defaults to ordering the top 3, dots to 5 dots each.
func NewSpec(kind string, options []string, maxRank, dots *int) (Spec, error) {
	s := Spec{Kind: kind}
	switch kind {
	case Agree, Scale:
		if len(options) > 0 {
			return Spec{}, fieldError("options", "must be left out: %s rounds have fixed options", kind)
		}
		s.Options = FixedOptions(kind)
	case Pick, Rank, Dots:
		opts, err := checkOptions(options)
		if err != nil {
			return Spec{}, err
		}
		s.Options = opts
	case Comment:
		if len(options) > 0 {
			return Spec{}, fieldError("options", "must be left out: comment rounds take free text")
		}
		s.Options = []string{}
	default:
		return Spec{}, fieldError("kind", "must be one of: agree, scale, pick, rank, dots, comment")
	}
	if maxRank != nil && kind != Rank {
		return Spec{}, fieldError("max_rank", "applies to rank rounds only")
	}
	if dots != nil && kind != Dots {
		return Spec{}, fieldError("dots", "applies to dots rounds only")
	}
	switch kind {
	case Rank:
		s.MaxRank = min(defaultMaxRank, len(s.Options))
		if maxRank != nil {
			if *maxRank < 1 || *maxRank > len(s.Options) {
				return Spec{}, fieldError("max_rank", "must be between 1 and the number of options (%d)", len(s.Options))
			}
			s.MaxRank = *maxRank
		}
	case Dots:
		s.Dots = defaultDots
		if dots != nil {
			if *dots < 1 || *dots > MaxDots {
				return Spec{}, fieldError("dots", "must be between 1 and %d", MaxDots)
			}
			s.Dots = *dots
		}
	}
	return s, nil
}

// FixedOptions returns the options of agree and scale rounds, nil for others.
func FixedOptions(kind string) []string {
	switch kind {
	case Agree:
		return slices.Clone(AgreeOptions)
	case Scale:
		return slices.Clone(ScaleOptions)
	}
	return nil
}

func checkOptions(options []string) ([]string, error) {
	if len(options) < 2 || len(options) > MaxOptions {
		return nil, fieldError("options", "must list 2 to %d options", MaxOptions)
	}
	out := make([]string, 0, len(options))
	for i, o := range options {
		o = strings.TrimSpace(o)
		switch {
		case o == "" || utf8.RuneCountInString(o) > MaxOptionLength || !utf8.ValidString(o):
			return nil, fieldError(fmt.Sprintf("options[%d]", i), "must be 1 to %d characters", MaxOptionLength)
		case slices.Contains(out, o):
			return nil, fieldError(fmt.Sprintf("options[%d]", i), "repeats another option")
		}
		out = append(out, o)
	}
	return out, nil
}

func (s Spec) has(option string) bool { return slices.Contains(s.Options, option) }

// Choice is one person's vote in canonical form: Option for agree, scale
// and pick; Ranked (best first) for rank; Dots (only options with at least
// one dot) for dots.
type Choice struct {
	Option string
	Ranked []string
	Dots   map[string]int
}

// ErrChoice is wrapped by every reason Parse refuses a vote.
var ErrChoice = errors.New("invalid choice")

func choiceError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrChoice, fmt.Sprintf(format, args...))
}

// Parse checks a vote's choice against the round: a string for agree
// ("agree", "disagree", "unsure"), scale ("1" to "5") and pick (one
// option); a list of distinct options, best first, at most MaxRank long,
// for rank; an object of option → whole number of dots, at least one and
// at most Dots in all, for dots.
func (s Spec) Parse(raw json.RawMessage) (Choice, error) {
	switch s.Kind {
	case Agree, Scale, Pick:
		o, ok := plainString(raw)
		if !ok && json.Unmarshal(raw, &o) != nil {
			return Choice{}, choiceError("want one option as a string")
		}
		if !s.has(o) {
			return Choice{}, choiceError("%q is not an option of this round", o)
		}
		return Choice{Option: o}, nil
	case Rank:
		var ranked []string
		if err := json.Unmarshal(raw, &ranked); err != nil || len(ranked) == 0 {
			return Choice{}, choiceError("want a list of options, best first")
		}
		if len(ranked) > s.MaxRank {
			return Choice{}, choiceError("rank at most %d options", s.MaxRank)
		}
		for i, o := range ranked {
			if !s.has(o) {
				return Choice{}, choiceError("%q is not an option of this round", o)
			}
			if slices.Contains(ranked[:i], o) {
				return Choice{}, choiceError("%q is ranked twice", o)
			}
		}
		return Choice{Ranked: ranked}, nil
	case Dots:
		var dots map[string]int
		if err := json.Unmarshal(raw, &dots); err != nil || dots == nil {
			return Choice{}, choiceError("want an object of option to number of dots")
		}
		total := 0
		for o, n := range dots {
			if !s.has(o) {
				return Choice{}, choiceError("%q is not an option of this round", o)
			}
			if n < 0 || n > s.Dots {
				return Choice{}, choiceError("dots on %q must be between 0 and %d", o, s.Dots)
			}
			if n == 0 {
				delete(dots, o)
			}
			total += n
		}
		if total < 1 || total > s.Dots {
			return Choice{}, choiceError("spread 1 to %d dots", s.Dots)
		}
		return Choice{Dots: dots}, nil
	}
	if s.Kind == Comment {
		return Choice{}, choiceError("a comment round takes a comment, not a vote")
	}
	return Choice{}, choiceError("unknown round kind %q", s.Kind)
}

// plainString is raw's value when raw is a JSON string of valid UTF-8
// without escapes, as nearly every vote's choice is; anything else goes
// through json.Unmarshal, which costs a vote about as much again.
func plainString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	for _, b := range body {
		if b == '"' || b == '\\' || b < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(body) {
		return "", false
	}
	return string(body), true
}

// JSON is the choice's canonical encoding, as stored.
func (c Choice) JSON() []byte {
	var v any = c.Option
	switch {
	case c.Ranked != nil:
		v = c.Ranked
	case c.Dots != nil:
		v = c.Dots
	}
	b, _ := json.Marshal(v) // strings, string lists and string→int maps always encode
	return b
}

// Tally is a round's running sums. Votes holds what devices sent (counts,
// Borda points or dots per option), First the first choices of rank
// ballots, Hand the facilitator's counts; options at zero are left out.
type Tally struct {
	Voters int            `json:"voters"`
	Votes  map[string]int `json:"votes,omitempty"`
	First  map[string]int `json:"first,omitempty"`
	Hand   map[string]int `json:"hand,omitempty"`
}

// Add counts a participant's vote; replacing is Remove of the old, Add of
// the new, and Voters counts people with a vote.
func (t *Tally) Add(s Spec, c Choice) {
	t.Voters++
	t.apply(s, c, 1)
}

// AddComment counts one more comment in a comment round.
func (t *Tally) AddComment() { t.Voters++ }

// Remove takes back a vote counted with Add.
func (t *Tally) Remove(s Spec, c Choice) {
	t.Voters--
	t.apply(s, c, -1)
}

func (t *Tally) apply(s Spec, c Choice, sign int) {
	switch s.Kind {
	case Agree, Scale, Pick:
		bump(&t.Votes, c.Option, sign)
	case Rank:
		for i, o := range c.Ranked {
			bump(&t.Votes, o, sign*(s.MaxRank-i))
		}
		if len(c.Ranked) > 0 {
			bump(&t.First, c.Ranked[0], sign)
		}
	case Dots:
		for o, n := range c.Dots {
			bump(&t.Votes, o, sign*n)
		}
	}
}

func bump(m *map[string]int, key string, by int) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[key] += by
	if (*m)[key] == 0 {
		delete(*m, key)
	}
}

// CheckHand refuses hand counts for unknown options or out of range.
func (s Spec) CheckHand(counts map[string]int) error {
	if s.Kind == Comment {
		return fieldError("counts", "do not apply to comment rounds")
	}
	if len(counts) == 0 {
		return fieldError("counts", "must give at least one option")
	}
	for o, n := range counts {
		if !s.has(o) {
			return fieldError("counts."+o, "is not an option of this round")
		}
		if n < 0 || n > MaxHandCount {
			return fieldError("counts."+o, "must be between 0 and %d", MaxHandCount)
		}
	}
	return nil
}

// SetHand replaces the hand counts of the options given; others keep
// theirs. Setting an option to 0 clears it.
func (t *Tally) SetHand(counts map[string]int) {
	for o, n := range counts {
		if t.Hand == nil {
			t.Hand = map[string]int{}
		}
		t.Hand[o] = n
		if n == 0 {
			delete(t.Hand, o)
		}
	}
}

// Counts is every option's number, votes and hand counts together.
func (t Tally) Counts(s Spec) map[string]int {
	out := make(map[string]int, len(s.Options))
	for _, o := range s.Options {
		hand := t.Hand[o]
		if s.Kind == Rank {
			hand *= s.MaxRank
		}
		out[o] = t.Votes[o] + hand
	}
	return out
}

// FirstCounts is, for rank rounds, how many ballots and counted hands put
// each option first; nil for other kinds.
func (t Tally) FirstCounts(s Spec) map[string]int {
	if s.Kind != Rank {
		return nil
	}
	out := make(map[string]int, len(s.Options))
	for _, o := range s.Options {
		out[o] = t.First[o] + t.Hand[o]
	}
	return out
}

// People is how many people the round's results stand for: the device
// voters plus the people counted by hand. In a dots round a hand count is a
// dot, not a person, so only device voters count there.
func (t Tally) People(s Spec) int {
	if s.Kind == Dots {
		return t.Voters
	}
	n := t.Voters
	for _, c := range t.Hand {
		n += c
	}
	return n
}

// HandCounts is every option's hand count, zeros included.
func (t Tally) HandCounts(s Spec) map[string]int {
	out := make(map[string]int, len(s.Options))
	for _, o := range s.Options {
		out[o] = t.Hand[o]
	}
	return out
}

// Equal reports whether two tallies hold the same sums.
func Equal(a, b Tally) bool {
	return a.Voters == b.Voters && maps.Equal(a.Votes, b.Votes) && maps.Equal(a.First, b.First) && maps.Equal(a.Hand, b.Hand)
}

// Decode reads a stored tally; an empty value is an empty tally.
func Decode(b []byte) (Tally, error) {
	var t Tally
	if len(bytes.TrimSpace(b)) == 0 {
		return t, nil
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return Tally{}, fmt.Errorf("decode tally: %w", err)
	}
	return t, nil
}

// Encode writes a tally for storage.
func (t Tally) Encode() []byte {
	b, _ := json.Marshal(t) // ints and string maps always encode
	return b
}
