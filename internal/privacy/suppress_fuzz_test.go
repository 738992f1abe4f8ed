package privacy

import "testing"

// FuzzSuppress checks the promises of Suppress (see checkSuppress) on tables
// the fuzzer builds from bytes: the first four choose the size, the totals
// shown and k, each further byte is a count.
//
//	go test ./internal/privacy -run '^$' -fuzz FuzzSuppress -fuzztime 60s
func FuzzSuppress(f *testing.F) {
	f.Add([]byte{2, 2, 3, 11, 3, 20, 25, 2})
	f.Add([]byte{2, 0, 7, 11, 1, 0, 0, 0, 0, 44, 0, 0, 8})
	f.Add([]byte{0, 4, 1, 5, 30, 3, 40, 1, 200})
	f.Add([]byte{7, 7, 6, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0, 0, 90})
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, k, ok := tableFromBytes(data)
		if !ok {
			t.Skip()
		}
		if err := checkSuppress(tb, k); err != nil {
			t.Fatalf("k=%d, %+v: %v", k, tb, err)
		}
	})
}

func tableFromBytes(data []byte) (Table, int, bool) {
	if len(data) < 4 {
		return Table{}, 0, false
	}
	rows, cols, flags, k := 1+int(data[0]%8), 1+int(data[1]%8), data[2], MinimumK+int(data[3]%36)
	data = data[4:]
	counts := make([][]int, rows)
	for i := range counts {
		counts[i] = make([]int, cols)
		for j := range counts[i] {
			if len(data) > 0 {
				// Bytes from 128 on stand for large counts, so that
				// tables of many people are as easy to reach as small ones.
				counts[i][j] = int(data[0])
				if data[0] >= 128 {
					counts[i][j] = (int(data[0]) - 127) * 25
				}
				data = data[1:]
			}
		}
	}
	return Table{Counts: counts, RowTotals: flags&1 != 0, ColTotals: flags&2 != 0, Total: flags&4 != 0}, k, true
}
