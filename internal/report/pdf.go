package report

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// PDFReport is what the printable report for a council or board meeting
// shows. It holds only suppressed tables — the very values the JSON API
// returns — so the PDF cannot show a count the API hides.
type PDFReport struct {
	// Lang is one of PDFLanguages.
	Lang         string
	Organization string
	// Sites names the sites covered when the report is filtered (nil for
	// all); Setting and Kind are the filters that chose them, if any.
	Sites         []string
	Setting, Kind string
	Prepared      time.Time
	// Needs, Priorities (points) and Strengths are by period; NeedsBySite
	// has the sites as columns. All cover the same scope.
	Needs, Priorities, Strengths, NeedsBySite Table
	Participation                             Participation
}

// Page geometry in points: US Letter with ¾-inch margins.
const (
	pageW    = 612.0
	pageH    = 792.0
	margin   = 54.0
	contentW = pageW - 2*margin
	// bottom is where content stops, above the footer.
	bottom = pageH - margin - 12
)

// Font sizes and families. The Go fonts (BSD licence, shipped with
// golang.org/x/image) cover the Latin alphabets, accents included.
const (
	fontRegular = "GoRegular"
	fontBold    = "GoBold"
	sizeBody    = 10.0
	sizeSmall   = 8.5
	lineGap     = 1.35
)

type rgb struct{ r, g, b uint8 }

var (
	black = rgb{0x1a, 0x1a, 0x1a}
	muted = rgb{0x6b, 0x6b, 0x6b}
	rule  = rgb{0xc8, 0xc8, 0xc8}
	band  = rgb{0xee, 0xee, 0xee}
	// palette is Okabe and Ito's, readable with colour blindness, in the
	// order the dashboard uses (frontend/src/lib/reports-chart.ts): the
	// site in a report's i-th column is palette[i] on the page and in the
	// PDF alike. Tests on both sides pin the order.
	palette = []rgb{{0xe6, 0x9f, 0x00}, {0x00, 0x72, 0xb2}, {0x00, 0x9e, 0x73}, {0xd5, 0x5e, 0x00}, {0x56, 0xb4, 0xe9}, {0xcc, 0x79, 0xa7}}
	// single is the colour of a chart with one series (a total over
	// time), as on the dashboard.
	single = palette[1]
)

// colorAt is the colour of the i-th series (a site by its column),
// going round the palette.
func colorAt(i int) rgb {
	n := len(palette)
	return palette[((i%n)+n)%n]
}

// pdfDoc lays text, bars and tables out top to bottom, adding pages as
// needed. Drawing stops at the first error, which WritePDF returns.
type pdfDoc struct {
	pdf gopdf.GoPdf
	w   words
	y   float64
	err error
	// hiddenShown is set when a hidden count was drawn since the last
	// note explaining hidden counts.
	hiddenShown bool
}

func newPDFDoc(w words, prepared time.Time, title string) (*pdfDoc, error) {
	d := &pdfDoc{w: w}
	d.pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeLetter, Unit: gopdf.UnitPT})
	d.pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "Chorus", Producer: "Chorus", CreationDate: prepared})
	// A label in a script the Go fonts lack prints "?" instead of nothing.
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return '?' }}
	for _, f := range []struct {
		family string
		data   []byte
	}{{fontRegular, goregular.TTF}, {fontBold, gobold.TTF}} {
		if err := d.pdf.AddTTFFontDataWithOption(f.family, f.data, opt); err != nil {
			return nil, fmt.Errorf("pdf font %s: %w", f.family, err)
		}
	}
	d.newPage()
	return d, d.err
}

func (d *pdfDoc) fail(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

func (d *pdfDoc) newPage() {
	d.pdf.AddPage()
	d.y = margin
}

// ensure starts a new page unless h more points fit on this one.
func (d *pdfDoc) ensure(h float64) {
	if d.y+h > bottom {
		d.newPage()
	}
}

func (d *pdfDoc) font(bold bool, size float64, c rgb) {
	family := fontRegular
	if bold {
		family = fontBold
	}
	d.fail(d.pdf.SetFont(family, "", size))
	d.pdf.SetTextColor(c.r, c.g, c.b)
}

// text writes one line in a box of width w whose top is at y.
func (d *pdfDoc) text(x, y, w float64, right bool, s string) {
	if s == "" || d.err != nil {
		return
	}
	align := gopdf.Left | gopdf.Top
	if right {
		align = gopdf.Right | gopdf.Top
	}
	d.pdf.SetXY(x, y)
	d.fail(d.pdf.CellWithOption(&gopdf.Rect{W: w, H: 12}, s, gopdf.CellOption{Align: align}))
}

// wrap splits s into lines of at most width in the current font.
func (d *pdfDoc) wrap(s string, width float64) []string {
	if s == "" {
		return []string{""}
	}
	lines, err := d.pdf.SplitTextWithWordWrap(s, width)
	if err != nil && !errors.Is(err, gopdf.ErrEmptyString) {
		d.fail(err)
	}
	if len(lines) == 0 {
		return []string{s}
	}
	return lines
}

// paragraph writes wrapped text across the content width.
func (d *pdfDoc) paragraph(s string, bold bool, size float64, c rgb) {
	d.font(bold, size, c)
	lh := size * lineGap
	for _, line := range d.wrap(s, contentW) {
		d.ensure(lh)
		d.text(margin, d.y, contentW, false, line)
		d.y += lh
	}
	d.y += size * 0.5
}

// section starts a section with its title and introduction, on a new
// page unless they fit with the block that follows (next points high, or
// as much of it as keepTogether would keep whole).
func (d *pdfDoc) section(title, intro string, next float64) {
	d.font(false, sizeBody, black)
	introH := float64(len(d.wrap(intro, contentW)))*sizeBody*lineGap + sizeBody*0.5
	next = min(next, (bottom-margin)*0.6)
	if d.y > margin {
		d.ensure(10 + 25 + introH + next)
	}
	d.heading(title)
	d.paragraph(intro, false, sizeBody, black)
}

// heading writes a section's title.
func (d *pdfDoc) heading(s string) {
	d.y += 10
	d.ensure(60)
	d.font(true, 14, black)
	d.text(margin, d.y, contentW, false, s)
	d.y += 19
	d.line(margin, d.y, margin+contentW, rule)
	d.y += 6
}

func (d *pdfDoc) line(x1, y, x2 float64, c rgb) {
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(0.5)
	d.pdf.Line(x1, y, x2, y)
}

func (d *pdfDoc) fill(x, y, w, h float64, c rgb) {
	d.pdf.SetFillColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// hiddenNote explains hidden counts under a section that showed one.
func (d *pdfDoc) hiddenNote(k int) {
	if !d.hiddenShown {
		return
	}
	d.hiddenShown = false
	d.paragraph(fmt.Sprintf(d.w.hiddenNote, d.w.number(k)), false, sizeSmall, muted)
}

// footers number every page once the last one is known.
func (d *pdfDoc) footers(org string) {
	n := d.pdf.GetNumberOfPages()
	for i := 1; i <= n; i++ {
		d.fail(d.pdf.SetPage(i))
		d.font(false, sizeSmall, muted)
		d.text(margin, pageH-margin+2, contentW*0.7, false, org+" · "+d.w.title)
		d.text(margin, pageH-margin+2, contentW, true, fmt.Sprintf(d.w.page, i, n))
	}
}

// WritePDF writes the printable report.
func WritePDF(out io.Writer, r PDFReport) error {
	w := wordsFor(r.Lang)
	d, err := newPDFDoc(w, r.Prepared, w.title+" — "+r.Organization)
	if err != nil {
		return err
	}
	k := r.Needs.MinCell
	d.cover(r)
	order := d.topNeeds(r.Needs, k)
	d.priorities(r.Priorities, k)
	d.sitesSideBySide(r.NeedsBySite, order, k)
	d.strengths(r.Strengths, k)
	d.participation(r.Participation, k)
	d.section(w.privacy, fmt.Sprintf(w.privacyText, w.number(k)), 0)
	d.footers(r.Organization)
	if d.err != nil {
		return fmt.Errorf("pdf report: %w", d.err)
	}
	if _, err := d.pdf.WriteTo(out); err != nil {
		return fmt.Errorf("write pdf report: %w", err)
	}
	return nil
}
