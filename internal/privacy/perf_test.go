package privacy

import (
	"strings"
	"testing"
	"time"
)

func TestPerfTmp(t *testing.T) {
	for _, unit := range []string{"a", "1 ", "1", "a.", "Calle ", "12 ", "12 Main ", "March ", "a@", "a@b.", "+1", "1-", "é", "\xff", "[removed]"} {
		for _, size := range []int{1 << 18, 1 << 20} {
			in := strings.Repeat(unit, size/len(unit))
			st := time.Now()
			Scrub(in)
			ContainsAny(in, urgent)
			t.Logf("%-10q %8d %v", unit, size, time.Since(st))
		}
	}
}
