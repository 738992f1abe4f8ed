package sms

import (
	"fmt"
	"strings"
)

// Texts are what Chorus says by text message, in one language: short,
// plain, person-first (docs/sms.md shows the whole conversation).
type Texts struct {
	Welcome, Needs, Priorities, Anything, Thanks, ThanksCode, BadNumbers      string
	Help, Stopped, Joined, NoQuestion, Closed, Counted, BadVote, MeetingEnded string
	Agree, Scale, Pick, Rank, Dots, Unavailable                               string
	// Comment answers a text sent while a meeting asks for written
	// comments, which are given on the meeting's page, not by text.
	Comment string
}

var texts = map[string]Texts{
	"en": {
		Welcome:      "%s: tell us what would help. We do not keep your phone number. Reply STOP to stop.",
		Needs:        "What do you need? Reply with numbers, like 2 5 7. Reply 0 to skip.",
		Priorities:   "Which matter most? Reply up to 3 of your numbers, most important first. Reply 0 to skip.",
		Anything:     "Anything else you want us to know? Reply in your own words. Please leave out names. Reply 0 to skip.",
		Thanks:       "Thank you. We got your answers.",
		ThanksCode:   "Thank you. We got your answers. Your code is %s. See what happens at %s",
		BadNumbers:   "Please reply with numbers from the list, like 2 5 7. Reply 0 to skip.",
		Help:         "%s: anonymous feedback by text. We do not keep your phone number. Reply STOP to stop. Msg & data rates may apply.",
		Stopped:      "You will get no more texts from %s. Reply START to begin again.",
		Joined:       "You joined %s. Your vote is anonymous.",
		NoQuestion:   "No question is open right now. Wait for the next one on the screen.",
		Closed:       "This question is closed. Wait for the next one on the screen.",
		Counted:      "Vote counted. You can change it while the question is open.",
		BadVote:      "We could not read that. %s",
		Agree:        "Reply 1 agree, 2 disagree, 3 not sure.",
		Scale:        "Reply a number from 1 to 5.",
		Pick:         "Reply one number: %s",
		Rank:         "Reply up to %d numbers, best first, like 2 1: %s",
		Dots:         "You have %d dots. Reply numbers, one per dot, like 1 1 3: %s",
		MeetingEnded: "This meeting has ended. Thank you for taking part.",
		Unavailable:  "We could not count that just now. Please send it again.",
		Comment:      "This question takes written answers on the meeting page, not by text. Wait for the next question on the screen.",
	},
	"es": {
		Welcome:      "%s: díganos qué le ayudaría. No guardamos su número de teléfono. Responda ALTO para parar.",
		Needs:        "¿Qué necesita? Responda con números, como 2 5 7. Responda 0 para saltar.",
		Priorities:   "¿Qué es lo más importante? Responda hasta 3 de sus números, el más importante primero. Responda 0 para saltar.",
		Anything:     "¿Algo más que quiera decirnos? Responda con sus palabras. Por favor no ponga nombres. Responda 0 para saltar.",
		Thanks:       "Gracias. Recibimos sus respuestas.",
		ThanksCode:   "Gracias. Recibimos sus respuestas. Su código es %s. Vea qué pasa en %s",
		BadNumbers:   "Por favor responda con números de la lista, como 2 5 7. Responda 0 para saltar.",
		Help:         "%s: opiniones anónimas por mensaje de texto. No guardamos su número. Responda ALTO para parar. Pueden aplicarse tarifas.",
		Stopped:      "No recibirá más mensajes de %s. Responda COMENZAR para empezar de nuevo.",
		Joined:       "Se unió a %s. Su voto es anónimo.",
		NoQuestion:   "No hay ninguna pregunta abierta ahora. Espere la próxima en la pantalla.",
		Closed:       "Esta pregunta está cerrada. Espere la próxima en la pantalla.",
		Counted:      "Voto contado. Puede cambiarlo mientras la pregunta esté abierta.",
		BadVote:      "No pudimos leer eso. %s",
		Agree:        "Responda 1 de acuerdo, 2 en desacuerdo, 3 no estoy seguro.",
		Scale:        "Responda un número del 1 al 5.",
		Pick:         "Responda un número: %s",
		Rank:         "Responda hasta %d números, el mejor primero, como 2 1: %s",
		Dots:         "Tiene %d puntos. Responda números, uno por punto, como 1 1 3: %s",
		MeetingEnded: "Esta reunión terminó. Gracias por participar.",
		Unavailable:  "No pudimos contar eso ahora. Por favor envíelo de nuevo.",
		Comment:      "Esta pregunta se responde por escrito en la página de la reunión, no por mensaje de texto. Espere la próxima pregunta en la pantalla.",
	},
}

// TextsIn returns the texts of a language (English when unknown).
func TextsIn(language string) Texts {
	if t, ok := texts[language]; ok {
		return t
	}
	return texts["en"]
}

// NumberedList is "1 first\n2 second", one choice per line.
func NumberedList(labels []string) string {
	var sb strings.Builder
	for i, l := range labels {
		if i > 0 {
			sb.WriteByte('\n')
		}
		fmt.Fprintf(&sb, "%d %s", i+1, l)
	}
	return sb.String()
}

// InlineList is "1 first, 2 second", for a vote's options.
func InlineList(labels []string) string {
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = fmt.Sprintf("%d %s", i+1, l)
	}
	return strings.Join(parts, ", ")
}
