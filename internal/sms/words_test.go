package sms

import (
	"slices"
	"strings"
	"testing"
)

func TestLanguage(t *testing.T) {
	for body, want := range map[string]string{
		"HOLA": "es", "hola!": "es", "Buenas tardes": "es", "Necesito comida": "es", "sí": "es", "¿Qué?": "es",
		"Hi": "en", "hello": "en", "K7MQ3X": "en", "": "en", "2 5 7": "en",
	} {
		if got := Language(body); got != want {
			t.Errorf("Language(%q) = %s, want %s", body, got, want)
		}
	}
}

func TestKeyword(t *testing.T) {
	for body, want := range map[string][2]string{
		"STOP": {KeywordStop, "en"}, " stop. ": {KeywordStop, "en"}, "Alto": {KeywordStop, "es"}, "HELP": {KeywordHelp, "en"},
		"ayuda": {KeywordHelp, "es"}, "START": {KeywordStart, "en"}, "comenzar": {KeywordStart, "es"}, "0": {KeywordSkip, ""},
		"saltar": {KeywordSkip, "es"}, "please stop by": {"", ""}, "1 2": {"", ""},
	} {
		k, l := Keyword(body)
		if k != want[0] || l != want[1] {
			t.Errorf("Keyword(%q) = %q %q, want %q %q", body, k, l, want[0], want[1])
		}
	}
}

func TestNumbers(t *testing.T) {
	for body, want := range map[string][]int{
		"2 5 7": {2, 5, 7}, "2,5,7": {2, 5, 7}, "1, 3 and 10": {1, 3, 10}, "3 y 1": {3, 1}, " 4. ": {4}, "2-2-3": {2, 2, 3},
	} {
		got, ok := Numbers(body, 17)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("Numbers(%q) = %v %v, want %v", body, got, ok, want)
		}
	}
	for _, body := range []string{"", "18", "0", "two", "2 five", "1 0"} {
		if got, ok := Numbers(body, 17); ok {
			t.Errorf("Numbers(%q) = %v, want refused", body, got)
		}
	}
	if got := Distinct([]int{3, 1, 3, 2, 1}); !slices.Equal(got, []int{3, 1, 2}) {
		t.Errorf("Distinct = %v", got)
	}
}

// The texts say the same things in both languages and use no word the
// language guide rules out.
func TestTexts(t *testing.T) {
	en, es := TextsIn("en"), TextsIn("es")
	if TextsIn("fr") != en {
		t.Error("an unknown language is not English")
	}
	pairs := [][2]string{{en.Welcome, es.Welcome}, {en.ThanksCode, es.ThanksCode}, {en.Help, es.Help}, {en.Stopped, es.Stopped},
		{en.Joined, es.Joined}, {en.BadVote, es.BadVote}, {en.Pick, es.Pick}, {en.Rank, es.Rank}, {en.Dots, es.Dots}}
	for _, p := range pairs {
		if strings.Count(p[0], "%") != strings.Count(p[1], "%") {
			t.Errorf("%q and %q take different values", p[0], p[1])
		}
	}
	all := strings.ToLower(strings.Join([]string{en.Welcome, en.Needs, en.Priorities, en.Anything, en.Help, es.Welcome, es.Needs, es.Anything, es.Help}, " "))
	for _, word := range []string{"addict", "junkie", "abuse", "clean", "dirty", "adicto", "limpio", "sucio", "abuso"} {
		if strings.Contains(all, word) {
			t.Errorf("the texts use %q", word)
		}
	}
}
