package privacy

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds mix identifiers with the sentences around them, so the fuzzer
// starts from the shapes Scrub cares about.
var fuzzSeeds = []string{
	"call 555-123-4567 or (555) 123-4567 or +1 555 123 4567",
	"mail juan.perez@gmail.com, SSN 123-45-6789, card 4111 1111 1111 1111",
	"I live at 12 E 3rd St Apt 4B; PO Box 9; Calle Luna 45; Avenida Juárez #1200",
	"born 12/25/1990 or March 3, 2026 or 25 de noviembre de 2026 or 3/15",
	"at 9 pm I need 3 boxes, $20, I'm 34, in March, 3 boxes on the way, 8/10",
	"estuve en la calle por 5 años; sobredósis; bad\n\nbatches 💉",
	"\xff\xfe555-123-4567\xc3",
	"a@b.co5551234567x",
	"maria at gmail dot com, juan (at) chorus [dot] org, @maria_l, $MariaL, $20",
	"five five five one two three four, 5 5 5 1 2 3 4, cinco cinco cinco uno dos tres cuatro",
	"Officer Smith, Dr. Ana Ruiz, my name is maria lopez, me llamo Juan, Hope House, Will Medicaid",
	"555\u2011123\uFF0D4567 ５５５ ٥٥٥١٢٣٤٥٦٧ 123-45\u200B-6789 \u202E7654-321-555\u202C \u00AD ﷺ ½ 👩\u200D⚕️",
}

const maxFuzzLen = 1 << 14

func FuzzScrub(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		// The API accepts 1,000 characters; megabyte inputs only slow the
		// fuzzer down, and TestScrubLongText covers long texts.
		if len(in) > maxFuzzLen {
			t.Skip()
		}
		out, n := Scrub(in)
		normal := normalize(in)
		if utf8.RuneCountInString(normal) > utf8.RuneCountInString(in) {
			t.Fatalf("normalize(%q) = %q: longer than its input", in, normal)
		}
		// Scrub stores the normalized text: without a removal, that is all
		// it changes.
		if n < 0 || (n == 0) != (out == normal) {
			t.Fatalf("Scrub(%q) = %q, %d: count disagrees with the change", in, out, n)
		}
		if again, m := Scrub(out); m != 0 || again != out {
			t.Fatalf("Scrub not idempotent:\n in    %q\n once  %q\n twice %q (%d more)", in, out, again, m)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("Scrub(%q) = %q: valid UTF-8 became invalid", in, out)
		}
		if in, out := utf8.RuneCountInString(in), utf8.RuneCountInString(out); out > in*len(Removed) {
			t.Fatalf("Scrub grew %d characters into %d: more than MaxScrubbed allows", in, out)
		}
		if strings.Count(out, Removed) < n {
			t.Fatalf("Scrub(%q) = %q: reports %d removals", in, out, n)
		}
	})
}

func FuzzContainsAny(f *testing.F) {
	f.Add("Bad\n batches of Fentanyl, sobredósis", "bad batch")
	f.Add("overdosing", "overdose")
	f.Add("\xff od", "od")
	f.Fuzz(func(t *testing.T, text, word string) {
		list := []string{word, "overdose", "mala mezcla"}
		got := ContainsAny(text, list)
		seen := map[string]bool{}
		for _, w := range got {
			if seen[w] || !slices.Contains(list, w) {
				t.Fatalf("ContainsAny(%q, %q) = %q: not each of the words at most once", text, list, got)
			}
			seen[w] = true
		}
		if len(wordsOf(word)) == 0 {
			return
		}
		// A word is always found in a text that spells it out, whatever the
		// ASCII case and the words around it.
		around := "x. " + upperASCII(word) + "\n¡y!"
		if got := ContainsAny(around, []string{word}); len(got) != 1 {
			t.Fatalf("ContainsAny(%q, [%q]) = %q, want the word", around, word, got)
		}
	})
}

func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// TestScrubSoupIdempotent complements FuzzScrub, whose byte-level mutations
// rarely assemble a phone number next to a month name: it glues the pieces
// identifiers are made of in random orders and checks that a second Scrub
// never finds anything the first one left.
func TestScrubSoupIdempotent(t *testing.T) {
	pieces := []string{"1", "12", "123", "555", "4567", "2026", "45", "6789", "0", "9",
		"-", ".", "/", " ", " ", "  ", "(", ")", "+", "@", "$", ",", "#", "º", "'", "\t", "\n", "_", "é", "a", "x",
		"co", "St", "Main", "Ave", "Apt", "4B", "Calle", "Luna", "de", "la", "March", "mayo", "Nov", "the", "of",
		"th", "rd", "on", "way", "PO", "Box", "P.O.", "años", "people", "por", Removed, "\xff", "juan", "1-", "Av",
		"N.", "E", "3rd", "del",
		"at", " at ", "dot", " dot ", "(at)", "[dot]", "arroba", "punto", "gmail", "com", "org", "five", "one", "oh", "cinco",
		"Maria", "Lopez", "maria", "Hope", "House", "Officer", "Dr.", "Sra.", "my name is ", "me llamo ", "I'm ", "'s", "-",
		"@maria", "$Maria", "$20", "\u200B", "\u200D", "\u00AD", "\u202E", "\u2011", "５", "٥", "＠", "👩", "\uFE0F", "\u20E3"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 50000 {
		var b strings.Builder
		for range 1 + r.IntN(10) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		in := b.String()
		out, _ := Scrub(in)
		if again, m := Scrub(out); m != 0 {
			t.Fatalf("Scrub not idempotent:\n in    %q\n once  %q\n twice %q", in, out, again)
		}
	}
}
