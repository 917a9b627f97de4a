package replay

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Ties in time go by symbol, whatever the file order, then keep file and
// row order: the order a store returns the same rows in.
func TestMergeOrdersTiesBySymbolThenFileAndRow(t *testing.T) {
	at := time.Date(2024, 3, 4, 9, 0, 0, 0, market.Seoul)
	tk := func(sec int, sym market.Symbol, price int64) market.Tick {
		return market.Tick{Time: at.Add(time.Duration(sec) * time.Second), Symbol: sym, Price: price, Volume: 1}
	}
	naver := []market.Tick{tk(0, "035420", 1), tk(0, "035420", 2), tk(1, "035420", 3)}
	samsung := []market.Tick{tk(0, "005930", 4), tk(1, "005930", 5), tk(1, "005930", 6)}
	for _, tc := range []struct {
		name  string
		tapes [][]market.Tick
	}{
		{"files in symbol order", [][]market.Tick{samsung, naver}},
		{"files in reverse symbol order", [][]market.Tick{naver, samsung}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mergeTapes(tc.tapes)
			want := []int64{4, 1, 2, 5, 6, 3}
			if len(got) != len(want) {
				t.Fatalf("%d ticks, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].Price != want[i] {
					t.Fatalf("tick %d is %s price %d, want price %d (order %v)", i, got[i].Symbol, got[i].Price, want[i], prices(got))
				}
			}
		})
	}
}

func prices(ts []market.Tick) []int64 {
	out := make([]int64, len(ts))
	for i := range ts {
		out[i] = ts[i].Price
	}
	return out
}
