package privacy

import (
	"strings"
	"testing"
)

// R is short for the placeholder so the expected texts stay readable.
const R = Removed

func TestScrub(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		removed int
	}{
		// Phone numbers.
		{"phone dashes", "call me 555-123-4567 pls", "call me " + R + " pls", 1},
		{"phone parens", "(555) 123-4567", R, 1},
		{"phone dots", "555.123.4567!", R + "!", 1},
		{"phone bare es", "mi número es 5551234567", "mi número es " + R, 1},
		{"phone +1", "text +1 555 123 4567 ok", "text " + R + " ok", 1},
		{"phone 1-800 es", "llama al 1-800-273-8255", "llama al " + R, 1},
		{"phone seven digits", "text 123-4567 tonight", "text " + R + " tonight", 1},
		{"phone mexico", "mi cel +52 55 1234 5678 o 55 1234 5678", "mi cel " + R + " o " + R, 2},

		// E-mail addresses.
		{"email", "email: Jane.Doe+kiosk@Example.ORG.", "email: " + R + ".", 1},
		{"email accents es", "mi correo es josé_pérez@correo.com.mx", "mi correo es " + R, 1},

		// Social security and card numbers.
		{"ssn dashes", "SSN 123-45-6789", "SSN " + R, 1},
		{"ssn spaces", "my ss is 123 45 6789.", "my ss is " + R + ".", 1},
		{"ssn bare es", "mi seguro social 123456789", "mi seguro social " + R, 1},
		{"card spaces", "card 4111 1111 1111 1111", "card " + R, 1},
		{"card dashes", "4111-1111-1111-1111 exp", R + " exp", 1},

		// Street addresses.
		{"street", "I stay at 123 Main St near the park", "I stay at " + R + " near the park", 1},
		{"street direction", "4500 N. Broadway Avenue", R, 1},
		{"street unit", "12 E 3rd St Apt 4B, ring twice", R + ", ring twice", 1},
		{"street lowercase", "77 sunset blvd.", R + ".", 1},
		{"po box", "send it to PO Box 123", "send it to " + R, 1},
		{"po box dots", "P.O. Box 9", R, 1},
		{"calle", "vivo en Calle Luna 45, cerca del parque", "vivo en " + R + ", cerca del parque", 1},
		{"avenida", "Avenida Juárez 1200", R, 1},
		{"av abbreviation", "en Av. Juárez #1200 piso 2", "en " + R + " piso 2", 1},
		{"paseo de la", "Paseo de la Reforma 222", R, 1},
		{"camino a", "Camino a Santa Fe 12", R, 1},
		{"apartado postal", "Apartado postal 45", R, 1},

		// Dates, birth dates among them.
		{"date us slashes", "born 12/25/2026", "born " + R, 1},
		{"date short year", "12-25-26", R, 1},
		{"date iso", "on 2026-11-25 at noon", "on " + R + " at noon", 1},
		{"date dots es", "nací el 03.04.1990", "nací el " + R, 1},
		{"month day", "see you March 3", "see you " + R, 1},
		{"day month year", "3 March 2026", R, 1},
		{"abbrev ordinal", "Nov 25th, right?", R + ", right?", 1},
		{"month day year", "DOB March 3rd, 1990.", "DOB " + R + ".", 1},
		{"de noviembre", "el 25 de noviembre", "el " + R, 1},
		{"noviembre day", "noviembre 25", R, 1},
		{"birth es", "nací el 3 de marzo de 1990", "nací el " + R, 1},
		{"primero de mayo", "el 1º de mayo", "el " + R, 1},
		{"month year", "born in March 1990", "born in " + R, 1},
		{"slash no year", "see you 12/25", "see you " + R, 1},
		{"slash no year es", "nos vemos el 25/12", "nos vemos el " + R, 1},

		// What must stay: times, money, counts, ages, months without a day,
		// street names without a number, fractions, ratings, durations.
		{"time", "see you at 9 pm", "see you at 9 pm", 0},
		{"clock", "open at 9:30 or 21:00", "open at 9:30 or 21:00", 0},
		{"time es", "a las 3 de la tarde", "a las 3 de la tarde", 0},
		{"count", "I need 3 boxes", "I need 3 boxes", 0},
		{"money", "$20 for the bus, $1,250.50 rent", "$20 for the bus, $1,250.50 rent", 0},
		{"big money", "I owe $1250000", "I owe $1250000", 0},
		{"age", "I'm 34", "I'm 34", 0},
		{"age es", "tengo 34 años", "tengo 34 años", 0},
		{"lone month", "in March it was better", "in March it was better", 0},
		{"lone month es", "en mayo fue mejor", "en mayo fue mejor", 0},
		{"month then count", "in March 30 people came", "in March 30 people came", 0},
		{"street name alone", "Main is the best, on Main St", "Main is the best, on Main St", 0},
		{"on the way", "3 boxes on the way", "3 boxes on the way", 0},
		{"drive", "a 10 minute drive", "a 10 minute drive", 0},
		{"waited", "we waited 2 hours at the Main St clinic", "we waited 2 hours at the Main St clinic", 0},
		{"rating place", "this is a 5 star place", "this is a 5 star place", 0},
		{"la calle", "estuve en la calle por 5 años", "estuve en la calle por 5 años", 0},
		{"la calle time", "salí a la calle a las 3", "salí a la calle a las 3", 0},
		{"fractions ratings", "1/2 gram, 3/4, 1/16, 8/10 would come back", "1/2 gram, 3/4, 1/16, 8/10 would come back", 0},
		{"range", "10-15 minutes", "10-15 minutes", 0},
		{"placeholder", "already " + R + " here", "already " + R + " here", 0},
		{"empty", "", "", 0},
		{"emoji accents", "¡Gracias! 🙏 café, señor — ñandú", "¡Gracias! 🙏 café, señor — ñandú", 0},

		// Several identifiers, with the text around them kept byte for byte.
		{"mixed en", "Call Ana at (555) 123-4567 or ana@x.org, she lives at 12 Oak Ln since March 3.",
			"Call Ana at " + R + " or " + R + ", she lives at " + R + " since " + R + ".", 4},
		{"mixed es", "Soy María, nací el 25 de noviembre de 1990, mi cel 55 1234 5678 y vivo en Calle Luna 45 🙂",
			"Soy " + R + ", nací el " + R + ", mi cel " + R + " y vivo en " + R + " 🙂", 4},
		{"spacing kept", "  tel:\t 555-123-4567\n\nbye  ", "  tel:\t " + R + "\n\nbye  ", 1},
		{"invalid utf8 passes", "\xff 555-123-4567 \xfe", "\xff " + R + " \xfe", 1},
	}
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

// TestScrubLongText checks that a large paste is handled in one piece:
// every identifier in it is found, however far into the text.
func TestScrubLongText(t *testing.T) {
	line := "Called 555-123-4567 on March 3 from 12 Oak Ln; I'm 34 and need 3 boxes at 9 pm. "
	in := strings.Repeat(line, 5000)
	got, n := Scrub(in)
	if n != 3*5000 {
		t.Fatalf("removed %d, want %d", n, 3*5000)
	}
	want := strings.Repeat("Called "+R+" on "+R+" from "+R+"; I'm 34 and need 3 boxes at 9 pm. ", 5000)
	if got != want {
		t.Fatal("long text scrubbed differently from its lines")
	}
}

func BenchmarkScrub(b *testing.B) {
	in := strings.Repeat("Soy María, nací el 25 de noviembre, vivo en Calle Luna 45; call 555-123-4567 at 9 pm. ", 100)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Scrub(in)
	}
}
