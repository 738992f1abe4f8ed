package deliver

import "fmt"

// messages holds every sentence Chorus sends, in English and Spanish. The
// words follow /work/shared/LANGUAGE.md: person-first and plain.
var messages = map[string]map[string]string{
	"en": {
		"lang":                  "en",
		"test.prefix":           "[Test] ",
		"test.note":             "This is a test. It shows what this rule sends.",
		"urgent.subject":        "Urgent: feedback to check at %s on %s",
		"urgent.intro":          "Someone's feedback at %s on %s used words your program marked as urgent.",
		"urgent.words":          "Words found",
		"urgent.action":         "Please read it in the alerts inbox and follow up.",
		"open.alerts":           "Open the alerts inbox",
		"open.staff":            "Open Chorus",
		"digest.subject.daily":  "Chorus daily summary: %s",
		"digest.subject.weekly": "Chorus weekly summary: %s to %s",
		"digest.period":         "From %s to %s. Compared with %s to %s.",
		"digest.exact":          "These are exact counts, for staff only. Please do not forward them.",
		"digest.suppressed":     "To protect privacy, counts from 1 to %d are not shown.",
		"digest.months":         "Counts are for whole months, as in the program's reports: %s to %s, compared with %s to %s. Some larger counts are hidden too, so that the hidden ones cannot be worked out.",
		"digest.submissions":    "New feedback",
		"digest.needs":          "Top needs",
		"digest.strengths":      "Strengths people named",
		"digest.quotes":         "Newly approved quotes",
		"digest.sessions":       "Live sessions",
		"digest.proposals":      "Proposals waiting for an answer",
		"digest.before":         "before",
		"digest.rounds":         "%d questions",
		"digest.voters":         "voters",
		"digest.waiting":        "%d days waiting",
		"digest.overdue":        "overdue",
		"digest.none":           "Nothing new.",
		"hidden":                "not shown",
		"rule":                  "Rule",
	},
	"es": {
		"lang":                  "es",
		"test.prefix":           "[Prueba] ",
		"test.note":             "Esto es una prueba. Muestra lo que envía esta regla.",
		"urgent.subject":        "Urgente: comentario para revisar en %s el %s",
		"urgent.intro":          "Un comentario en %s el %s usó palabras que su programa marcó como urgentes.",
		"urgent.words":          "Palabras encontradas",
		"urgent.action":         "Léalo en la bandeja de alertas y haga seguimiento.",
		"open.alerts":           "Abrir la bandeja de alertas",
		"open.staff":            "Abrir Chorus",
		"digest.subject.daily":  "Resumen diario de Chorus: %s",
		"digest.subject.weekly": "Resumen semanal de Chorus: del %s al %s",
		"digest.period":         "Del %s al %s. Comparado con el %s al %s.",
		"digest.exact":          "Son cifras exactas, solo para el personal. No las reenvíe.",
		"digest.suppressed":     "Para proteger la privacidad, no se muestran cifras de 1 a %d.",
		"digest.months":         "Las cifras son de meses completos, como en los informes del programa: del %s al %s, comparado con el %s al %s. También se ocultan algunas cifras más grandes, para que no se puedan calcular las ocultas.",
		"digest.submissions":    "Comentarios nuevos",
		"digest.needs":          "Necesidades principales",
		"digest.strengths":      "Fortalezas que se nombraron",
		"digest.quotes":         "Citas aprobadas",
		"digest.sessions":       "Sesiones en vivo",
		"digest.proposals":      "Propuestas que esperan respuesta",
		"digest.before":         "antes",
		"digest.rounds":         "%d preguntas",
		"digest.voters":         "votantes",
		"digest.waiting":        "%d días esperando",
		"digest.overdue":        "atrasada",
		"digest.none":           "Nada nuevo.",
		"hidden":                "no se muestra",
		"rule":                  "Regla",
	},
}

// tr formats a message in lang, falling back to English.
func tr(lang, key string, args ...any) string {
	m, ok := messages[lang]
	if !ok {
		m = messages["en"]
	}
	s, ok := m[key]
	if !ok {
		s = messages["en"][key]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
