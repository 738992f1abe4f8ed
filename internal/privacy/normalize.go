package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalize is the text Scrub matches and stores. It exists because a phone
// number pasted from a messaging app, or typed on a keyboard set to another
// script, hides from the patterns without looking any different on screen:
// "555‑123‑4567" with non-breaking hyphens, "５５５" in fullwidth, "٥٥٥" in
// Arabic-Indic digits, an SSN with a zero-width space inside, or a bidi
// override that shows "7654-321-555" as "555-123-4567". It:
//   - drops invisible format characters: zero-width spaces and joiners, word
//     joiners, the byte-order mark, the soft hyphen and the bidi controls (a
//     zero-width joiner between two pictographs stays, so emoji such as 👩‍⚕️
//     keep their meaning);
//   - drops combining marks and variation selectors right after an ASCII
//     digit (keycap emoji, underlined digits);
//   - maps each character to its NFKC form (fullwidth letters, digits, "＠"
//     and "．" become ASCII; the no-break space becomes a space) — but only
//     when that form is one character: "½", "…", "™" and "ﷺ" stay as they
//     were, so normalizing never adds characters and the bound MaxScrubbed
//     holds. The Spanish ordinal signs stay too: "1º" is not "1o";
//   - maps every decimal digit of any script to its ASCII digit and the
//     hyphen-like dashes (‐ ‑ ‒ – −) to "-"; the em dash stays.
//
// Characters are mapped one at a time: a letter followed by a combining
// accent is kept as it was typed, not composed. Invalid UTF-8 bytes are
// kept; an invisible character that separates two of them is kept too, so
// dropping it never joins them into a valid character a second Scrub would
// read differently. normalize(normalize(s)) == normalize(s).
func normalize(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := rune(-1) // the last rune written; utf8.RuneError for an invalid byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(s[i])
			last = utf8.RuneError
			i++
			continue
		}
		next := s[i+size:]
		i += size
		m := normalRune(r)
		if drop(m, last, next) && !(last == utf8.RuneError && startsInvalid(next)) {
			continue
		}
		b.WriteRune(m)
		last = m
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func startsInvalid(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return r == utf8.RuneError && size == 1
}

// normalRune is the one character r stands for; see normalize.
func normalRune(r rune) rune {
	if r < utf8.RuneSelf || r == 'º' || r == 'ª' {
		return r
	}
	if n := norm.NFKC.String(string(r)); utf8.RuneCountInString(n) == 1 {
		r, _ = utf8.DecodeRuneInString(n)
	}
	if d, ok := digitValue(r); ok {
		return '0' + d
	}
	switch r {
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2212':
		return '-'
	}
	return r
}

// digitValue is the value of a decimal digit of any script. Unicode keeps
// every script's digits 0 to 9 in consecutive code points, and unicode.Nd
// lists them in ranges that each hold whole sets of ten
// (TestDigitRangesHoldWholeSets checks both).
func digitValue(r rune) (rune, bool) {
	if r < utf8.RuneSelf || !unicode.IsDigit(r) {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return (r - rune(rg.Lo)) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return (r - rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// drop reports whether normalize leaves m out, given the rune written
// before it and the text after it.
func drop(m, last rune, next string) bool {
	switch {
	case m == '\u200D': // zero-width joiner
		following, _ := utf8.DecodeRuneInString(next)
		return !pictograph(last) || !pictograph(normalRune(following))
	case invisible(m):
		return true
	case '0' <= last && last <= '9':
		return unicode.In(m, unicode.Mn, unicode.Me)
	}
	return false
}

// invisible are the format characters that show nothing yet split a word or
// a number for a pattern. Variation selectors are not among them: they
// follow emoji, and after a digit drop already takes them out.
func invisible(r rune) bool {
	switch {
	case r == '\u00AD', // soft hyphen
		r == '\u034F',                  // combining grapheme joiner
		r == '\u061C',                  // Arabic letter mark
		r == '\u180E',                  // Mongolian vowel separator
		'\u200B' <= r && r <= '\u200F', // zero-width space, non-joiner, joiner; LRM, RLM
		'\u202A' <= r && r <= '\u202E', // bidi embeddings and overrides
		'\u2060' <= r && r <= '\u2064', // word joiner, invisible operators
		'\u2066' <= r && r <= '\u206F', // bidi isolates, deprecated format controls
		r == '\uFEFF':                  // zero-width no-break space, byte-order mark
		return true
	}
	return false
}

// pictograph reports whether r is part of an emoji: a symbol, the emoji
// variation selector or a skin-tone modifier.
func pictograph(r rune) bool {
	return unicode.Is(unicode.So, r) || r == '\uFE0F' || ('\U0001F3FB' <= r && r <= '\U0001F3FF')
}
