package sms

import "testing"

// FuzzNumbers: whatever a person texts, reading it never panics, and what
// it accepts is numbers within the list.
func FuzzNumbers(f *testing.F) {
	for _, seed := range []string{"2 5 7", "1, 3 and 10", "3 y 1", "99", "", "٣", "1\x002", "2-2-3", "9999999999999999999999"} {
		f.Add(seed, 17)
	}
	f.Fuzz(func(t *testing.T, body string, max int) {
		if max < 1 || max > 100 {
			return
		}
		numbers, ok := Numbers(body, max)
		if ok != (len(numbers) > 0) {
			t.Fatalf("Numbers(%q) = %v, %v", body, numbers, ok)
		}
		for _, n := range numbers {
			if n < 1 || n > max {
				t.Fatalf("Numbers(%q, %d) gave %d", body, max, n)
			}
		}
		for _, n := range Distinct(numbers) {
			if n < 1 || n > max {
				t.Fatalf("Distinct gave %d", n)
			}
		}
		if lang := Language(body); lang != "en" && lang != "es" {
			t.Fatalf("Language(%q) = %q", body, lang)
		}
	})
}
