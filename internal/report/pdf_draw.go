package report

import (
	"github.com/chorus-hr/chorus/internal/privacy"
)

// bar is one bar of a chart: a suppressed value draws no bar and reads
// "hidden", never 0.
type bar struct {
	// series names the bar in a grouped chart (a site); it is printed
	// before the value, so text read out of the PDF says whose value it is.
	series string
	value  privacy.Cell
	// note follows the value, such as a share.
	note  string
	color rgb
}

// barGroup is one label with one bar or several (sites side by side).
type barGroup struct {
	label string
	bars  []bar
}

// Chart geometry: labels on the left, bars, then the value.
const (
	chartLabelW = 190.0
	chartValueW = 96.0
	chartBarH   = 9.0
	chartGap    = 5.0
)

// barChart draws horizontal bars scaled to the largest shown value.
func (d *pdfDoc) barChart(groups []barGroup) {
	largest := 0
	for _, g := range groups {
		for _, b := range g.bars {
			if !b.value.Suppressed {
				largest = max(largest, b.value.Value)
			}
		}
	}
	d.font(false, sizeSmall, black)
	valueW := chartValueW
	for _, g := range groups {
		for _, b := range g.bars {
			w, err := d.pdf.MeasureTextWidth(d.barText(b))
			d.fail(err)
			valueW = max(valueW, w+8)
		}
	}
	x0 := margin + chartLabelW + 6
	barW := max(contentW-chartLabelW-6-valueW, contentW/5)
	lh := sizeSmall * lineGap
	labels, heights := d.measureBars(groups)
	d.keepTogether(heights...)
	for gi, g := range groups {
		d.font(false, sizeSmall, black)
		lines, h := labels[gi], heights[gi]-chartGap
		d.ensure(h + chartGap)
		for i, l := range lines {
			d.text(margin, d.y+float64(i)*lh, chartLabelW, false, l)
		}
		for i, b := range g.bars {
			y := d.y + float64(i)*(chartBarH+1.5)
			w := 0.0
			if !b.value.Suppressed && largest > 0 {
				w = barW * float64(b.value.Value) / float64(largest)
			}
			if w > 0 {
				d.fill(x0, y, max(w, 0.8), chartBarH, b.color)
			}
			c := black
			if b.value.Suppressed {
				c = muted
				d.hiddenShown = true
			}
			d.font(false, sizeSmall, c)
			d.text(x0+w+4, y-0.5, valueW+barW-w, false, d.barText(b))
		}
		d.y += h + chartGap
	}
	d.y += 4
}

// barText is what a bar prints after it: its series (a site) first, then
// its value and note, so text read out of the PDF gives the label before
// the value.
func (d *pdfDoc) barText(b bar) string {
	value := d.w.count(b.value)
	if b.series != "" {
		value = b.series + ": " + value
	}
	if b.note != "" {
		value += "  (" + b.note + ")"
	}
	return value
}

// keepTogether starts a new page when a block of these heights would be
// split but fits on a page with room to spare; a longer block is split.
func (d *pdfDoc) keepTogether(heights ...float64) {
	if total := sum(heights); total < (bottom-margin)*0.6 {
		d.ensure(total)
	}
}

// measureBars wraps each group's label and returns the groups' heights.
func (d *pdfDoc) measureBars(groups []barGroup) ([][]string, []float64) {
	lh := sizeSmall * lineGap
	d.font(false, sizeSmall, black)
	heights := make([]float64, len(groups))
	labels := make([][]string, len(groups))
	for i, g := range groups {
		labels[i] = d.wrap(g.label, chartLabelW)
		heights[i] = max(float64(len(labels[i]))*lh, float64(len(g.bars))*(chartBarH+1.5)) + chartGap
	}
	return labels, heights
}

func sum(xs []float64) float64 {
	total := 0.0
	for _, x := range xs {
		total += x
	}
	return total
}

// column is one column of a table.
type column struct {
	title string
	width float64
	right bool
}

// table draws rows of text under a header that repeats on every page.
// The first column wraps; the others are one line. A cell reading
// "hidden" is greyed.
func (d *pdfDoc) table(cols []column, rows [][]string) {
	lh := sizeSmall * lineGap
	header := func() {
		d.font(true, sizeSmall, black)
		h := 0.0
		for _, c := range cols {
			h = max(h, float64(len(d.wrap(c.title, c.width-4)))*lh)
		}
		d.ensure(h + 2*lh)
		d.fill(margin, d.y-2, contentW, h+4, band)
		x := margin
		for _, c := range cols {
			for i, l := range d.wrap(c.title, c.width-4) {
				d.text(x+2, d.y+float64(i)*lh, c.width-4, c.right, l)
			}
			x += c.width
		}
		d.y += h + 4
	}
	d.font(false, sizeSmall, black)
	heights := []float64{3 * lh}
	labels := make([][]string, len(rows))
	for i, row := range rows {
		labels[i] = d.wrap(row[0], cols[0].width-4)
		heights = append(heights, float64(len(labels[i]))*lh+3)
	}
	d.keepTogether(heights...)
	header()
	for i, row := range rows {
		d.font(false, sizeSmall, black)
		lines, h := labels[i], heights[i+1]
		if d.y+h > bottom {
			d.newPage()
			header()
			d.font(false, sizeSmall, black)
		}
		x := margin
		for j, c := range cols {
			if j == 0 {
				for i, l := range lines {
					d.text(x+2, d.y+float64(i)*lh, c.width-4, false, l)
				}
			} else {
				colour := black
				if row[j] == d.w.hidden {
					colour = muted
					d.hiddenShown = true
				}
				d.font(false, sizeSmall, colour)
				d.text(x+2, d.y, c.width-4, c.right, row[j])
			}
			x += c.width
		}
		d.y += h
		d.line(margin, d.y-1.5, margin+contentW, band)
	}
	d.y += 8
}

// legend names the colours of a grouped chart.
func (d *pdfDoc) legend(names []string) {
	d.ensure(14)
	d.font(false, sizeSmall, black)
	x := margin
	for i, n := range names {
		d.fill(x, d.y+1, 8, 8, colorAt(i))
		w, err := d.pdf.MeasureTextWidth(n)
		d.fail(err)
		d.text(x+11, d.y, w+2, false, n)
		x += 11 + w + 14
		if x > margin+contentW-60 && i < len(names)-1 {
			x = margin
			d.y += 13
		}
	}
	d.y += 16
}
