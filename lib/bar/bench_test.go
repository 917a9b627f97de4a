package bar

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// session returns n ticks spread over a trading day, a few per second,
// with prices walking on the 100-won grid.
func session(n int) []market.Tick {
	ticks := make([]market.Tick, n)
	at := kst(9, 0, 0, 0)
	price := int64(70000)
	for i := range ticks {
		at = at.Add(time.Duration(150+i%700) * time.Millisecond)
		price += int64(i%7-3) * 100
		ticks[i] = market.Tick{Time: at, Symbol: sym, Price: price, Volume: int64(1 + i%50), Seq: int64(i + 1)}
	}
	return ticks
}

func BenchmarkAdd(b *testing.B) {
	for _, tf := range []market.Timeframe{market.Sec1, market.Min1, market.Day1} {
		b.Run(tf.String(), func(b *testing.B) {
			ticks := session(1 << 16)
			bl := NewBuilder(sym, tf)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i == len(ticks) {
					i = 0
					bl = NewBuilder(sym, tf)
				}
				bl.Add(&ticks[i])
				i++
			}
		})
	}
}

func BenchmarkAdvance(b *testing.B) {
	bl := NewBuilder(sym, market.Min1)
	now := kst(9, 0, 0, 0)
	tk := tick(now, 100, 1)
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Second)
		tk.Time = now
		bl.Add(&tk)
		bl.Advance(now)
	}
}
