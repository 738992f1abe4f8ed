// Package research holds what the research loop knows apart from storage:
// the default codebook and (in subpackages) agreement statistics and
// REFI-QDA exchange. It has no database or HTTP inside.
package research

// DefaultCode is one code of the default codebook, with its children.
type DefaultCode struct {
	Name, Definition map[string]string
	Colour           string
	Children         []DefaultCode
}

func t(en, es string) map[string]string { return map[string]string{"en": en, "es": es} }

// DefaultCodebookName names the codebook every organization starts with.
var DefaultCodebookName = t("Strengths-based codebook", "Libro de códigos basado en fortalezas")

// DefaultCodebook is the strengths-based codebook Chorus ships: what people
// who use drugs know and do for each other and for themselves, and the
// stigma and capital around them. Staff may edit or remove any of it.
func DefaultCodebook() []DefaultCode {
	return []DefaultCode{
		{
			Name: t("Advocate and resource for harm-reduction knowledge and practice",
				"Defensor y recurso de saberes y prácticas de reducción de daños"),
			Definition: t("The person helps peers stay safer by what they know and do.",
				"La persona ayuda a sus pares a cuidarse con lo que sabe y hace."),
			Colour: "#1f6f8b",
			Children: []DefaultCode{
				{Name: t("Preventing and responding to peers' overdoses", "Prevenir y responder a sobredosis de sus pares"),
					Definition: t("Carrying naloxone, staying with someone, calling for help.", "Llevar naloxona, acompañar a alguien, pedir ayuda."), Colour: "#2a86a6"},
				{Name: t("Safer injection and sharing sterile supplies", "Inyección más segura y compartir material estéril"),
					Definition: t("Teaching safer injection or passing on new, unused supplies.", "Enseñar a inyectarse con menos riesgo o repartir material nuevo."), Colour: "#3592b2"},
				{Name: t("Safer sex, testing and disclosure", "Sexo más seguro, pruebas y revelación"),
					Definition: t("Condoms, PrEP, getting tested, telling partners.", "Condones, PrEP, hacerse la prueba, contarlo a la pareja."), Colour: "#409ebe"},
				{Name: t("Sharing drug-checking and risk information", "Compartir información sobre análisis de sustancias y riesgos"),
					Definition: t("Test strips, warnings about a bad batch, what is going around.", "Tiras reactivas, avisos de un lote peligroso, lo que circula."), Colour: "#4baaca"},
			},
		},
		{
			Name: t("Continuous self-actualization", "Autorrealización continua"),
			Definition: t("The person grows and acts for themselves over time.",
				"La persona crece y actúa por sí misma con el tiempo."),
			Colour: "#6a4c93",
			Children: []DefaultCode{
				{Name: t("Self-growth, work and productivity", "Crecimiento personal, trabajo y productividad"),
					Definition: t("Learning, working, having a role.", "Aprender, trabajar, tener un papel."), Colour: "#7a5ca3"},
				{Name: t("Recovery as an ongoing, self-directed process", "La recuperación como proceso continuo y propio"),
					Definition: t("Recovery on the person's own terms, with its ups and downs.", "Recuperarse a su manera, con altibajos."), Colour: "#8a6cb3"},
				{Name: t("Undoing internalized and intragroup stigma", "Deshacer el estigma interiorizado y dentro del grupo"),
					Definition: t("Pushing back on shame, in oneself or among peers.", "Enfrentar la vergüenza, en uno mismo o entre pares."), Colour: "#9a7cc3"},
				{Name: t("Self-advocacy with clinics, courts and police", "Defenderse ante clínicas, tribunales y policía"),
					Definition: t("Speaking up for one's rights and needs.", "Hacer valer sus derechos y necesidades."), Colour: "#aa8cd3"},
			},
		},
		{
			Name:       t("Stigma", "Estigma"),
			Definition: t("Being judged or treated worse for using drugs.", "Ser juzgado o tratado peor por usar drogas."),
			Colour:     "#b5482e",
			Children: []DefaultCode{
				{Name: t("Enacted stigma", "Estigma vivido"), Definition: t("It happened: someone treated them worse.", "Ocurrió: alguien le trató peor."), Colour: "#c5583e"},
				{Name: t("Anticipated stigma", "Estigma anticipado"), Definition: t("Expecting to be treated worse.", "Esperar que le traten peor."), Colour: "#d5684e"},
				{Name: t("Perceived stigma", "Estigma percibido"), Definition: t("Sensing what others think of people who use drugs.", "Sentir lo que otros piensan de quienes usan drogas."), Colour: "#e5785e"},
			},
		},
		{
			Name:       t("Capital", "Capital"),
			Definition: t("Resources a person can draw on.", "Recursos con los que la persona cuenta."),
			Colour:     "#3d7a3a",
			Children: []DefaultCode{
				{Name: t("Social capital", "Capital social"), Definition: t("People to count on.", "Personas con quienes contar."), Colour: "#4d8a4a"},
				{Name: t("Cultural health capital", "Capital cultural en salud"), Definition: t("Knowing how to get care and be heard in it.", "Saber conseguir atención y hacerse escuchar."), Colour: "#5d9a5a"},
				{Name: t("Recovery capital", "Capital de recuperación"), Definition: t("What supports recovery: housing, work, ties.", "Lo que sostiene la recuperación: vivienda, trabajo, vínculos."), Colour: "#6daa6a"},
			},
		},
	}
}
