package replay

import (
	"cmp"
	"slices"

	"github.com/qbtrading/qb/lib/market"
)

// mergeTapes joins the ticks of several files into one tape ordered by
// time. Ticks with equal times are ordered by symbol, then keep the order
// of the files, then of the rows in a file (the sort is stable). A store
// returns ties by symbol, then seq, which `qb import` sets to the row
// order: the same tape either way.
func mergeTapes(tapes [][]market.Tick) []market.Tick {
	n := 0
	for _, t := range tapes {
		n += len(t)
	}
	out := make([]market.Tick, 0, n)
	for _, t := range tapes {
		out = append(out, t...)
	}
	slices.SortStableFunc(out, func(a, b market.Tick) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.Symbol, b.Symbol)
	})
	return out
}
