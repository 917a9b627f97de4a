package engine

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// A print that is no trade (price 0 or below, no time, no symbol) is
// skipped whole: it sets no last price and reaches no bar.
func TestInvalidTicksAreSkipped(t *testing.T) {
	var bars []market.Bar
	g := goStrat{meta: barMeta, bar: func(b *market.Bar) error { bars = append(bars, *b); return nil }}
	at := func(s int) time.Time { return day1.Add(time.Duration(s) * time.Second) }
	ticks := []market.Tick{
		{Time: at(0), Symbol: sym, Price: 70_000, Volume: 10},
		{Time: at(10), Symbol: sym, Price: 0, Volume: 5},
		{Time: at(15), Symbol: sym, Price: -70_000, Volume: 5},
		{Time: at(20), Symbol: "", Price: 69_000, Volume: 5},
		{Time: at(30), Symbol: sym, Price: 70_100, Volume: 10},
		{Time: at(60), Symbol: sym, Price: 70_000, Volume: 1}, // closes 09:00's bar
	}
	run(t, Config{Strategies: []Spec{goSpec(g)}}, ticks)
	want := market.Bar{Open: 70_000, High: 70_100, Low: 70_000, Close: 70_100, Volume: 20}
	if len(bars) != 1 {
		t.Fatalf("%d bars, want 1", len(bars))
	}
	b := bars[0]
	if b.Open != want.Open || b.High != want.High || b.Low != want.Low || b.Close != want.Close || b.Volume != want.Volume {
		t.Fatalf("bar %+v, want OHLCV %d %d %d %d %d from the valid prints only", b, want.Open, want.High, want.Low, want.Close, want.Volume)
	}
}

// A print at price 0 would mark a holding to nothing: skipped, it cannot
// make a 7,000,000-won position look lost and trip the daily-loss breaker.
func TestZeroPriceDoesNotMarkHoldings(t *testing.T) {
	var h script.Host
	var errs []error
	n := 0
	g := goStrat{meta: barMeta,
		start: func(host script.Host) error { h = host; return nil },
		tick: func(tk *market.Tick) error {
			n++
			switch n {
			case 1: // 100 × 70,000 = 7,000,000 won, over the 5,000,000 daily loss limit if marked at 0
				_, err := h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: 100})
				errs = append(errs, err)
			case 3:
				_, err := h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: 1})
				errs = append(errs, err)
			}
			return nil
		},
		fill: func(*market.Fill) error { return nil },
	}
	at := func(s int) time.Time { return day1.Add(time.Duration(s) * time.Second) }
	ticks := []market.Tick{
		{Time: at(0), Symbol: sym, Price: 70_000, Volume: 1000},
		{Time: at(5), Symbol: sym, Price: 70_000, Volume: 1000}, // the buy fills
		{Time: at(10), Symbol: sym, Price: 0, Volume: 5},
		{Time: at(20), Symbol: sym, Price: 70_000, Volume: 1000},
	}
	r := run(t, Config{Strategies: []Spec{goSpec(g)}}, ticks)[0]
	if len(errs) != 2 || errs[0] != nil || errs[1] != nil {
		t.Fatalf("orders: %v; want both admitted (a print at 0 marked the holding to nothing?)", errs)
	}
	if len(r.Fills) == 0 || r.Fills[0].Qty != 100 {
		t.Fatalf("fills %+v, want the 100-share buy", r.Fills)
	}
}
