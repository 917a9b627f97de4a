package replay

import (
	"slices"

	"github.com/qbtrading/qb/lib/market"
)

// mergeTapes joins the ticks of several files into one tape ordered by time.
// The sort is stable, so equal times keep file order, then row order.
func mergeTapes(tapes [][]market.Tick) []market.Tick {
	n := 0
	for _, t := range tapes {
		n += len(t)
	}
	out := make([]market.Tick, 0, n)
	for _, t := range tapes {
		out = append(out, t...)
	}
	slices.SortStableFunc(out, func(a, b market.Tick) int { return a.Time.Compare(b.Time) })
	return out
}
