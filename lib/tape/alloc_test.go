//go:build !race

package tape

import (
	"bytes"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// TestNextTickAllocs: one allocation per row, the string encoding/csv
// makes of the record; the Reader adds none. (The race detector changes
// allocation counts, hence the build tag.)
func TestNextTickAllocs(t *testing.T) {
	const rows = 2000
	r, err := NewReader(bytes.NewReader(tickTape(rows)), "allocs.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var tk market.Tick
	allocs := testing.AllocsPerRun(rows-1, func() {
		if err := r.NextTick(&tk); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("NextTick allocates %v times per row, want at most 1", allocs)
	}
}
