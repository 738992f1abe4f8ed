package privacy

import (
	"regexp"
	"strings"
)

// The patterns below share a few rules that keep Scrub idempotent and
// linear:
//   - A pattern that starts or ends with an ASCII letter or digit is anchored
//     there with \b, so replacing a neighbouring match with the bracketed
//     placeholder can never create a new word boundary that lets a pattern
//     match on a second run.
//   - No pattern can match the placeholder or a part of it. The only
//     brackets any pattern matches are those of a written-out "[at]" or
//     "[dot]" (spelledEmailRE), and "removed" is no such word.
//   - Only horizontal space separates the parts of a date or an address: a
//     line break usually starts another thought ("in March\n3 of us came").
//
// All of them are RE2 (Go's regexp), which runs in linear time whatever the
// input.

// sp is the space allowed between the words of a date or an address; \x{A0}
// is the no-break space some tablet keyboards insert.
const sp = `[ \t\x{A0}]+`

// alt joins alternatives into one non-capturing group.
func alt(parts ...string) string {
	return `(?:` + strings.Join(parts, `|`) + `)`
}

var emailRE = regexp.MustCompile(func() string {
	label := `[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?`
	// The top-level domain must start with a letter so that "me@10.30"
	// style typos of a time are not read as an address.
	tld := `\p{L}(?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?`
	return `[\p{L}\p{M}\p{N}._%+-]+@(?:` + label + `\.)+` + tld
}())

// numberRE finds the identifiers that are made of digits. Alternatives are
// tried in order at each position, so the more specific shapes come first.
// Group 1 is a dollar amount, matched only so that isMoney can keep it.
var numberRE = regexp.MustCompile(alt(
	`(\$[ \t]?\d+(?:[.,]\d+)*)`,
	`\b\d{3}[ .-]\d{2}[ .-]\d{4}\b`,                               // SSN 123-45-6789, 123 45 6789
	`\+\d(?:[ .()-]{0,2}\d){7,14}\b`,                              // +1 555 123 4567, +52 55 1234 5678
	`(?:\b1[ .-]?)?(?:\(\d{3}\)|\b\d{3})[ .-]?\d{3}[ .-]?\d{4}\b`, // US, with or without 1-
	`(?:\(\d{2}\)|\b\d{2})[ .-]?\d{4}[ .-]?\d{4}\b`,               // Mexican 55 1234 5678
	`\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}\b`,                      // card 4111 1111 1111 1111
	`\b\d{4}[ -]\d{6}[ -]\d{4,5}\b`,                               // card 3782 822463 10005
	`\b\d{7,}\b`,                                                  // any long run: phone, SSN, card, ID
	`\b\d{3}[.-]\d{4}\b`,                                          // local phone 123-4567
))

// month names and their usual abbreviations in English and Spanish. The
// abbreviation "set" (setiembre) is left out: "I set 2 alarms" is far more
// common than a date written that way.
const month = `\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?` +
	`|enero|ene|febrero|marzo|abril|abr|mayo|junio|julio|agosto|ago|septiembre|setiembre|octubre|noviembre|diciembre|dic)\b\.?`

// day is 1–31 with an optional English or Spanish ordinal ending: 3rd, 25th,
// 1ro, 2do, 1er, 1º.
const day = `\b(?:0?[1-9]|[12]\d|3[01])(?:(?:st|nd|rd|th|ro|do|to|mo|vo|no|er)\b|[º°ª]|\b)`

const year = `(?:(?:1[89]|20)\d{2}\b|'\d{2}\b)`

// yearPart is the year after a day and a month: ", 2026", " de 2026",
// " del 2026", " of 2026".
const yearPart = `,?` + sp + `(?:(?:of|de|del)` + sp + `)?` + year

const yearTail = `(?:` + yearPart + `)?`

var dateRE = regexp.MustCompile(`(?i)` + alt(
	// 12/25/2026, 25.12.2026, 12-25-26: either order of day and month.
	`\b(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:\d{4}|\d{2})\b`,
	// 2026-11-25
	`\b(?:1[89]|20)\d{2}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])\b`,
	// March 3, Nov 25th, noviembre 25, March the 3rd, 2026. Group 1 is a
	// unit after a year-less day ("in March 30 people came", "we march 3
	// miles"): then the number is a count, and isCount keeps the match.
	month+sp+`(?:the`+sp+`)?`+day+`(?:`+yearPart+`|`+sp+`(`+quantity+`)\b)?`,
	// 3 March 2026, 25 de noviembre de 2026, 3rd of March
	day+sp+`(?:(?:of|de)`+sp+`)?`+month+yearTail,
	// March 1990, marzo de 1990: a birth month is identifying with its year.
	month+sp+`(?:(?:of|de|del)`+sp+`)?`+year,
	// Year-less slash dates, only where the pair cannot be a common
	// fraction (x/2, x/4, x/8, x/16) or rating (x/5, x/10): month then
	// day 11–31, or day 13–31 then month.
	`\b(?:0?[1-9]|1[0-2])/(?:1[1-57-9]|2\d|3[01])\b`,
	`\b(?:1[3-9]|2\d|3[01])/(?:0?[1-9]|1[0-2])\b`,
))

// enStreetType are the US street types; \b after them keeps "Stop" or
// "Drew" from counting.
const enStreetType = `(?:st|street|ave|av|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place|hwy|highway|pkwy|parkway|ter|terrace|cir|circle|sq|square)\b`

// esStreetType are the Spanish types, which come before the name.
const esStreetType = `\b(?:calle|avenida|avda|av|camino|carretera|ctra|paseo|pasaje|calzada|bulevar|privada|callej[oó]n|plaza|cerrada|prolongaci[oó]n)\b\.?`

// enName is one word of an English street name: a word ("Broadway", "N.",
// "O'Neil") or an ordinal ("3rd"). Plain numbers are not names, which stops
// "2 blocks from 12 Main St" from reaching back to the "2".
const enName = `(?:\p{L}[\p{L}\p{M}'’.-]*|\d{1,4}(?:st|nd|rd|th))`

// esName is one word of a Spanish street name, where numbers are common
// ("Calle 5 de Mayo 23", "Calle 10 #45").
const esName = `(?:\p{L}[\p{L}\p{M}'’.-]*|\d{1,3}(?:[a-z]{1,2}|[º°ª])?)`

// unit is an apartment, suite or floor after an English address.
const unit = `(?:\.?,?[ \t]*(?:(?:apt|apartment|unit|suite|ste|rm|room|fl|floor|apto|depto|dpto)\b\.?[ \t]*#?|#)[ \t]*[a-z0-9]{1,6}\b)?`

// quantity are the words that, right after a number, show it was a count:
// "en la calle por 5 años" is not an address and "March 30 people" is not
// a date.
const quantity = `(?:años|año|anos|ano|meses|mes|semanas|semana|d[ií]as|d[ií]a|horas|hora|minutos|minuto|mins?|veces|vez|noches|noche|personas|persona|cuadras|cuadra|millas|milla|kil[oó]metros|km|cajas|caja|bolsas|bolsa` +
	`|years?|months?|weeks?|days?|hours?|hrs?|minutes?|times?|nights?|blocks?|miles?|people|persons?|boxes|box|bags?)`

// streetRE: group 1 holds the name words of an English address, group 2
// those of a Spanish one and group 3 a quantity word after the Spanish
// number; notStreet reads them to turn down false positives.
var streetRE = regexp.MustCompile(`(?i)` + alt(
	`\b\d{1,6}[a-z]?`+sp+`((?:`+enName+sp+`){1,4}?)`+enStreetType+unit,
	esStreetType+sp+`(`+esName+`(?:`+sp+esName+`){0,3}?)(?:,?`+sp+`|,)`+
		`(?:(?:#|n[oº°]\.?|n[uú]m\.?|n[uú]mero)[ \t]*)?\d{1,5}[a-z]?\b(?:`+sp+`(`+quantity+`)\b)?`,
	`\b(?:p\.?[ \t]?o\.?|post`+sp+`office)[ \t]*box[ \t]*#?[ \t]*\d{1,6}\b`,
	`\b(?:apartado(?:`+sp+`postal)?|apdo\.?|casilla`+sp+`postal)[ \t]*(?:#|n[oº°]\.?)?[ \t]*\d{1,6}\b`,
))
