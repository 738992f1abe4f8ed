package privacy_test

import (
	"fmt"

	"github.com/chorus-hr/chorus/internal/privacy"
)

func ExampleScrub() {
	clean, n := privacy.Scrub("Soy Ana, nací el 3 de marzo; call 555-123-4567 after 9 pm")
	fmt.Println(clean, n)
	// Output: Soy Ana, nací el [removed]; call [removed] after 9 pm 2
}

func ExampleContainsAny() {
	fmt.Println(privacy.ContainsAny("BAD\n batches and a sobredósis", []string{"bad batch", "sobredosis", "xylazine"}))
	// Output: [bad batch sobredosis]
}
