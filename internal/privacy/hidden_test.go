package privacy

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// scrubCase is one row of the tables below.
type scrubCase struct {
	name    string
	in      string
	want    string
	removed int
}

func runScrubCases(t *testing.T, tests []scrubCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := Scrub(tt.in)
			if got != tt.want || n != tt.removed {
				t.Errorf("Scrub(%q)\n got  %q, %d\n want %q, %d", tt.in, got, n, tt.want, tt.removed)
			}
			if again, m := Scrub(got); again != got || m != 0 {
				t.Errorf("Scrub is not idempotent on %q: %q, %d", got, again, m)
			}
		})
	}
}

// TestScrubHiddenCharacters: identifiers that look ordinary on screen but
// hide from a pattern that reads bytes (issue 12).
func TestScrubHiddenCharacters(t *testing.T) {
	runScrubCases(t, []scrubCase{
		{"non-breaking hyphens", "call 555\u2011123\u20114567", "call " + R, 1},
		{"fullwidth hyphens", "call 555\uFF0D123\uFF0D4567", "call " + R, 1},
		{"en dashes", "call 555–123–4567 ok", "call " + R + " ok", 1},
		{"fullwidth digits", "call ５５５-１２３-４５６７", "call " + R, 1},
		{"arabic-indic digits", "call ٥٥٥-١٢٣-٤٥٦٧", "call " + R, 1},
		{"extended arabic-indic digits", "call ۵۵۵۱۲۳۴۵۶۷", "call " + R, 1},
		{"devanagari digits", "call ५५५-१२३-४५६७", "call " + R, 1},
		{"soft hyphens", "call 555\u00AD123\u00AD4567", "call " + R, 1},
		{"bidi override shows it forwards", "call \u202E7654-321-555\u202C now", "call " + R + " now", 1},
		{"bidi isolate", "call \u2067555-123-4567\u2069", "call " + R, 1},
		{"zero-width space in ssn", "ssn 123-45\u200B-6789", "ssn " + R, 1},
		{"zero-width joiner in ssn", "ssn 123\u200D45\u200D6789", "ssn " + R, 1},
		{"word joiner in phone", "5551\u20602345\u206067", R, 1},
		{"byte-order mark in phone", "\uFEFF555-123-4567", R, 1},
		{"zero-width space in email", "maria\u200B.lopez@gmail\u200B.com", R, 1},
		{"zero-width non-joiner in email", "maria@gm\u200Cail.com", R, 1},
		{"fullwidth at and dot", "maria＠gmail．com", R, 1},
		{"fullwidth email", "ｍａｒｉａ＠ｇｍａｉｌ．ｃｏｍ", R, 1},
		{"no-break space in phone", "555\u00A0123\u00A04567", R, 1},
		{"keycap digits", "5️⃣5️⃣5️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣", R, 1},

		// What normalizing does to text that holds no identifier.
		{"fullwidth words become ascii", "ｔｈａｎｋｓ", "thanks", 0},
		{"invisible characters go", "thank\u200Bs\u00AD \u202Eyou", "thanks you", 0},
		{"emoji zwj sequences stay", "👩\u200D⚕️ and 👨\u200D👩\u200D👧 🏳️\u200D🌈", "👩\u200D⚕️ and 👨\u200D👩\u200D👧 🏳️\u200D🌈", 0},
		{"long forms stay", "½ gram… ™ ﷺ", "½ gram… ™ ﷺ", 0},
		{"ordinals stay", "el 1º y la 2ª vez", "el 1º y la 2ª vez", 0},
		{"em dash stays", "good — really", "good — really", 0},
		{"en dash becomes a hyphen", "10–15 minutes", "10-15 minutes", 0},
	})
}

func TestNormalize(t *testing.T) {
	for _, in := range []string{
		"plain ascii", "cafe\u0301", "ﬁ ½ ㈠ ⑴ ℡", "\xc3\u200B\xa9", "\xef\xbc\u200B\x95", "\u200D👩", "👩\u200D\u200D⚕",
		"5\uFE0F\u20E3", "٣\u0301", "\u0345\u0344",
	} {
		once := normalize(in)
		if twice := normalize(once); twice != once {
			t.Errorf("normalize(%q) = %q, then %q", in, once, twice)
		}
		if utf8.RuneCountInString(once) > utf8.RuneCountInString(in) {
			t.Errorf("normalize(%q) = %q: longer", in, once)
		}
		if utf8.ValidString(in) != utf8.ValidString(once) {
			t.Errorf("normalize(%q) = %q: validity changed", in, once)
		}
	}
}

// TestDigitRangesHoldWholeSets checks what digitValue assumes of Unicode:
// decimal digits come in runs of ten from 0 to 9.
func TestDigitRangesHoldWholeSets(t *testing.T) {
	check := func(lo, hi, stride uint32) {
		if stride != 1 || (hi-lo+1)%10 != 0 {
			t.Errorf("unicode.Nd range %U-%U (stride %d) is not whole sets of ten", lo, hi, stride)
		}
	}
	for _, r := range unicode.Nd.R16 {
		check(uint32(r.Lo), uint32(r.Hi), uint32(r.Stride))
	}
	for _, r := range unicode.Nd.R32 {
		check(r.Lo, r.Hi, r.Stride)
	}
	for _, zero := range []rune{'0', '٠', '۰', '०', '０', '𝟎'} {
		for d := range rune(10) {
			if got := normalRune(zero + d); got != '0'+d {
				t.Errorf("normalRune(%U) = %q, want %q", zero+d, got, '0'+d)
			}
		}
	}
}

// TestScrubSpelledOut: addresses and numbers written out in words or with
// spaces (issue 12).
func TestScrubSpelledOut(t *testing.T) {
	runScrubCases(t, []scrubCase{
		{"email at dot", "write maria at gmail dot com please", "write " + R + " please", 1},
		{"email parens", "maria (at) gmail (dot) com", R, 1},
		{"email brackets", "maria.lopez[at]chorus[dot]org", R, 1},
		{"email spaced symbols", "maria @ gmail . com", R, 1},
		{"email at only", "maria @ gmail.com", R, 1},
		{"email spelled dot", "maria@gmail dot com", R, 1},
		{"email provider only", "my email is maria_l at gmail", "my email is " + R, 1},
		{"email arroba punto", "mi correo es maria arroba hotmail punto com punto mx", "mi correo es " + R, 1},
		{"email any domain spelled", "juan at chorus dot org", R, 1},
		{"email caps", "MARIA AT YAHOO DOT COM", R, 1},
		{"phone spaced", "5 5 5 1 2 3 4 5 6 7", R, 1},
		{"phone spaced dashes", "call 5-5-5-1-2-3-4", "call " + R, 1},
		{"phone pairs", "mi cel 55 12 34 56 78", "mi cel " + R, 1},
		{"phone spelled", "five five five one two three four five six seven", R, 1},
		{"phone spelled oh", "call five five five, oh one two three", "call " + R, 1},
		{"phone spelled es", "mi número es cinco cinco cinco uno dos tres cuatro cinco seis siete", "mi número es " + R, 1},
		{"phone mixed", "555 one two three four", R, 1},
		{"phone spelled hyphens", "five-five-five-one-two-three-four", R, 1},
		{"ssn spelled", "my social is one two three four five six seven eight nine", "my social is " + R, 1},
		{"handle", "follow @maria_l on insta", "follow " + R + " on insta", 1},
		{"handle dots", "dm @maria.lopez.", "dm " + R + ".", 1},
		{"handle hyphen", "my Venmo is @Tasha-Lee", "my Venmo is " + R, 1},
		{"cashtag", "send it to $MariaL", "send it to " + R, 1},
		{"cashtag and money", "I sent $20 to $juan_p", "I sent $20 to " + R, 1},

		// What must stay.
		{"at a website", "I applied at indeed.com", "I applied at indeed.com", 0},
		{"at a place", "I was at the clinic. Dot was there", "I was at the clinic. Dot was there", 0},
		{"at time", "meet @ 9pm or @9pm", "meet @ 9pm or @9pm", 0},
		{"at alone", "@ the park, @home", "@ the park, @home", 0},
		{"address remnant", "juan@home", "juan@home", 0},
		{"money", "$20, $ 5 and $1.000.000", "$20, $ 5 and $1.000.000", 0},
		{"thousands", "1.000.000 de pesos, 1,250,000 dollars", "1.000.000 de pesos, 1,250,000 dollars", 0},
		{"year range", "from 2010-2015 and 2019, 2020, 2021", "from 2010-2015 and 2019, 2020, 2021", 0},
		{"few spelled", "one or two, maybe three", "one or two, maybe three", 0},
		{"counting short", "1 2 3 4 5 6", "1 2 3 4 5 6", 0},
		{"times", "9.30 or 10.30", "9.30 or 10.30", 0},
		{"scores", "8 9 10 out of 10", "8 9 10 out of 10", 0},
	})
}

// TestScrubBound: whatever a participant may send, what Scrub makes of it
// fits in storage (MaxScrubbed, migrations 00009), however much NFKC would
// expand it or however many short identifiers it holds.
func TestScrubBound(t *testing.T) {
	for _, piece := range []string{"ﷺ", "\uFDFA ", "㍻", "⑴", "½", "@a ", "$a ", "Dr. Al ", "Al Lee ", "a@b.co ", "1 2 3 4 5 6 7 ",
		"\u200B5", "５", "my name is al ", "oh oh oh oh oh oh oh "} {
		in := []rune(strings.Repeat(piece, MaxText))[:MaxText]
		out, _ := Scrub(string(in))
		if n := utf8.RuneCountInString(out); n > MaxScrubbed {
			t.Errorf("%d characters of %q scrubbed to %d, more than MaxScrubbed (%d)", MaxText, piece, n, MaxScrubbed)
		}
	}
}
