package privacy

import "strings"

// notStreet turns down address-shaped matches that are ordinary sentences.
// Participants write "3 boxes on the way", "a 10 minute drive" and "estuve
// en la calle por 5 años" far more often than an address, and the street
// types (Way, Drive, Place, Calle, Camino) are everyday words.
func notStreet(text string, m []int) bool {
	if names := group(text, m, 1); names != "" {
		return anyIn(names, enStop, quantityWords) || allIn(names, weakWords)
	}
	if names := group(text, m, 2); names != "" {
		return group(text, m, 3) != "" || anyIn(names, esStop, quantityWords) || allIn(names, weakWords)
	}
	return false // post-office box
}

func anyIn(names string, sets ...map[string]bool) bool {
	for _, w := range words(fold(names)) {
		for _, set := range sets {
			if set[w] {
				return true
			}
		}
	}
	return false
}

func allIn(names string, set map[string]bool) bool {
	for _, w := range words(fold(names)) {
		if !set[w] {
			return false
		}
	}
	return true
}

func setOf(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(list) {
		set[w] = true
	}
	return set
}

// enStop are English words that do not occur in US street names but do
// occur between a number and "way", "drive" or "place" in a sentence.
// "the" and "of" are missing on purpose: they are weakWords.
var enStop = setOf(`a an to on in at for from by with and or but my your his her our their its this that these those
	i me we you he she they it is was are were be been am not no per up down into out over about just more less
	all some any many few each every other only very so if then than as near around off us them him
	star stars way`)

// esStop are Spanish function words that do not occur in street names. The
// articles, "de" and "a" are missing on purpose ("Paseo de la Reforma 222",
// "Camino a Santa Fe 12"): they are weakWords. Other single letters are
// missing because streets are named "E" or "B".
var esStop = setOf(`por desde hace hasta durante con sin como que para un una unos unas mi mis tu tus su sus
	me te se lo le les nos es son era fue fui estuve estaba estoy esta este esto eso muy mas ya no si ni pero
	porque cuando donde todo todos toda todas casi solo vivo vivi dormi hay habia`)

// weakWords may appear in a street name but never make one on their own:
// "salí a la calle a las 3" is a time, not an address.
var weakWords = setOf(`the of de del la las los el a al`)

// quantityWords are the units of a count or a duration ("2 hours to drive",
// "a 10 minute drive").
var quantityWords = setOf(`year years yr yrs month months week weeks day days hour hours hr hrs minute minutes min mins
	second seconds time times night nights mile miles block blocks people person persons guy guys kid kids
	box boxes bag bags kit kits pill pills dose doses shot shots
	ano anos mes meses semana semanas dia dias hora horas minuto minutos vez veces noche noches
	persona personas cuadra cuadras milla millas caja cajas bolsa bolsas`)
