package stats

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// BenchmarkCompute: a year of one-minute equity points over the session
// (252 × 390) and 10 000 fills, the size of a long intraday replay.
func BenchmarkCompute(b *testing.B) {
	var eq []Point
	e := int64(100_000_000)
	for d := 0; d < 252; d++ {
		open := kst(2, 9, 0).AddDate(0, 0, d)
		for m := 0; m < 390; m++ {
			e += int64((d*7+m*13)%201) - 100
			eq = append(eq, Point{Time: open.Add(time.Duration(m) * time.Minute), Equity: e})
		}
	}
	fills := make([]market.Fill, 0, 10_000)
	for i := 0; i < 10_000; i++ {
		side := market.Buy
		if i%2 == 1 {
			side = market.Sell
		}
		f := market.Fill{Symbol: symA, Side: side, Qty: 10, Price: 70_000 + int64(i%50)*100, Fee: 100, Time: eq[i*9].Time}
		fills = append(fills, f)
	}
	b.ReportAllocs()
	for b.Loop() {
		Compute(eq, fills)
	}
}
