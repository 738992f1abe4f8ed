package report_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/models"
)

func TestNeutralize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+1", "'+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"|calc", "'|calc"},
		{"%0A", "'%0A"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{" =1+1", "' =1+1"},
		{"   +1", "'   +1"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"\n=1", "'\n=1"},
		{"\r\n@SUM(A1)", "'\r\n@SUM(A1)"},
		{"\n \t-2", "'\n \t-2"},
		{"\u00a0=1", "'\u00a0=1"},           // no-break space
		{"\u3000=1", "'\u3000=1"},           // ideographic space
		{"\u2003+1", "'\u2003+1"},           // em space
		{"\u200b=1", "'\u200b=1"},           // zero-width space
		{"\ufeff=1", "'\ufeff=1"},           // byte order mark
		{"\x00=1", "'\x00=1"},               // a control character
		{"\uff1dSUM(A1)", "'\uff1dSUM(A1)"}, // fullwidth =
		{"\uff0b1", "'\uff0b1"},             // fullwidth +
		{"\uff0d1", "'\uff0d1"},             // fullwidth -
		{"\uff20SUM(A1)", "'\uff20SUM(A1)"}, // fullwidth @
		{"\uff5ccalc", "'\uff5ccalc"},       // fullwidth |
		{"\uff05x", "'\uff05x"},             // fullwidth %
		{"\u3000\uff1d1", "'\u3000\uff1d1"},
		{"Housing", "Housing"},
		{" Housing", " Housing"},
		{"\nHousing", "\nHousing"},
		{"", ""},
		{"   ", "   "},
		{"\n", "\n"},
		{"12", "12"},
		{"12.5", "12.5"},
		{"suppressed", "suppressed"},
		{"a=b", "a=b"},
		{"2026-03-01", "2026-03-01"},
		{"'=1", "'=1"},
	} {
		if got := report.Neutralize(tc.in); got != tc.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzNeutralize checks that no neutralized cell, once a spreadsheet skips
// its leading blanks, begins with a formula sign, and that nothing is
// lost: the cell is the text, or an apostrophe and the text.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"=1", " +1", "\r\n-1", "\u3000\uff20x", "\ufeff|x", "Housing", "", "'=1", "\xff=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := report.Neutralize(s)
		if got != s && got != "'"+s {
			t.Fatalf("Neutralize(%q) = %q: not the text nor the text behind an apostrophe", s, got)
		}
		if strings.HasPrefix(got, "'") {
			return
		}
		if strings.HasPrefix(got, "\t") || strings.HasPrefix(got, "\r") || strings.HasPrefix(got, "\x00") {
			t.Fatalf("Neutralize(%q) = %q begins with a tab, carriage return or NUL", s, got)
		}
		rest := strings.TrimLeftFunc(got, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
		})
		if rest != "" && strings.ContainsRune("=+-@|%\uff1d\uff0b\uff0d\uff20\uff5c\uff05", []rune(rest)[0]) {
			t.Fatalf("Neutralize(%q) = %q leaves a formula sign first", s, got)
		}
	})
}

func TestWriteTableNeutralizesAndSuppresses(t *testing.T) {
	tb := report.Table{
		Columns: []report.Column{{Key: "2026-03-01"}},
		Rows: []report.Row{{Code: "housing", Label: models.Text{"en": "=cmd|' /C calc'!A0"}, Cells: []privacy.Cell{{Value: 12}},
			Total: privacy.Cell{Value: 12}, Share: privacy.Percent{Value: 50}},
			{Code: "food", Label: models.Text{"en": "Food"}, Cells: []privacy.Cell{{Suppressed: true}}, Total: privacy.Cell{Suppressed: true}, Share: privacy.Percent{Suppressed: true}}},
		Respondents: []privacy.Cell{{Value: 24}}, RespondentsTotal: privacy.Cell{Value: 24},
	}
	var buf bytes.Buffer
	if err := report.WriteTable(&buf, tb, "en"); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if lines[1][1] != "'=cmd|' /C calc'!A0" || lines[2][2] != "suppressed" || lines[3][0] != "respondents" || lines[3][2] != "24" {
		t.Fatalf("csv = %q", lines)
	}
}
