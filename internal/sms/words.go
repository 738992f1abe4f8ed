package sms

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Keywords carriers require every program number to honour.
const (
	KeywordStop  = "stop"
	KeywordHelp  = "help"
	KeywordStart = "start"
	KeywordSkip  = "skip"
)

// keywords maps what people type (upper or lower case, with or without
// accents) to a keyword and the language it is in ("" when both).
var keywords = map[string]struct{ keyword, language string }{
	"stop": {KeywordStop, "en"}, "stopall": {KeywordStop, "en"}, "unsubscribe": {KeywordStop, "en"},
	"cancel": {KeywordStop, "en"}, "end": {KeywordStop, "en"}, "quit": {KeywordStop, "en"},
	"alto": {KeywordStop, "es"}, "parar": {KeywordStop, "es"}, "cancelar": {KeywordStop, "es"}, "baja": {KeywordStop, "es"},
	"help": {KeywordHelp, "en"}, "info": {KeywordHelp, ""}, "ayuda": {KeywordHelp, "es"},
	"start": {KeywordStart, "en"}, "unstop": {KeywordStart, "en"}, "yes": {KeywordStart, "en"},
	"comenzar": {KeywordStart, "es"}, "empezar": {KeywordStart, "es"},
	"skip": {KeywordSkip, "en"}, "saltar": {KeywordSkip, "es"}, "pasar": {KeywordSkip, "es"}, "no": {KeywordSkip, ""},
	"0": {KeywordSkip, ""},
}

// Keyword returns the keyword a whole message is, and its language; ""
// when it is not one.
func Keyword(body string) (keyword, language string) {
	k, ok := keywords[fold(body)]
	if !ok {
		return "", ""
	}
	return k.keyword, k.language
}

// spanish holds common Spanish words (folded: lower case, no accents) a
// first message may hold.
var spanish = map[string]bool{
	"hola": true, "buenas": true, "buenos": true, "dias": true, "tardes": true, "noches": true, "gracias": true,
	"si": true, "ayuda": true, "alto": true, "quiero": true, "necesito": true, "necesitamos": true, "espanol": true,
	"por": true, "favor": true, "que": true, "como": true, "para": true, "tengo": true, "ayudar": true,
	"comida": true, "jeringas": true, "vivienda": true, "trabajo": true, "opinion": true, "comenzar": true,
	"empezar": true, "saltar": true, "el": true, "la": true, "los": true, "las": true, "y": true, "es": true,
	"mi": true, "yo": true, "una": true, "uno": true, "de": true, "con": true, "pero": true, "muy": true,
}

// Language picks the conversation's language from its first message: a
// Spanish word makes it Spanish, anything else English.
func Language(body string) string {
	for _, w := range strings.FieldsFunc(fold(body), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if spanish[w] {
			return "es"
		}
	}
	return "en"
}

// fold lowercases, trims and removes accents and trailing punctuation.
func fold(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		sb.WriteRune(r)
	}
	return strings.TrimRight(sb.String(), ".!¡?¿ ")
}

// Numbers reads a reply of numbers ("2 5 7", "2,5,7", "2. 5 and 7"): the
// numbers in order, or ok=false when the reply holds anything else
// beyond separators or a number is outside 1..max.
func Numbers(body string, max int) (numbers []int, ok bool) {
	fields := strings.FieldsFunc(fold(body), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == '.' || r == '-' || r == '/'
	})
	for _, f := range fields {
		if f == "and" || f == "y" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > max {
			return nil, false
		}
		numbers = append(numbers, n)
	}
	return numbers, len(numbers) > 0
}

// Distinct is numbers without repeats, in first-seen order.
func Distinct(numbers []int) []int {
	var out []int
	for _, n := range numbers {
		seen := false
		for _, o := range out {
			seen = seen || o == n
		}
		if !seen {
			out = append(out, n)
		}
	}
	return out
}
