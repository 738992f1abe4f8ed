package privacy

import (
	"strings"
	"unicode"
)

// foldTable maps the precomposed Latin letters participants type on a
// Spanish or English keyboard to their base letter. A hand table is enough
// here: these are the letters that matter for matching words, and Scrub has
// already mapped compatibility forms (fullwidth letters) to plain ones.
// Decomposed input (a letter followed by a combining accent) is handled by
// dropping the combining mark in fold.
var foldTable = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a', 'ā': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o', 'ō': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u',
	'ñ': 'n', 'ç': 'c', 'ý': 'y', 'ÿ': 'y',
}

// fold lower-cases s and strips accents, so "Sobredósis" and "sobredosis"
// compare equal. Invalid UTF-8 bytes become U+FFFD, which is not a letter
// and therefore only ever acts as a word separator.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		// Upper then lower, so that letters with two lower-case forms
		// (ſ and s, ς and σ, ı and i) compare equal whatever the case.
		r = unicode.ToLower(unicode.ToUpper(r))
		if base, ok := foldTable[r]; ok {
			r = base
		}
		b.WriteRune(r)
	}
	return b.String()
}

// words splits already folded text into its runs of letters and digits.
// Everything else — spaces, newlines, hyphens, punctuation, emoji — only
// separates words, which is why "bad-batch" and "bad\n\n batch" both read
// as the two words of "bad batch".
func words(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
