package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/chorus-hr/chorus/internal/privacy"
)

// Suppressed is how a suppressed count reads in an export.
const Suppressed = "suppressed"

// Neutralize keeps a spreadsheet from running a cell as a formula. Text
// gets a leading apostrophe (OWASP's advice for CSV injection) when it
// begins with a tab, a carriage return or a NUL (ASVS 1.2.10), or when
// its first visible character is a formula sign: = + - @ | % or their fullwidth forms, which
// some spreadsheets read as the ASCII ones. Spreadsheets skip leading
// spaces, line breaks and invisible characters before a formula, so those
// are looked past. No count or share Chorus writes is negative, so no
// number is touched.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch {
	case s[0] == '\t', s[0] == '\r', s[0] == 0, formulaSign(firstVisible(s)):
		return "'" + s
	}
	return s
}

// firstVisible is the first rune of s that is not a space, a control or
// an invisible format character (such as a zero-width space or a byte
// order mark), or utf8.RuneError when there is none.
func firstVisible(s string) rune {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			return r
		}
	}
	return utf8.RuneError
}

func formulaSign(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '|', '%',
		'\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '\uFF5C', '\uFF05': // fullwidth = + - @ | %
		return true
	}
	return false
}

// CellText is a count as an export writes it.
func CellText(c privacy.Cell) string {
	if c.Suppressed {
		return Suppressed
	}
	return strconv.Itoa(c.Value)
}

// PercentText is a share as an export writes it.
func PercentText(p privacy.Percent) string {
	if p.Suppressed {
		return Suppressed
	}
	return strconv.FormatFloat(p.Value, 'f', 1, 64)
}

// CSVWriter writes report rows with every text cell neutralized.
type CSVWriter struct{ w *csv.Writer }

// NewCSV returns a writer over w.
func NewCSV(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Row writes one line.
func (c *CSVWriter) Row(cells ...string) error {
	out := make([]string, len(cells))
	for i, s := range cells {
		out[i] = Neutralize(s)
	}
	return c.w.Write(out)
}

// Flush ends the file.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// WriteTable writes a report table: a header, one line per category, and
// the respondents, labels in lang. Suppressed counts read "suppressed".
func WriteTable(w io.Writer, t Table, lang string) error {
	c := NewCSV(w)
	header := []string{"code", "label"}
	for _, col := range t.Columns {
		name := col.Key
		if l := col.Label.In(lang); l != "" {
			name = l
		}
		header = append(header, name)
	}
	header = append(header, "total", "share_percent")
	if err := c.Row(header...); err != nil {
		return err
	}
	if t.TooFew {
		line := make([]string, len(header))
		line[0], line[1] = "too_few", "Too few responses to show"
		if err := c.Row(line...); err != nil {
			return err
		}
		return c.Flush()
	}
	for _, r := range t.Rows {
		line := []string{r.Code, r.Label.In(lang)}
		for _, cell := range r.Cells {
			line = append(line, CellText(cell))
		}
		line = append(line, CellText(r.Total), PercentText(r.Share))
		if err := c.Row(line...); err != nil {
			return err
		}
	}
	line := []string{"respondents", ""}
	for _, cell := range t.Respondents {
		line = append(line, CellText(cell))
	}
	if err := c.Row(append(line, CellText(t.RespondentsTotal), "")...); err != nil {
		return err
	}
	return c.Flush()
}
