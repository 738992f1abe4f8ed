package main

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
)

// The codes a default organization offers (internal/catalog).
var (
	needCodes = []string{"sterile_supplies", "naloxone", "test_strips", "testing", "sexual_health", "moud",
		"treatment", "primary_care", "mental_health", "housing", "food", "jobs", "transportation",
		"id_benefits", "legal_help", "peer_support", "overdose_prevention_center"}
	strengthCodes = []string{"naloxone_carry", "share_info", "hand_out_supplies", "friends_tested",
		"connect_services", "work_skills"}
	aboutBands = map[string][]string{
		"age_band":       {"under_25", "25_34", "35_44", "45_54", "55_plus"},
		"gender":         {"woman", "man", "nonbinary", "another"},
		"race_ethnicity": {"black", "latino", "white", "asian", "native", "multiple", "another"},
		"housing":        {"stable", "unstable", "unhoused"},
	}
	aboutQuestions = []string{"age_band", "gender", "race_ethnicity", "housing"}
)

// phrases are what free text is made of: ordinary comments with no
// personal identifiers and no urgent words, so each text is scrubbed but
// raises no alert, as most real ones do.
var phrases = map[string][]string{
	"en": {
		"The evening hours help a lot.", "Please keep the van coming on Tuesdays.",
		"We need more sharps containers at the park.", "Staff are kind and do not judge.",
		"It would be good to have coffee in the morning.", "The wait for the shower is too long.",
		"More test strips please, they run out by noon.", "I would come to a peer group if it was after work.",
		"Thank you for treating us like people.", "The bus pass program changed my week.",
	},
	"es": {
		"El horario de la tarde ayuda mucho.", "Por favor sigan viniendo con la camioneta los martes.",
		"Necesitamos más contenedores para agujas en el parque.", "El personal es amable y no juzga.",
		"Sería bueno tener café por la mañana.", "La espera para la ducha es demasiado larga.",
		"Más tiras de prueba por favor, se acaban al mediodía.", "Vendría a un grupo de pares si fuera después del trabajo.",
	},
}

// submission is the request body a kiosk sends.
type submission struct {
	Language   string            `json:"language"`
	Needs      []string          `json:"needs"`
	Priorities []string          `json:"priorities"`
	Strengths  []string          `json:"strengths"`
	Text       *string           `json:"text,omitempty"`
	About      map[string]string `json:"about"`
}

// makeBodies returns n varied, valid submission bodies; about textShare
// of them carry free text of 40 to 1000 characters.
func makeBodies(n int, textShare float64, rng *rand.Rand) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		s := randomSubmission(rng)
		if hasText(i, textShare) {
			t := randomText(rng, s.Language)
			s.Text = &t
		}
		b, err := json.Marshal(s)
		if err != nil {
			panic(err) // a fixed struct of strings always marshals
		}
		out[i] = b
	}
	return out
}

// hasText spreads the bodies with text evenly over the pool, exactly share
// of them, instead of leaving their number to chance.
func hasText(i int, share float64) bool {
	return int(float64(i+1)*share) > int(float64(i)*share)
}

func randomSubmission(rng *rand.Rand) submission {
	s := submission{Language: "en", About: map[string]string{}}
	if rng.IntN(4) == 0 {
		s.Language = "es"
	}
	s.Needs = pick(rng, needCodes, 1+rng.IntN(6))
	s.Priorities = pick(rng, s.Needs, min(len(s.Needs), 1+rng.IntN(3)))
	s.Strengths = pick(rng, strengthCodes, rng.IntN(4))
	for _, q := range pick(rng, aboutQuestions, rng.IntN(5)) {
		bands := aboutBands[q]
		s.About[q] = bands[rng.IntN(len(bands))]
	}
	return s
}

// pick returns k distinct items of from in random order.
func pick(rng *rand.Rand, from []string, k int) []string {
	out := make([]string, 0, k)
	for _, i := range rng.Perm(len(from))[:k] {
		out = append(out, from[i])
	}
	return out
}

// randomText strings phrases together up to a length between 40 and 1000
// characters, most of them short.
func randomText(rng *rand.Rand, language string) string {
	want := 40 + int(960*rng.Float64()*rng.Float64()*rng.Float64())
	ps := phrases[language]
	var b strings.Builder
	for b.Len() < want {
		p := ps[rng.IntN(len(ps))]
		if b.Len()+len(p)+1 > 1000 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}
