package privacy

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Participants who know an address or number will be scrubbed, and screen
// readers' dictation, write them out: "maria at gmail dot com", "maria
// (at) gmail (dot) com", "cinco cinco cinco uno dos…", "5 5 5 1 2 3 4 5 6
// 7". So do people quoting a friend's @handle or $cashtag.

// spelledEmailRE finds an address with its "@" or a "." written out. The
// plain "word at word.com" is left alone ("I applied at indeed.com"): a
// word "at" counts only before a known mail provider or a domain with a
// spelled-out dot.
var spelledEmailRE = regexp.MustCompile(func() string {
	h := `[ \t]` // the space around the written-out words
	word := func(ws ...string) string { return h + `+` + alt(ws...) + h + `+` }
	wrapped := func(ws ...string) string {
		w := alt(ws...)
		return h + `*` + alt(`\(`+w+`\)`, `\[`+w+`\]`, `\{`+w+`\}`, `<`+w+`>`) + h + `*`
	}
	wordAt := word(`at`, `arroba`)
	// The symbol "@" with space around it, a bracketed "at", or "@"
	// followed by a domain whose dots are written out.
	symAt := alt(h+`*@`+h+`+`, h+`+@`+h+`*`, wrapped(`at`, `arroba`), `@`)
	wordDot := alt(word(`dot`, `punto`), wrapped(`dot`, `punto`))
	anyDot := alt(wordDot, h+`*\.`+h+`*`)
	local := `[\p{L}\p{M}\p{N}._%+-]*[\p{L}\p{M}\p{N}]`
	label := `[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?`
	tld := `(?:com|net|org|edu|gov|info|biz|io|co|us|mx|es|me|ar|cl|pe|ve|uk|ca|app)\b`
	provider := `(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|aol|protonmail|proton|ymail|gmx|prodigy)\b`
	spelledDomain := `(?:` + label + anyDot + `)*` + label + wordDot + `(?:` + label + anyDot + `)*` + tld
	// carlos punto ruiz arroba gmail punto com
	local = local + `(?:` + wordDot + local + `)*`
	return `(?i)` + local + alt(
		// maria @ gmail.com, maria (at) gmail (dot) com, maria@gmail dot com
		symAt+alt(spelledDomain, `(?:`+label+anyDot+`)+`+tld),
		// maria at gmail, maria at gmail dot com, maria arroba gmail punto com
		wordAt+provider+`(?:(?:`+anyDot+label+`)*`+anyDot+tld+`)?`,
		// maria at chorus dot org
		wordAt+spelledDomain,
	)
}())

// spelledEmails finds the matches of spelledEmailRE. Every one holds an
// "@", a written-out "at" in brackets or "arroba", a written-out dot or a
// mail provider's name, so text with none of them (most feedback) skips
// the expression.
func spelledEmails(text string) [][]int {
	lower := strings.ToLower(text)
	for _, s := range spelledEmailHints {
		if strings.Contains(lower, s) {
			return spelledEmailRE.FindAllStringSubmatchIndex(text, -1)
		}
	}
	return nil
}

var spelledEmailHints = []string{"@", "at)", "at]", "at}", "at>", "arroba", "dot", "punto",
	"gmail", "yahoo", "hotmail", "outlook", "icloud", "aol", "proton", "ymail", "gmx", "prodigy"}

// handleRE finds an @handle or a $cashtag: a letter or "_" after the sign,
// so "@ 9pm", "@9pm" and "$20" are not handles. Inside, a handle may hold
// "." (Instagram) and "-" (Venmo). notHandle keeps those glued to a word
// and the common words written as "@home".
var handleRE = regexp.MustCompile(`[@$][\p{L}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?`)

// notHandle keeps "juan@home" (the end of something that is not an address),
// "[removed]@x" (what is left after an address was removed) and the
// everyday words people write after "@" in place of "at".
func notHandle(text string, m []int) bool {
	if before, _ := utf8.DecodeLastRuneInString(text[:m[0]]); m[0] > 0 &&
		(unicode.IsLetter(before) || unicode.IsDigit(before) || unicode.IsMark(before) || strings.ContainsRune("_.@$+-]", before)) {
		return true
	}
	return text[m[0]] == '@' && atWords[fold(text[m[0]+1:m[1]])]
}

// atWords are written after "@" to mean "at": "@home", "@the clinic".
var atWords = setOf(`the a my your his her our home work night noon school church clinic park
	la el los las mi casa trabajo noche`)

// digitWords are the spelled digits of a dictated number. "oh" is the
// English zero in phone numbers.
var digitWords = setOf(`zero oh one two three four five six seven eight nine
	cero uno dos tres cuatro cinco seis siete ocho nueve`)

// minDigits is how many digits, written or spelled, make a number worth
// removing: a local phone number without its area code.
const minDigits = 7

// spacedDigits finds numbers spelled out or written with a separator
// between short groups: "five five five one two three four", "5 5 5 1 2 3 4
// 5 6 7", "55 12 34 56 78", "7654-321-555" (a phone number a bidi override
// showed backwards). A run is removed when it holds at least minDigits
// digits and either a spelled digit or three or more groups. A run of
// groups only is kept when it follows a "$" (money), when it is a number
// written with thousands separators ("1.000.000", "1,250,000") or when a
// group is longer than four digits (the patterns in numberRE decide
// those). Between two groups only one space, "." or "-" may stand, so
// "2019, 2020, 2021" and "10 - 15" stay; around a spelled digit any
// spaces and one ",", "." or "-" may.
func spacedDigits(text string) [][]int {
	var found [][]int
	toks := digitTokens(text)
	for i := 0; i < len(toks); {
		j, digitsIn, spelled := i+1, toks[i].digits, toks[i].spelled
		for j < len(toks) && joined(text, toks[j-1], toks[j]) {
			digitsIn += toks[j].digits
			spelled = spelled || toks[j].spelled
			j++
		}
		if run := toks[i:j]; digitsIn >= minDigits && (spelled || !keepGroups(text, run)) {
			found = append(found, []int{run[0].start, run[len(run)-1].end})
		}
		i = j
	}
	return found
}

type digitToken struct {
	start, end, digits int
	spelled            bool
}

// digitTokens are the whole words of text that are digit groups or spelled
// digits, in order.
func digitTokens(text string) []digitToken {
	var toks []digitToken
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		w := text[start:i]
		switch {
		case isDigits(w):
			toks = append(toks, digitToken{start: start, end: i, digits: len(w)})
		case len(w) <= len("cuatro") && digitWords[fold(w)]:
			toks = append(toks, digitToken{start: start, end: i, digits: 1, spelled: true})
		}
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// joined reports whether two digit tokens belong to one number.
func joined(text string, a, b digitToken) bool {
	gap := text[a.end:b.start]
	if !a.spelled && !b.spelled {
		return len(gap) == 1 && strings.ContainsAny(gap, " .-")
	}
	trimmed := strings.Trim(gap, " \t")
	return trimmed == "" || (len(trimmed) == 1 && strings.Contains(",.-", trimmed))
}

// keepGroups reports whether a run of digit groups is something other than
// a number to remove; see spacedDigits.
func keepGroups(text string, run []digitToken) bool {
	if len(run) < 3 || strings.HasSuffix(strings.TrimRight(text[:run[0].start], " \t"), "$") {
		return true
	}
	sep := text[run[0].end]
	thousands := sep == '.' || sep == ','
	for k, t := range run {
		if t.digits > 4 {
			return true
		}
		if k > 0 && (t.digits != 3 || text[run[k-1].end] != sep) {
			thousands = false
		}
	}
	return thousands
}
