package privacy

import (
	"slices"
	"testing"
)

var urgent = []string{"bad batch", "overdose", "xylazine", "fentanyl", "sobredosis", "mala mezcla"}

func TestContainsAny(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		words []string
		want  []string
	}{
		{"phrase", "there's a bad batch going around", urgent, []string{"bad batch"}},
		{"case and plural", "BAD BATCHES at the park", urgent, []string{"bad batch"}},
		{"spaces and newlines", "bad \n\n   batch", urgent, []string{"bad batch"}},
		{"hyphen", "bad-batch", urgent, []string{"bad batch"}},
		{"words apart", "bad day, batch of kits", urgent, nil},
		{"half a phrase", "a new batch came", urgent, nil},
		{"past tense", "he overdosed last night", urgent, []string{"overdose"}},
		{"gerund", "she was overdosing", urgent, []string{"overdose"}},
		{"plural", "two overdoses this week", urgent, []string{"overdose"}},
		{"compound", "xylazine-laced dope", urgent, []string{"xylazine"}},
		{"accent in text", "hubo una sobredósis", urgent, []string{"sobredosis"}},
		{"accent in word", "hubo una sobredosis", []string{"sobredósis"}, []string{"sobredósis"}},
		{"combining accent", "sobredo\u0301sis", urgent, []string{"sobredosis"}},
		{"spanish plural", "malas   mezclas en el barrio", urgent, []string{"mala mezcla"}},
		{"spanish gender", "salió malo, mezclado con algo", []string{"mezcla"}, []string{"mezcla"}},
		{"order of words", "Fentanyl everywhere, another OD, bad batch", urgent, []string{"bad batch", "fentanyl"}},
		{"inside a word", "the dose was fine", []string{"overdose"}, nil},
		{"longer word", "an overdose", []string{"dose"}, nil},
		{"other language word", "fentanilo", urgent, nil},
		{"short word exact", "another OD tonight", []string{"od"}, []string{"od"}},
		{"short word plural", "two ODs tonight", []string{"od"}, []string{"od"}},
		{"short word not prefix", "that was odd", []string{"od"}, nil},
		{"duplicate words", "overdose", []string{"overdose", "overdose"}, []string{"overdose"}},
		{"blank words ignored", "anything", []string{"", "  ", "!!"}, nil},
		{"empty text", "", urgent, nil},
		{"invalid utf8", "\xffoverdose\xfe", urgent, []string{"overdose"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ContainsAny(tt.text, tt.words); !slices.Equal(got, tt.want) {
				t.Errorf("ContainsAny(%q, %q) = %q, want %q", tt.text, tt.words, got, tt.want)
			}
		})
	}
}
