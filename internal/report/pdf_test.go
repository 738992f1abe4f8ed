package report_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// notCounts are the numbers of a report that are not counts of people:
// dates ("Mar 2, 2026", "2 mar 2026"), percentages and page numbers.
var notCounts = regexp.MustCompile(`[A-Z][a-z]{2} \d{1,2}, \d{4}|\d{1,2} [a-z]{3} \d{4}|\d+([.,]\d)? ?%|(Page|Página) \d+ (of|de) \d+`)

var integer = regexp.MustCompile(`\d[\d.,]*`)

// smallNumbers lists every number from 1 to k-1 in the text, once dates,
// percentages and page numbers are taken out. The report spells out the
// small numbers of its sentences, so any left would be counts.
func smallNumbers(pages [][]string, k int) []string {
	var found []string
	for _, page := range pages {
		for _, s := range page {
			for _, tok := range integer.FindAllString(notCounts.ReplaceAllString(s, " "), -1) {
				n, err := strconv.Atoi(strings.NewReplacer(",", "", ".", "").Replace(strings.TrimRight(tok, ".,")))
				if err == nil && n > 0 && n < k {
					found = append(found, s)
				}
			}
		}
	}
	return found
}

func allText(pages [][]string) string {
	var b strings.Builder
	for _, p := range pages {
		b.WriteString(strings.Join(p, "\n"))
		b.WriteString("\n")
	}
	return b.String()
}

// buildPDF makes the report's tables from the fixture's submissions, the
// way the API does, and renders them.
func buildPDF(t *testing.T, f *fixture, scope report.Scope, lang string) ([]byte, report.PDFReport) {
	t.Helper()
	ctx := context.Background()
	sites := []models.Site{f.shop, f.van}
	labels := report.Labels{"housing": {"en": "Housing and shelter", "es": "Vivienda y refugio"}, "food": {"en": "Food", "es": "Comida"}}
	table := func(metric, by string, codes []string) report.Table {
		tb, err := f.rep.Build(ctx, scope, metric, by, codes, labels, sites)
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	part, err := f.rep.Participation(ctx, scope, sites)
	if err != nil {
		t.Fatal(err)
	}
	r := report.PDFReport{Lang: lang, Organization: f.org.Name, Prepared: f.clock,
		Needs: table(report.MetricNeed, report.ByPeriod, needs), Priorities: table(report.MetricPriorityPoints, report.ByPeriod, needs),
		Strengths:   table(report.MetricStrength, report.ByPeriod, []string{"naloxone_carry"}),
		NeedsBySite: table(report.MetricNeed, report.BySite, needs), Participation: part}
	var out bytes.Buffer
	if err := report.WritePDF(&out, r); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), r
}

// A report over a small data set parses, shows its sections in English and
// Spanish (accents included) and shows no count from 1 to k-1: small
// counts read "hidden".
func TestPDFReportShowsNoSmallCounts(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.submitDays(t, 3, 3, rand.New(rand.NewPCG(7, 9)))
		scope := scopeOf(f, "2026-03-01", "2026-03-31")
		for _, tc := range []struct{ lang, hidden string }{{"en", "hidden"}, {"es", "oculto"}} {
			data, r := buildPDF(t, f, scope, tc.lang)
			pages := parsePDF(t, data).pages(t)
			text := allText(pages)
			if found := smallNumbers(pages, 11); len(found) > 0 {
				t.Fatalf("%s report shows counts under k: %q", tc.lang, found)
			}
			if !strings.Contains(text, tc.hidden) {
				t.Fatalf("%s report hides nothing on a data set full of small counts:\n%s", tc.lang, text)
			}
			want := map[string][]string{
				"en": {"Community feedback report", "Report Program", "Top needs", "Priorities", "Sites side by side", "Strengths",
					"Participation", "Privacy", "Storefront", "Van", "Housing and shelter", "Mar 2026"},
				"es": {"Informe de opiniones de la comunidad", "Necesidades principales", "Participación", "Período", "Sitios lado a lado",
					"Vivienda y refugio", "mar 2026"},
			}[tc.lang]
			// The number of responses is shown exactly when the table shows it.
			switch total := r.Needs.RespondentsTotal; {
			case total.Suppressed && tc.lang == "en":
				want = append(want, "The number of responses is hidden to protect privacy.")
			case total.Suppressed:
				want = append(want, "El número de respuestas está oculto para proteger la privacidad.")
			case tc.lang == "en":
				want = append(want, "This report is based on "+strconv.Itoa(total.Value)+" responses.")
			default:
				want = append(want, "Este informe se basa en "+strconv.Itoa(total.Value)+" respuestas.")
			}
			for _, s := range want {
				if !strings.Contains(text, s) {
					t.Errorf("%s report lacks %q:\n%s", tc.lang, s, text)
				}
			}
			for i, p := range pages {
				if footer := p[len(p)-1]; !strings.HasSuffix(footer, strconv.Itoa(len(pages))) {
					t.Errorf("page %d ends with %q, want its number of %d", i+1, footer, len(pages))
				}
			}
		}
	})
}

// A weekly report over many sites runs to several pages, splits the site
// tables, says when a section has too few responses, never prints a
// hidden count as a number, and prints the same bytes every time.
func TestPDFReportLayout(t *testing.T) {
	from, _ := models.ParseDay("2026-01-05")
	var cols []report.Column
	for i := range 52 {
		cols = append(cols, report.Column{Key: from.AddDays(7 * i).String()})
	}
	var sites []report.Column
	for _, name := range []string{"Storefront", "Van", "Riverside", "Eastside", "Library", "Shelter"} {
		sites = append(sites, report.Column{Key: name, Label: models.Text{"en": name}})
	}
	row := func(code, label string, n int, cells int) report.Row {
		r := report.Row{Code: code, Label: models.Text{"en": label, "es": label + " ñ"}, Total: privacy.Cell{Value: n * cells},
			Share: privacy.Percent{Value: 12.5}}
		for j := range cells {
			c := privacy.Cell{Value: n + j}
			if j%5 == 1 {
				c = privacy.Cell{Suppressed: true}
			}
			r.Cells = append(r.Cells, c)
		}
		return r
	}
	long := strings.Repeat("A need with a very long name that must wrap ", 3)
	needsTable := report.Table{Columns: cols, Period: report.PeriodWeek, MinCell: 11, From: from, To: from.AddDays(7*52 - 1),
		Rows:             []report.Row{row("housing", "Housing", 40, 52), row("long", long, 25, 52), {Code: "hidden", Total: privacy.Cell{Suppressed: true}, Share: privacy.Percent{Suppressed: true}}},
		RespondentsTotal: privacy.Cell{Value: 4000}}
	// Respondents at each site: shown (a share), shown, hidden, none.
	bySite := report.Table{Columns: sites, MinCell: 11, Rows: []report.Row{row("housing", "Housing", 30, 6), row("long", long, 20, 6)},
		Respondents: []privacy.Cell{{Value: 48}, {Value: 90}, {Suppressed: true}, {Value: 0}, {Value: 400}, {Value: 400}}}
	part := report.Participation{PeriodTotals: report.PeriodTotals{Columns: cols, Period: report.PeriodWeek, MinCell: 11, Total: privacy.Cell{Value: 4000}}}
	for i, s := range sites {
		part.Sites = append(part.Sites, row(s.Key, s.Label["en"], 11+i, 52))
	}
	for j := range cols {
		part.PerPeriod = append(part.PerPeriod, privacy.Cell{Value: 60 + j})
	}
	r := report.PDFReport{Lang: "en", Organization: "Harm Reduction Coalition", Sites: []string{"Storefront", "Van"}, Setting: models.SiteUrban,
		Prepared: time.Date(2027, 1, 4, 12, 0, 0, 0, time.UTC), Needs: needsTable, Priorities: needsTable, NeedsBySite: bySite,
		Strengths: report.Table{TooFew: true, MinCell: 11}, Participation: part}
	var out bytes.Buffer
	if err := report.WritePDF(&out, r); err != nil {
		t.Fatal(err)
	}
	// The same figures print the same file, byte for byte.
	var again bytes.Buffer
	if err := report.WritePDF(&again, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Error("the same report printed twice differs")
	}
	pages := parsePDF(t, out.Bytes()).pages(t)
	text := allText(pages)
	if len(pages) < 4 {
		t.Fatalf("%d pages, want a long report", len(pages))
	}
	for _, s := range []string{"Too few responses to show.", "Week of Jan 5, 2026", "Shelter", "All sites", "Sites: Storefront, Van (urban sites)",
		"Prepared on Jan 4, 2027", "Hidden: fewer than 11 people", "must wrap", "Page 1 of " + strconv.Itoa(len(pages))} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q", s)
		}
	}
	// "Need" heads the top needs, the priorities and, with six sites at
	// four a table, two tables of sites side by side.
	if n := strings.Count("\n"+text, "\nNeed\n"); n != 4 {
		t.Errorf("%d tables headed Need, want 4:\n%s", n, text)
	}
	// Read out of the file, each site's bar gives the site before its
	// value (there are no tags to tie a value to its label), then its share
	// of the site's respondents, blank where the count or the respondents
	// are hidden or none.
	if !strings.Contains(text, "\nHousing\nStorefront: 30  (62.5%)\nVan: hidden\nRiverside: 32\nEastside: 33\nLibrary: 34  (8.5%)\n") {
		t.Errorf("the sites' bars do not read label before value:\n%s", text)
	}
	if found := smallNumbers(pages, 11); len(found) > 0 {
		t.Fatalf("shows counts under k: %q", found)
	}
}
