package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// cover writes the title, what the report covers and a plain-language
// introduction.
func (d *pdfDoc) cover(r PDFReport) {
	w, t := d.w, r.Needs
	d.font(true, 22, black)
	for _, l := range d.wrap(w.title, contentW) {
		d.text(margin, d.y, contentW, false, l)
		d.y += 28
	}
	d.paragraph(r.Organization, true, 14, black)
	d.paragraph(fmt.Sprintf(w.periodLine, w.date(t.From), w.date(t.To), w.periodWord(t.Period)), false, sizeBody, black)
	d.paragraph(fmt.Sprintf(w.sitesLine, d.siteText(r)), false, sizeBody, black)
	d.paragraph(fmt.Sprintf(w.prepared, w.day(r.Prepared)), false, sizeSmall, muted)
	d.y += 6
	d.paragraph(fmt.Sprintf(w.intro, r.Organization), false, sizeBody, black)
	switch {
	case t.TooFew:
		d.paragraph(w.tooFew, true, sizeBody, black)
	case t.RespondentsTotal.Suppressed:
		d.paragraph(w.basedOnHidden, true, sizeBody, black)
	default:
		d.paragraph(fmt.Sprintf(w.basedOn, w.number(t.RespondentsTotal.Value)), true, sizeBody, black)
	}
}

// siteText names the sites covered and the filters that chose them.
func (d *pdfDoc) siteText(r PDFReport) string {
	if len(r.Sites) == 0 {
		return d.w.allSites
	}
	s := strings.Join(r.Sites, ", ")
	var filters []string
	for _, f := range []string{r.Setting, r.Kind} {
		switch f {
		case models.SiteUrban:
			filters = append(filters, d.w.urban)
		case models.SiteRural:
			filters = append(filters, d.w.rural)
		case models.SiteFixed:
			filters = append(filters, d.w.fixed)
		case models.SiteMobile:
			filters = append(filters, d.w.mobile)
		}
	}
	if len(filters) > 0 {
		s += " (" + strings.Join(filters, ", ") + ")"
	}
	return s
}

func (d *pdfDoc) subheading(s string) {
	d.ensure(50)
	d.font(true, 10.5, black)
	d.text(margin, d.y, contentW, false, s)
	d.y += 16
}

// byTotal orders rows by their total, largest first; hidden totals come
// last in their given order, so the order tells nothing about them.
func byTotal(rows []Row) []Row {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b Row) int {
		if a.Total.Suppressed || b.Total.Suppressed {
			return cmp.Compare(boolInt(a.Total.Suppressed), boolInt(b.Total.Suppressed))
		}
		return cmp.Compare(b.Total.Value, a.Total.Value)
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (d *pdfDoc) label(r Row) string {
	if l := r.Label.In(d.w.lang); l != "" {
		return l
	}
	return r.Code
}

// ranking draws a table's row totals as bars, largest first, then a table
// of the same figures (with the periods when few enough fit). It returns
// the rows' codes in that order.
func (d *pdfDoc) ranking(t Table, title, intro, first, value string, shares bool, k int) []string {
	if t.TooFew {
		d.section(title, intro, 20)
		d.paragraph(d.w.tooFew, true, sizeBody, black)
		return nil
	}
	rows := byTotal(t.Rows)
	groups := make([]barGroup, len(rows))
	order := make([]string, len(rows))
	for i, r := range rows {
		b := bar{value: r.Total, color: single}
		if shares {
			b.note = d.w.percent(r.Share)
		}
		groups[i], order[i] = barGroup{label: d.label(r), bars: []bar{b}}, r.Code
	}
	_, heights := d.measureBars(groups)
	d.section(title, intro, sum(heights))
	d.barChart(groups)

	periods := len(t.Columns) > 1 && len(t.Columns) <= 4
	cols := []column{{title: first}}
	if periods {
		for _, c := range t.Columns {
			cols = append(cols, column{title: d.w.periodLabel(t.Period, c.Key), width: 64, right: true})
		}
	}
	cols = append(cols, column{title: value, width: 64, right: true})
	if shares {
		cols = append(cols, column{title: d.w.share, width: 60, right: true})
	}
	cols[0].width = contentW - sumWidths(cols[1:])
	lines := make([][]string, len(rows))
	for i, r := range rows {
		line := []string{d.label(r)}
		if periods {
			for _, c := range r.Cells {
				line = append(line, d.w.count(c))
			}
		}
		line = append(line, d.w.count(r.Total))
		if shares {
			line = append(line, d.w.percent(r.Share))
		}
		lines[i] = line
	}
	d.table(cols, lines)
	d.hiddenNote(k)
	return order
}

func sumWidths(cols []column) float64 {
	s := 0.0
	for _, c := range cols {
		s += c.width
	}
	return s
}

func (d *pdfDoc) topNeeds(t Table, k int) []string {
	return d.ranking(t, d.w.needs, d.w.needsIntro, d.w.need, d.w.people, true, k)
}

func (d *pdfDoc) priorities(t Table, k int) {
	d.ranking(t, d.w.priorities, d.w.prioIntro, d.w.need, d.w.points, false, k)
}

func (d *pdfDoc) strengths(t Table, k int) {
	d.ranking(t, d.w.strengths, d.w.strengthIntr, d.w.strength, d.w.people, true, k)
}

// sitesPerTable is how many site columns fit a table beside the labels.
const sitesPerTable = 4

// sitesSideBySide draws each need's count at every site, needs in the
// order of the top needs; each bar reads its share of the site's
// respondents after the count ("Storefront: 731  (61.9%)"), from shown
// counts only, as the dashboard's chart and table do.
func (d *pdfDoc) sitesSideBySide(t Table, order []string, k int) {
	if t.TooFew {
		d.section(d.w.sites, d.w.sitesIntro, 20)
		d.paragraph(d.w.tooFew, true, sizeBody, black)
		return
	}
	rows := slices.Clone(t.Rows)
	rank := func(code string) int {
		if i := slices.Index(order, code); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(rows, func(a, b Row) int { return cmp.Compare(rank(a.Code), rank(b.Code)) })
	names := make([]string, len(t.Columns))
	for j, c := range t.Columns {
		names[j] = c.Label.In(d.w.lang)
	}
	groups := make([]barGroup, len(rows))
	for i, r := range rows {
		groups[i].label = d.label(r)
		for j, c := range r.Cells {
			groups[i].bars = append(groups[i].bars, bar{series: names[j], value: c, note: d.w.percent(siteShare(c, t.Respondents, j)), color: colorAt(j)})
		}
	}
	_, heights := d.measureBars(groups)
	d.section(d.w.sites, d.w.sitesIntro, 30+sum(heights))
	d.legend(names)
	d.barChart(groups)
	lines := make([]siteRow, len(rows))
	for i, r := range rows {
		lines[i] = siteRow{label: d.label(r), cells: r.Cells, total: r.Total}
	}
	d.siteTables(d.w.need, names, true, lines)
	d.hiddenNote(k)
}

// siteShare is a count's share of its column's respondents: blank
// (suppressed) when either is hidden or there are none to share
// (privacy.Share), or when the report carries no respondents.
func siteShare(c privacy.Cell, respondents []privacy.Cell, j int) privacy.Percent {
	if j >= len(respondents) {
		return privacy.Percent{Suppressed: true}
	}
	return privacy.Share(c, respondents[j])
}

// siteRow is one line of a table with a column per site.
type siteRow struct {
	label string
	cells []privacy.Cell
	total privacy.Cell
}

// siteTables writes rows with one column per site, a few sites per table;
// the last table also has the total when withTotal.
func (d *pdfDoc) siteTables(first string, sites []string, withTotal bool, rows []siteRow) {
	for start := 0; ; start += sitesPerTable {
		end := min(start+sitesPerTable, len(sites))
		last := end == len(sites)
		cols := []column{{title: first}}
		for _, s := range sites[start:end] {
			cols = append(cols, column{title: s, width: 74, right: true})
		}
		if last && withTotal {
			cols = append(cols, column{title: d.w.total, width: 64, right: true})
		}
		cols[0].width = contentW - sumWidths(cols[1:])
		lines := make([][]string, len(rows))
		for i, r := range rows {
			line := []string{r.label}
			for _, c := range r.cells[start:end] {
				line = append(line, d.w.count(c))
			}
			if last && withTotal {
				line = append(line, d.w.count(r.total))
			}
			lines[i] = line
		}
		d.table(cols, lines)
		if last {
			return
		}
	}
}

// participation draws responses by site and by period, then the table of
// both.
func (d *pdfDoc) participation(p Participation, k int) {
	w := d.w
	if p.TooFew {
		d.section(w.participation, w.partIntro, 20)
		d.paragraph(w.tooFew, true, sizeBody, black)
		return
	}
	groups := make([]barGroup, len(p.Sites))
	names := make([]string, len(p.Sites))
	for i, s := range p.Sites {
		names[i] = d.label(s)
		groups[i] = barGroup{label: names[i], bars: []bar{{value: s.Total, note: w.percent(s.Share), color: colorAt(i)}}}
	}
	_, heights := d.measureBars(groups)
	d.section(w.participation, w.partIntro, 16+sum(heights))
	d.subheading(w.partBySite)
	d.barChart(groups)
	d.subheading(w.partByPeriod)
	groups = make([]barGroup, len(p.Columns))
	for j, c := range p.Columns {
		groups[j] = barGroup{label: w.periodLabel(p.Period, c.Key), bars: []bar{{value: p.PerPeriod[j], color: single}}}
	}
	d.barChart(groups)
	// Periods down, sites across, and "all sites" as the last column.
	lines := make([]siteRow, 0, len(p.Columns)+1)
	for j, c := range p.Columns {
		cells := make([]privacy.Cell, 0, len(p.Sites)+1)
		for _, s := range p.Sites {
			cells = append(cells, s.Cells[j])
		}
		lines = append(lines, siteRow{label: w.periodLabel(p.Period, c.Key), cells: append(cells, p.PerPeriod[j])})
	}
	cells := make([]privacy.Cell, 0, len(p.Sites)+1)
	for _, s := range p.Sites {
		cells = append(cells, s.Total)
	}
	lines = append(lines, siteRow{label: w.total, cells: append(cells, p.Total)})
	d.siteTables(w.period, append(names, w.allSitesCol), false, lines)
	d.hiddenNote(k)
}
