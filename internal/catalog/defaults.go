// Package catalog holds the default need and strength categories a new
// organization starts with. Admins can edit them; codes are stable
// identifiers, labels are translations.
package catalog

import "github.com/chorus-hr/chorus/models"

// Entry is one default category.
type Entry struct {
	Code   string
	Icon   string
	Labels models.Text
}

// Needs is the default set of needs, in the order the kiosk shows them.
var Needs = []Entry{
	{"sterile_supplies", "syringe", models.Text{"en": "Sterile syringes and supplies", "es": "Jeringas y material estéril"}},
	{"naloxone", "naloxone", models.Text{"en": "Naloxone (Narcan)", "es": "Naloxona (Narcan)"}},
	{"test_strips", "test-strip", models.Text{"en": "Fentanyl and xylazine test strips", "es": "Tiras para detectar fentanilo y xilacina"}},
	{"testing", "test-tube", models.Text{"en": "HIV, hepatitis C and STI testing", "es": "Pruebas de VIH, hepatitis C e ITS"}},
	{"sexual_health", "heart", models.Text{"en": "Condoms and sexual health", "es": "Condones y salud sexual"}},
	{"moud", "pill", models.Text{"en": "Medication for opioid use disorder (buprenorphine, methadone)", "es": "Medicamentos para el trastorno por uso de opioides (buprenorfina, metadona)"}},
	{"treatment", "clock", models.Text{"en": "Detox and treatment, with evening hours", "es": "Desintoxicación y tratamiento, con horario de noche"}},
	{"primary_care", "bandage", models.Text{"en": "Primary care and wound care", "es": "Atención médica y cuidado de heridas"}},
	{"mental_health", "chat", models.Text{"en": "Mental health", "es": "Salud mental"}},
	{"housing", "home", models.Text{"en": "Housing and shelter", "es": "Vivienda y refugio"}},
	{"food", "food", models.Text{"en": "Food", "es": "Comida"}},
	{"jobs", "briefcase", models.Text{"en": "Jobs and job training", "es": "Trabajo y capacitación laboral"}},
	{"transportation", "bus", models.Text{"en": "Transportation", "es": "Transporte"}},
	{"id_benefits", "id-card", models.Text{"en": "ID documents and benefits", "es": "Documentos de identidad y beneficios"}},
	{"legal_help", "scale", models.Text{"en": "Legal help and police or court problems", "es": "Ayuda legal y problemas con la policía o la corte"}},
	{"peer_support", "people", models.Text{"en": "Peer support", "es": "Apoyo de pares"}},
	{"overdose_prevention_center", "shield", models.Text{"en": "An overdose prevention center (a supervised place to use)", "es": "Un centro de prevención de sobredosis (un lugar supervisado para usar)"}},
}

// Strengths is the default set of what participants do for others.
var Strengths = []Entry{
	{"naloxone_carry", "naloxone", models.Text{"en": "I carry naloxone and know how to use it", "es": "Llevo naloxona y sé usarla"}},
	{"share_info", "chat", models.Text{"en": "I share safer-use information", "es": "Comparto información para usar de forma más segura"}},
	{"hand_out_supplies", "syringe", models.Text{"en": "I hand out sterile supplies", "es": "Reparto material estéril"}},
	{"friends_tested", "test-tube", models.Text{"en": "I help friends get tested", "es": "Ayudo a mis amistades a hacerse pruebas"}},
	{"connect_services", "people", models.Text{"en": "I help people reach services", "es": "Ayudo a otras personas a llegar a los servicios"}},
	{"work_skills", "briefcase", models.Text{"en": "I have work skills to share", "es": "Tengo habilidades de trabajo para compartir"}},
}

// Categories returns the default categories for an organization, ready to
// insert.
func Categories(orgID string) []models.Category {
	out := make([]models.Category, 0, len(Needs)+len(Strengths))
	add := func(kind string, entries []Entry) {
		for i, e := range entries {
			out = append(out, models.Category{
				ID: models.NewID(), OrganizationID: orgID, Kind: kind,
				Code: e.Code, Icon: e.Icon, Labels: e.Labels, Position: i, Active: true,
			})
		}
	}
	add(models.KindNeed, Needs)
	add(models.KindStrength, Strengths)
	return out
}

// About lists the optional questions about the participant and their
// coarse answer bands. Every question may be skipped ("prefer not to say"
// is simply no answer); nothing finer is ever asked.
var About = map[string][]string{
	"age_band":       {"under_25", "25_34", "35_44", "45_54", "55_plus"},
	"gender":         {"woman", "man", "nonbinary", "another"},
	"race_ethnicity": {"black", "latino", "white", "asian", "native", "multiple", "another"},
	"housing":        {"stable", "unstable", "unhoused"},
}

// AboutQuestions is About's keys in the order the kiosk asks them.
var AboutQuestions = []string{"age_band", "gender", "race_ethnicity", "housing"}

// Resources are the defaults until an organization sets its own.
var Resources = models.Resources{
	{Label: models.Text{"en": "Emergency", "es": "Emergencia"},
		Detail: models.Text{"en": "Call 911 for an overdose or any emergency.", "es": "Llame al 911 por una sobredosis o cualquier emergencia."}, Phone: "911"},
	{Label: models.Text{"en": "988 Suicide & Crisis Lifeline", "es": "988 Línea de Prevención del Suicidio y Crisis"},
		Detail: models.Text{"en": "Call or text 988, any time, free.", "es": "Llame o envíe un texto al 988, a cualquier hora, gratis."}, Phone: "988"},
}

// Languages are the languages the participant's screens are written in.
// Adding one means adding its dictionary to the frontend and its labels here.
var Languages = []string{"en", "es"}
