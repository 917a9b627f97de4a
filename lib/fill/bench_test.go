package fill

import (
	"fmt"
	"testing"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// BenchmarkOnTickNoFill is the per-print cost when nothing fills: resting
// limit buys far below a market printing at 70,000.
func BenchmarkOnTickNoFill(b *testing.B) {
	for _, n := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			m := New(DefaultConfig())
			for i := range n {
				o := market.Order{ID: int64(i + 1), Symbol: sym, Side: market.Buy, Type: market.LimitOrder,
					Qty: 10, Price: 60_000, Status: market.OrderNew}
				if err := m.Submit(o, t0); err != nil {
					b.Fatal(err)
				}
			}
			tk := market.Tick{Time: t0.Add(sec), Symbol: sym, Price: 70_000, Volume: 100}
			dst := make([]market.Fill, 0, 8)
			b.ReportAllocs()
			for b.Loop() {
				dst = m.OnTick(&tk, dst[:0])
			}
			if len(dst) != 0 || m.Open() != n {
				b.Fatalf("%d fills, %d open", len(dst), m.Open())
			}
		})
	}
}

// BenchmarkSubmitAndFill is one market order submitted and filled by the next
// print, with fees, reusing the fill buffer.
func BenchmarkSubmitAndFill(b *testing.B) {
	m := New(Config{SlippageTicks: 1, CapToVolume: true, Fees: krx.DefaultTariff()})
	o := market.Order{Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: 10, Status: market.OrderNew}
	tk := market.Tick{Time: t0.Add(sec), Symbol: sym, Price: 70_000, Volume: 100}
	dst := make([]market.Fill, 0, 8)
	b.ReportAllocs()
	for b.Loop() {
		o.ID++
		if err := m.Submit(o, t0); err != nil {
			b.Fatal(err)
		}
		dst = m.OnTick(&tk, dst[:0])
	}
	if len(dst) != 1 || m.Open() != 0 {
		b.Fatalf("%d fills, %d open", len(dst), m.Open())
	}
}
