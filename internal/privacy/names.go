package privacy

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The name lists ship as data so that a program can read and extend them
// without reading Go; see the head of each file.
var (
	//go:embed data/first_names.txt
	firstNamesData string
	//go:embed data/surnames.txt
	surnamesData string
	//go:embed data/common_words.txt
	commonWordsData string

	firstNames  = wordList(firstNamesData)
	surnames    = wordList(surnamesData)
	commonWords = wordList(commonWordsData)
)

// wordList reads a list of words, any number a line, "#" starting a
// comment; words are folded as Scrub compares them.
func wordList(data string) map[string]bool {
	set := map[string]bool{}
	for line := range strings.Lines(data) {
		line, _, _ = strings.Cut(line, "#")
		for _, w := range strings.Fields(line) {
			set[foldWord(w)] = true
		}
	}
	return set
}

// foldWord folds a word and writes its apostrophe one way, so "I’m" and
// "I'm" compare equal.
func foldWord(w string) string {
	return strings.ReplaceAll(fold(w), "’", "'")
}

// Cue words name the person in the words that follow. Each cue is a list
// of folded words that must follow one another.
var (
	// nameCues are followed by a name whatever its case: "my name is
	// maria", "me llamo Juan".
	nameCues = cueList(`my name is|my name's|my names|name is|name's|i'm called|im called|i am called|they call me|people call me|
		me llamo|mi nombre es|me dicen|me llaman|me conocen como`)
	// titleCues are followed by a capitalized name: "Officer Smith", "Dr.
	// Ana Ruiz", "mi hermana Rosa". The title and the relation stay.
	titleCues = cueList(`officer|ofc|oficial|deputy|sheriff|sergeant|sgt|detective|det|lieutenant|lt|captain|capt|agent|agente|
		dr|dra|doctor|doctora|nurse|enfermera|enfermero|mr|mrs|ms|mx|miss|sr|sra|srta|señor|señora|señorita|
		doña|judge|juez|jueza|pastor|father|padre|prof|professor|profe|lic|licenciado|licenciada|coach|call me|
		counselor|consejera|consejero|caseworker|case manager|case worker|social worker|worker|sponsor|
		sister|brother|son|daughter|wife|husband|girlfriend|boyfriend|partner|friend|cousin|uncle|aunt|
		nephew|niece|roommate|neighbor|grandma|grandpa|
		hermana|hermano|hijo|hija|esposa|esposo|novia|novio|pareja|amigo|amiga|primo|prima|tío|tía|
		sobrino|sobrina|vecino|vecina|compañero|compañera|abuela|abuelo|trabajadora social|trabajador social|
		trabajadora|trabajador`)
	// introCues are followed by a name only when it is a first name on the
	// list: "I'm Maria", "soy Ana", "a guy named Marcus", but not "I'm
	// Tired".
	introCues = cueList(`i'm|im|i am|soy|yo soy|this is|hi|hello|hola|thanks|thanks to|thank you|gracias|gracias a|
		named|called|ask for|se llama|llamado|llamada|pregunten por|pregunta por`)
)

// cueList reads cues separated by "|" and files them by their first word.
func cueList(list string) map[string][][]string {
	cues := map[string][][]string{}
	for _, c := range strings.Split(list, "|") {
		if ws := strings.Fields(foldWord(c)); len(ws) > 0 {
			cues[ws[0]] = append(cues[ws[0]], ws)
		}
	}
	return cues
}

// particles join the parts of a name: "María de la Cruz", "Van der Berg".
var particles = setOf(`de del la las los y van der von da di du`)

// notBeforeName are the words that make a first name part of a place's or
// a saint's name.
var notBeforeName = setOf(`st saint san santa santo sta sto`)

// articles before a first name that is also an everyday word show the word
// is meant: "the Grace Period", "la Cruz Roja".
var articles = setOf(`the a an this that our your their la el las los un una esta este`)

// maxNameWords is the most words taken as one name: "María José Pérez
// García".
const maxNameWords = 4

// word is one word of the text: a run of letters, marks and digits, with
// apostrophes and hyphens inside it ("O'Neil", "García-López", "name's").
type word struct {
	start, end int
	// nameEnd is where a name in the word ends: before a final "'s", so
	// "Lopez's" leaves "[removed]'s".
	nameEnd int
	folded  string // folded, apostrophes written "'"
	stem    string // folded up to nameEnd
	upper   bool   // starts with a capital letter
	letters bool   // has letters and marks only, and at least two
}

// names finds people's names: the words after a cue ("my name is",
// "Officer", "me llamo", "mi hermana"), and a first name from
// first_names.txt followed by a last name ("Maria Lopez"). Only the name is
// removed; the cue stays. A name's words are separated by spaces or tabs
// only: a line break or punctuation ends it.
func names(text string) [][]int {
	ws := splitWords(text)
	var found [][]int
	for i := 0; i < len(ws); {
		first, last, ok := nameAt(text, ws, i)
		if !ok {
			i++
			continue
		}
		found = append(found, []int{ws[first].start, ws[last].nameEnd})
		i = last + 1
	}
	return found
}

// nameAt looks for a name at ws[i], as a cue and the name after it or as a
// first and last name, and reports the name's first and last word.
func nameAt(text string, ws []word, i int) (first, last int, ok bool) {
	for _, cue := range cuesAt(nameCues, ws, text, i) {
		if k := i + len(cue); k < len(ws) && cueGap(text, ws[k-1], ws[k], ":,-") && anyCaseName(ws[k]) {
			return k, nameRun(text, ws, k, anyCaseName), true
		}
	}
	for _, cue := range cuesAt(titleCues, ws, text, i) {
		if k := i + len(cue); k < len(ws) && cueGap(text, ws[k-1], ws[k], ".") && capitalName(ws[k]) {
			return k, nameRun(text, ws, k, capitalName), true
		}
	}
	for _, cue := range cuesAt(introCues, ws, text, i) {
		k := i + len(cue)
		if k >= len(ws) || !cueGap(text, ws[k-1], ws[k], ",") || !isFirstName(ws[k]) {
			continue
		}
		if commonWords[ws[k].stem] && k+1 < len(ws) && spaced(text, ws[k], ws[k+1]) &&
			ws[k+1].upper && commonWords[ws[k+1].stem] && !surnames[ws[k+1].stem] {
			continue // "this is Hope House"
		}
		return k, nameRun(text, ws, k, capitalName), true
	}
	if !isFirstName(ws[i]) {
		return 0, 0, false
	}
	j, ok := nextNameWord(text, ws, i, capitalName)
	if !ok {
		return 0, 0, false
	}
	if i > 0 && notBeforeName[ws[i-1].folded] {
		return 0, 0, false // "St. Vincent de Paul", "San José Hospital"
	}
	if commonWords[ws[i].stem] && !strongName(ws[j]) &&
		(sentenceStart(text, ws, i) || (i > 0 && articles[ws[i-1].folded])) {
		return 0, 0, false // "Will Medicaid cover it?", "the Grace Period", "la Cruz Roja"
	}
	return i, nameRun(text, ws, i, capitalName), true
}

func isFirstName(w word) bool { return w.upper && w.letters && firstNames[w.stem] }

// capitalName accepts a capitalized word that is a name on the lists or no
// everyday word: "Lopez", "Xiomara", "Brown", but not "House" or "Visit".
func capitalName(w word) bool {
	return w.upper && w.letters && (firstNames[w.stem] || surnames[w.stem] || !commonWords[w.stem])
}

// anyCaseName also accepts a word in lower case that is no everyday word:
// after "my name is", "maria lopez" is a name and "not important" is not.
func anyCaseName(w word) bool {
	return capitalName(w) || (w.letters && !commonWords[w.stem] && !particles[w.stem])
}

// strongName is a last or first name that is no everyday word.
func strongName(w word) bool {
	return w.upper && w.letters && (surnames[w.stem] || firstNames[w.stem]) && !commonWords[w.stem]
}

// nameRun extends a name from ws[k] over the words that follow and that
// accept takes, up to maxNameWords, and returns its last word.
func nameRun(text string, ws []word, k int, accept func(word) bool) int {
	last := k
	for n := 1; n < maxNameWords; n++ {
		j, ok := nextNameWord(text, ws, last, accept)
		if !ok {
			break
		}
		last = j
	}
	return last
}

// nextNameWord finds the word that continues a name ending at ws[k]: the
// next word, or one after one or two particles ("de la Cruz"), which must
// then be capitalized.
func nextNameWord(text string, ws []word, k int, accept func(word) bool) (int, bool) {
	j := k + 1
	for p := 0; p < 2 && j < len(ws) && spaced(text, ws[j-1], ws[j]) && !ws[j].upper && particles[ws[j].folded]; p++ {
		j++
	}
	if j >= len(ws) || !spaced(text, ws[j-1], ws[j]) || !accept(ws[j]) || (j > k+1 && !ws[j].upper) {
		return 0, false
	}
	return j, true
}

// spaced reports whether only spaces or tabs stand between two words.
func spaced(text string, a, b word) bool {
	gap := text[a.end:b.start]
	return gap != "" && strings.Trim(gap, " \t") == ""
}

// cueGap reports whether a cue and the name after it are separated by
// spaces, with at most one of punct: "Dr. Ruiz", "my name is: Ana".
func cueGap(text string, a, b word, punct string) bool {
	gap := strings.Trim(text[a.end:b.start], " \t")
	return text[a.end:b.start] != "" && (gap == "" || (len(gap) == 1 && strings.Contains(punct, gap)))
}

// sentenceStart reports whether ws[i] starts a sentence, where a capital
// letter says nothing about a name.
func sentenceStart(text string, ws []word, i int) bool {
	if i == 0 {
		return strings.TrimSpace(text[:ws[i].start]) == ""
	}
	return strings.ContainsAny(text[ws[i-1].end:ws[i].start], ".!?¡¿\n\r\"“(")
}

// cuesAt are the cues of list that start at ws[i], each followed by only
// spaces between its words.
func cuesAt(list map[string][][]string, ws []word, text string, i int) [][]string {
	var found [][]string
	for _, cue := range list[ws[i].folded] {
		ok := i+len(cue) <= len(ws)
		for k := 1; ok && k < len(cue); k++ {
			ok = ws[i+k].folded == cue[k] && spaced(text, ws[i+k-1], ws[i+k])
		}
		if ok {
			found = append(found, cue)
		}
	}
	return found
}

// splitWords splits text into its words; see word.
func splitWords(text string) []word {
	var ws []word
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start, letters := i, 0
		allLetters := true
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				// An apostrophe or hyphen continues the word when a letter
				// follows it.
				next, _ := utf8.DecodeRuneInString(text[i+size:])
				if !strings.ContainsRune("'’-", r) || !unicode.IsLetter(next) {
					break
				}
			} else if unicode.IsLetter(r) {
				letters++
			} else if !unicode.IsMark(r) {
				allLetters = false
			}
			i += size
		}
		first, _ := utf8.DecodeRuneInString(text[start:])
		nameEnd := i - possessive(text[start:i])
		ws = append(ws, word{
			start: start, end: i, nameEnd: nameEnd,
			folded: foldWord(text[start:i]), stem: foldWord(text[start:nameEnd]),
			upper: unicode.IsUpper(first) || unicode.IsTitle(first), letters: allLetters && letters >= 2,
		})
	}
	return ws
}

// possessive is the length of a final "'s" or "’s" of a word, 0 without.
func possessive(w string) int {
	for _, suffix := range []string{"'s", "'S", "’s", "’S"} {
		if len(w) > len(suffix)+1 && strings.HasSuffix(w, suffix) {
			return len(suffix)
		}
	}
	return 0
}
