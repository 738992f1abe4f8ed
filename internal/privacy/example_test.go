package privacy_test

import (
	"fmt"

	"github.com/chorus-hr/chorus/internal/privacy"
)

func ExampleScrub() {
	clean, n := privacy.Scrub("Soy Ana, nací el 3 de marzo; call 555-123-4567 after 9 pm")
	fmt.Println(clean, n)
	// Output: Soy [removed], nací el [removed]; call [removed] after 9 pm 3
}

func ExampleContainsAny() {
	fmt.Println(privacy.ContainsAny("BAD\n batches and a sobredósis", []string{"bad batch", "sobredosis", "xylazine"}))
	// Output: [bad batch sobredosis]
}

func ExampleScrub_spelledOutAndNames() {
	clean, n := privacy.Scrub("I'm Maria: maria at gmail dot com, five five five one two three four. Officer Smith took my kit; Hope House gave me a bed")
	fmt.Println(clean, n)
	// Output: I'm [removed]: [removed], [removed]. Officer [removed] took my kit; Hope House gave me a bed 4
}

func ExampleScrub_hiddenCharacters() {
	// A non-breaking hyphen, fullwidth digits and a zero-width space.
	clean, n := privacy.Scrub("call 555\u2011１２３-45\u200B67")
	fmt.Println(clean, n)
	// Output: call [removed] 1
}
