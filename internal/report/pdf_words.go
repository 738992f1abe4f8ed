package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/models"
)

// PDFLanguages are the languages the printable report is written in.
var PDFLanguages = []string{"en", "es"}

// words is the printable report's text in one language. Sentences that
// explain counts spell small numbers out ("three points"), so the only
// digits in the report are counts, percentages, dates and page numbers.
type words struct {
	lang                                       string
	title, prepared, periodLine, sitesLine     string
	allSites, byWeek, byMonth, byQuarter       string
	urban, rural, fixed, mobile, weekOf        string
	intro, basedOn, basedOnHidden              string
	needs, needsIntro, priorities, prioIntro   string
	sites, sitesIntro, strengths, strengthIntr string
	participation, partIntro, partBySite       string
	partByPeriod, privacy, privacyText         string
	hidden, hiddenNote, tooFew, noData         string
	need, strength, people, points, share      string
	site, period, total, allSitesCol, page     string
	months                                     [12]string
}

var wordsByLang = map[string]words{
	"en": {
		lang: "en", title: "Community feedback report", prepared: "Prepared on %s with Chorus",
		periodLine: "Period: %s to %s, %s", sitesLine: "Sites: %s",
		allSites: "all sites", byWeek: "week by week", byMonth: "month by month", byQuarter: "quarter by quarter",
		urban: "urban sites", rural: "rural sites", fixed: "fixed sites", mobile: "mobile sites", weekOf: "Week of %s",
		intro: "This report sums up what participants told %s through Chorus, an anonymous feedback kiosk at its sites. " +
			"Each person could choose the needs that matter to them, rank up to three of those needs in order, and say " +
			"what they already do to keep others safe. Nobody gives a name, and every count in this report is protected " +
			"so that it cannot point at anyone.",
		basedOn: "This report is based on %s responses.", basedOnHidden: "The number of responses is hidden to protect privacy.",
		needs:      "Top needs",
		needsIntro: "How many people chose each need. A person can choose several needs, so the shares add up to more than 100%.",
		priorities: "Priorities",
		prioIntro: "People ranked up to three needs. A first choice earns three points, a second choice two points and a " +
			"third choice one point; the bars show each need's points.",
		sites:         "Sites side by side",
		sitesIntro:    "How many people chose each need at each site.",
		strengths:     "Strengths",
		strengthIntr:  "What people said they already do for others in their community.",
		participation: "Participation",
		partIntro:     "How many responses each site received.",
		partBySite:    "Responses by site", partByPeriod: "Responses by period",
		privacy: "Privacy",
		privacyText: "Small counts could point at a person, so this report hides every count of fewer than %[1]s people " +
			"(the program's threshold, called k). Some larger counts are hidden too, so that a small one cannot be " +
			"worked out from a total. A hidden count reads “hidden”, never a number. A zero means that nobody gave that answer. " +
			"When a whole section covers fewer than %[1]s people it shows nothing at all.",
		hidden:     "hidden",
		hiddenNote: "Hidden: fewer than %[1]s people, or kept back so that a count under %[1]s cannot be worked out.",
		tooFew:     "Too few responses to show.", noData: "No responses in this period.",
		need: "Need", strength: "Strength", people: "People", points: "Points", share: "Share",
		site: "Site", period: "Period", total: "Total", allSitesCol: "All sites", page: "Page %d of %d",
		months: [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	},
	"es": {
		lang: "es", title: "Informe de opiniones de la comunidad", prepared: "Preparado el %s con Chorus",
		periodLine: "Período: del %s al %s, %s", sitesLine: "Sitios: %s",
		allSites: "todos los sitios", byWeek: "semana a semana", byMonth: "mes a mes", byQuarter: "trimestre a trimestre",
		urban: "sitios urbanos", rural: "sitios rurales", fixed: "sitios fijos", mobile: "sitios móviles", weekOf: "Semana del %s",
		intro: "Este informe resume lo que los participantes dijeron a %s por medio de Chorus, un quiosco de opiniones " +
			"anónimo en sus sitios. Cada persona pudo elegir las necesidades que le importan, ordenar hasta tres de ellas " +
			"y contar lo que ya hace para cuidar a otras personas. Nadie da su nombre, y cada cifra de este informe está " +
			"protegida para que no pueda señalar a nadie.",
		basedOn: "Este informe se basa en %s respuestas.", basedOnHidden: "El número de respuestas está oculto para proteger la privacidad.",
		needs: "Necesidades principales",
		needsIntro: "Cuántas personas eligieron cada necesidad. Una persona puede elegir varias, así que los porcentajes " +
			"suman más del 100 %.",
		priorities: "Prioridades",
		prioIntro: "Las personas ordenaron hasta tres necesidades. La primera opción suma tres puntos, la segunda dos " +
			"puntos y la tercera un punto; las barras muestran los puntos de cada necesidad.",
		sites:         "Sitios lado a lado",
		sitesIntro:    "Cuántas personas eligieron cada necesidad en cada sitio.",
		strengths:     "Fortalezas",
		strengthIntr:  "Lo que las personas dicen que ya hacen por otras en su comunidad.",
		participation: "Participación",
		partIntro:     "Cuántas respuestas recibió cada sitio.",
		partBySite:    "Respuestas por sitio", partByPeriod: "Respuestas por período",
		privacy: "Privacidad",
		privacyText: "Las cifras pequeñas podrían señalar a una persona, así que este informe oculta toda cifra de menos de " +
			"%[1]s personas (el umbral del programa, llamado k). También se ocultan algunas cifras mayores, para que una " +
			"pequeña no pueda deducirse de un total. Una cifra oculta dice «oculto», nunca un número. Un cero significa que nadie dio esa " +
			"respuesta. Cuando una sección entera abarca menos de %[1]s personas, no muestra nada.",
		hidden:     "oculto",
		hiddenNote: "Oculto: menos de %[1]s personas, o una cifra reservada para que no se pueda deducir una menor de %[1]s.",
		tooFew:     "Muy pocas respuestas para mostrar.", noData: "No hay respuestas en este período.",
		need: "Necesidad", strength: "Fortaleza", people: "Personas", points: "Puntos", share: "Porcentaje",
		site: "Sitio", period: "Período", total: "Total", allSitesCol: "Todos los sitios", page: "Página %d de %d",
		months: [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"},
	},
}

// wordsFor returns the report's text in lang, English when unknown.
func wordsFor(lang string) words {
	if w, ok := wordsByLang[lang]; ok {
		return w
	}
	return wordsByLang["en"]
}

// date writes a day as people read it: "Mar 2, 2026" or "2 mar 2026".
func (w words) date(d models.Day) string {
	t := d.Time()
	if w.lang == "es" {
		return fmt.Sprintf("%d %s %d", t.Day(), w.months[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%s %d, %d", w.months[t.Month()-1], t.Day(), t.Year())
}

// periodLabel names the period that starts on the column's day.
func (w words) periodLabel(period, key string) string {
	d, err := models.ParseDay(key)
	if err != nil {
		return key
	}
	t := d.Time()
	switch period {
	case PeriodWeek:
		return fmt.Sprintf(w.weekOf, w.date(d))
	case PeriodQuarter:
		return fmt.Sprintf("%s–%s %d", w.months[t.Month()-1], w.months[t.Month()+1], t.Year())
	default:
		return fmt.Sprintf("%s %d", w.months[t.Month()-1], t.Year())
	}
}

func (w words) periodWord(period string) string {
	switch period {
	case PeriodWeek:
		return w.byWeek
	case PeriodQuarter:
		return w.byQuarter
	}
	return w.byMonth
}

// number writes a count with the language's thousands separator.
func (w words) number(n int) string {
	s := strconv.Itoa(n)
	sep := ","
	if w.lang == "es" {
		sep = "."
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// count writes a count as it may be shown: a suppressed one says so.
func (w words) count(c privacy.Cell) string {
	if c.Suppressed {
		return w.hidden
	}
	return w.number(c.Value)
}

// percent writes a share to one decimal, or nothing when suppressed.
func (w words) percent(p privacy.Percent) string {
	if p.Suppressed {
		return ""
	}
	s := strconv.FormatFloat(p.Value, 'f', 1, 64)
	if w.lang == "es" {
		return strings.Replace(s, ".", ",", 1) + " %"
	}
	return s + "%"
}

// day is when the report was prepared, in UTC.
func (w words) day(t time.Time) string { return w.date(models.DayOf(t, time.UTC)) }
