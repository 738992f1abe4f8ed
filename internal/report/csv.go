package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/chorus-hr/chorus/internal/privacy"
)

// Suppressed is how a suppressed count reads in an export.
const Suppressed = "suppressed"

// Neutralize keeps a spreadsheet from running a cell as a formula: text
// that begins with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice for CSV injection).
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
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
