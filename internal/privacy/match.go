package privacy

import "strings"

// ContainsAny reports which of words occur in text, in the order they are
// given and each at most once; nil when none does. It is meant for
// configurable urgent words ("bad batch", "overdose", "xylazine",
// "sobredosis", "mala mezcla") that should alert staff.
//
// The rules, chosen so that a word is not missed for how it was typed:
//   - Case and accents are ignored: "Sobredósis" matches "sobredosis".
//   - A text is a sequence of words: runs of letters and digits. Anything
//     else between them — spaces, line breaks, hyphens, punctuation — only
//     separates, so "bad\n\n  batch" and "bad-batch" match "bad batch".
//   - Each word of a phrase must match a whole word of the text, the
//     phrase's words consecutive and in order. "dose" does not match
//     "overdose", and "od" does not match "odd".
//   - A text word also matches when it is the phrase word, or the phrase
//     word without its final a, e or o, followed by a common English or
//     Spanish inflection: s, es, d, ed, ing, a, as, o, os, ado, ada, ados,
//     adas, ido, ida, idos, idas, ando, iendo. So "overdose" matches
//     "overdosed", "overdoses" and "overdosing"; "bad batch" matches "bad
//     batches"; "mala mezcla" matches "malas mezclas" and "malo mezclado".
//     Stems shorter than three letters only take a plural "s" ("ODs"), so
//     short words don't match unrelated ones. Consonant doubling
//     ("stopped") and irregular forms are not recognised: list them.
//
// Words that contain no letter or digit are ignored.
func ContainsAny(text string, words []string) []string {
	tokens := wordsOf(text)
	var found []string
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] {
			continue
		}
		phrase := wordsOf(w)
		if len(phrase) > 0 && containsPhrase(tokens, phrase) {
			seen[w] = true
			found = append(found, w)
		}
	}
	return found
}

func wordsOf(s string) []string { return words(fold(s)) }

func containsPhrase(tokens, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(tokens); i++ {
		if matchesAt(tokens[i:], phrase) {
			return true
		}
	}
	return false
}

func matchesAt(tokens, phrase []string) bool {
	for j, p := range phrase {
		if !inflects(tokens[j], p) {
			return false
		}
	}
	return true
}

// inflections are the endings a word may take and still be the same word.
var inflections = setOf(`s es d ed ing a as o os ado ada ados adas ido ida idos idas ando iendo`)

// minStem is the shortest stem that takes any inflection but a plural s.
const minStem = 3

// inflects reports whether token is word or an inflection of it.
func inflects(token, word string) bool {
	if token == word || token == word+"s" {
		return true
	}
	stems := []string{word}
	if strings.ContainsAny(word[len(word)-1:], "aeo") {
		stems = append(stems, word[:len(word)-1])
	}
	for _, stem := range stems {
		if len(stem) >= minStem && strings.HasPrefix(token, stem) && inflections[token[len(stem):]] {
			return true
		}
	}
	return false
}
