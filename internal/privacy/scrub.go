// Package privacy holds the pure functions that stand between what a
// participant types and what Chorus stores: scrubbing identifiers out of
// free text and spotting urgent words.
package privacy

import (
	"regexp"
	"strings"
)

// Removed is what Scrub puts in place of every identifier it takes out. It
// starts and ends with a bracket on purpose: no pattern matches a bracket
// except in a written-out "[at]" or "[dot]", and a name is only taken after
// a space, so a second Scrub never mistakes the placeholder for an
// identifier.
const Removed = "[removed]"

// MaxText is the most characters a participant may write in one free-text
// answer.
const MaxText = 1000

// MaxScrubbed is the most characters Scrub can make of MaxText: normalizing
// never adds characters, and every span it removes is at least one
// character and becomes Removed, so a text grows at most len(Removed) times.
// Storage accepts this many, so scrubbing never turns input that was allowed
// into an error (the fuzz test and TestScrubBound check the bound).
const MaxScrubbed = MaxText * len(Removed)

// pass is one scan over the text. Matches for which keep reports true are
// left as they are: regular expressions without look-around cannot say
// "a street, but not '3 boxes on the way'", so the pattern matches broadly
// and keep turns down the false positives.
type pass struct {
	// find returns the spans to replace, in order and not overlapping, as
	// FindAllStringSubmatchIndex does.
	find func(text string) [][]int
	keep func(text string, m []int) bool
	// need lists bytes every match contains; a text without any of them
	// skips the pass ("" runs it always). Most feedback has no digit and
	// no '@', and the regular expressions, though linear, are not cheap.
	need string
}

func byRegexp(re *regexp.Regexp) func(string) [][]int {
	return func(text string) [][]int { return re.FindAllStringSubmatchIndex(text, -1) }
}

// passes run in this order because each one relies on the earlier ones
// having already taken their identifiers out: an e-mail holds digits a phone
// pattern would nibble at and a word a name pass would take, a phone holds
// digits a date pattern might read as a day, and the street pass may
// swallow a short span it then keeps. Names come last, so that "Lopez at
// gmail dot com" and "12 Maria St" go whole, and so that a second Scrub
// finds the text exactly as the name pass left it.
var passes = []pass{
	{find: byRegexp(emailRE), need: "@"},
	{find: spelledEmails},
	{find: byRegexp(handleRE), keep: notHandle, need: "@$"},
	{find: byRegexp(numberRE), keep: isMoney, need: digits},
	{find: spacedDigits},
	{find: byRegexp(dateRE), keep: isCount, need: digits},
	{find: byRegexp(streetRE), keep: notStreet, need: digits},
	{find: names},
}

// Scrub replaces personal identifiers in participant free text with Removed
// and reports how many it replaced. It must run before the text is stored,
// and what it returns is what is stored.
//
// It first normalizes the text (see normalize): invisible characters such
// as zero-width spaces, soft hyphens and bidi controls go; fullwidth and
// other compatibility forms become their plain characters; every script's
// digits become ASCII digits and hyphen-like dashes "-". So "５５５‑１２３‑
// ４５６７", "٥٥٥-١٢٣-٤٥٦٧" or an SSN with a zero-width space inside are read,
// and stored, as plain ASCII.
//
// It then removes, case-insensitively and in English or Spanish text:
//   - e-mail addresses, also written out: "maria at gmail dot com", "maria
//     (at) gmail (dot) com", "maria arroba hotmail punto com", "maria @
//     gmail . com", "maria at gmail";
//   - @handles and $cashtags (@maria_l, @Tasha-Lee, $MariaL), but not "@
//     9pm", "@9pm", "@home" or "$20";
//   - US social security numbers (123-45-6789, 123 45 6789);
//   - phone numbers: US (555-123-4567, (555) 123-4567, 555.123.4567,
//     1-800-555-0199, 123-4567), Mexican 2-4-4 (55 1234 5678) and any
//     "+" international number of 8 to 15 digits;
//   - card-like groups (4111 1111 1111 1111) and every run of 7 or more
//     digits (5551234567, 123456789, 20261125) unless it follows a "$";
//   - numbers of 7 or more digits spelled out or spaced: "five five five one
//     two three four", "cinco cinco cinco uno…", "5 5 5 1 2 3 4", "55 12 34
//     56 78" (but not "1.000.000", "2019, 2020, 2021" or "2010-2015");
//   - dates with a day: 12/25/2026, 12-25-26, 25.12.2026, 2026-11-25,
//     "March 3", "3 March 2026", "Nov 25th", "25 de noviembre",
//     "noviembre 25", and a month with a four-digit year ("March 1990");
//   - street addresses: a house number, one to four name words and a
//     street type ("12 E 3rd St Apt 4B"), a Spanish street type, name
//     words and a number ("Avenida Juárez 1200"), and post-office boxes;
//   - people's names after a cue, leaving the cue: "my name is maria
//     lopez", "me llamo Juan", "I'm Maria", "soy Ana", "Officer Smith",
//     "Dr. Ana Ruiz", "la Sra. Gómez", "my caseworker Tom", "mi hermana
//     Lucía"; and a capitalized first name from data/first_names.txt
//     followed by a capitalized last name ("Maria Lopez", "María de la
//     Cruz"). A first name that is also an everyday word ("Hope", "Faith",
//     "Will", "Esperanza") followed by an everyday word ("Hope House",
//     "Will Medicaid…") is kept.
//
// It leaves times ("at 9 pm", "9:30"), money ("$20"), counts and ages, a
// month without a day ("in March") and a street name without a number.
// Year-less numeric dates are the hard case: "8/10" and "1/2" are far more
// often a rating or a fraction than a date, so a slash pair is removed only
// when it cannot be one of those (12/25, 3/15, 25/12 go; 1/2, 3/4, 8/10,
// 4/5, 1/16, 7/4 stay), and dash pairs ("10-15 minutes") always stay. It
// misses a first name on its own ("Tell Jennifer…"), a name in lower case
// without a cue, and names not on the list after a first name that is an
// everyday word; docs/scrubbing.md has its measured precision and recall.
//
// Every character outside a replaced span is kept as normalize left it,
// including spacing, accents and emoji. Normalizing never adds characters,
// so the output is at most len(Removed) times as long as the input
// (MaxScrubbed). Invalid UTF-8 is passed through unchanged, never
// replaced; a valid input therefore always gives a valid output. Scrub is
// deterministic and idempotent: scrubbing its output removes nothing more.
// It runs in time linear in the length of the text and never panics.
func Scrub(text string) (clean string, removed int) {
	clean = normalize(text)
	for _, p := range passes {
		var n int
		clean, n = p.apply(clean)
		removed += n
	}
	return clean, removed
}

const digits = "0123456789"

func (p pass) apply(text string) (string, int) {
	if p.need != "" && !strings.ContainsAny(text, p.need) {
		return text, 0
	}
	matches := p.find(text)
	if len(matches) == 0 {
		return text, 0
	}
	var b strings.Builder
	b.Grow(len(text))
	last, n := 0, 0
	for _, m := range matches {
		if p.keep != nil && p.keep(text, m) {
			continue
		}
		b.WriteString(text[last:m[0]])
		b.WriteString(Removed)
		last = m[1]
		n++
	}
	b.WriteString(text[last:])
	return b.String(), n
}

// group returns submatch i of m, or "" when it did not take part.
func group(text string, m []int, i int) string {
	if 2*i+1 >= len(m) || m[2*i] < 0 {
		return ""
	}
	return text[m[2*i]:m[2*i+1]]
}

// isCount keeps a month followed by a count ("in March 30 people came").
func isCount(text string, m []int) bool {
	return group(text, m, 1) != ""
}

// isMoney keeps "$1250000": a long run of digits after a dollar sign is an
// amount, not an account or phone number.
func isMoney(text string, m []int) bool {
	return group(text, m, 1) != ""
}
