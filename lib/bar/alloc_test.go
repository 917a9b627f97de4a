//go:build !race

package bar

import (
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// TestAddDoesNotAllocate: Add and Advance are on the per-tick path.
// (The race detector changes allocation counts, hence the build tag.)
func TestAddDoesNotAllocate(t *testing.T) {
	ticks := session(4096)
	b := NewBuilder(sym, market.Min1)
	i := 0
	allocs := testing.AllocsPerRun(len(ticks)-1, func() {
		b.Add(&ticks[i])
		b.Advance(ticks[i].Time)
		i++
	})
	if allocs != 0 {
		t.Errorf("Add+Advance allocate %v times per tick, want 0", allocs)
	}
}
