package engine

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/ta"
)

// TestOrderOfWork records what a strategy wanting every hook sees, and
// when: bars at their end time with the last price before it, fills only
// on a tick after the order, on_order after the hook that ordered.
func TestOrderOfWork(t *testing.T) {
	var log []string
	var h script.Host
	at := func(what string) {
		last, _ := h.LastPrice(sym)
		log = append(log, fmt.Sprintf("%s %s last=%d", h.Now().Format("15:04:05"), what, last))
	}
	g := goStrat{
		meta:  barMeta,
		start: func(host script.Host) error { h = host; return nil },
		tick: func(tk *market.Tick) error {
			at(fmt.Sprintf("tick %d", tk.Price))
			if tk.Price == 70_200 {
				id, err := h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: 1})
				at(fmt.Sprintf("submitted %d %v", id, err))
			}
			return nil
		},
		bar: func(b *market.Bar) error {
			at(fmt.Sprintf("bar %s close=%d", b.Start.Format("15:04"), b.Close))
			return nil
		},
		fill:  func(f *market.Fill) error { at(fmt.Sprintf("fill %d@%d", f.Qty, f.Price)); return nil },
		order: func(o *market.Order) error { at("order " + o.Status.String()); return nil },
	}
	ticks := []market.Tick{
		{Time: day1.Add(10 * time.Second), Symbol: sym, Price: 70_000, Volume: 5},
		{Time: day1.Add(50 * time.Second), Symbol: sym, Price: 70_100, Volume: 5},
		{Time: day1.Add(70 * time.Second), Symbol: sym, Price: 70_200, Volume: 5},
		{Time: day1.Add(80 * time.Second), Symbol: sym, Price: 70_300, Volume: 5},
	}
	run(t, Config{Strategies: []Spec{goSpec(g)}}, ticks)
	want := []string{
		"09:00:10 tick 70000 last=70000",
		"09:00:50 tick 70100 last=70100",
		"09:01:00 bar 09:00 close=70100 last=70100", // at its end, before the 09:01:10 tick is seen
		"09:01:10 tick 70200 last=70200",
		"09:01:10 submitted 1 <nil> last=70200",
		"09:01:10 order accepted last=70200", // after the hook returned
		"09:01:20 fill 1@70400 last=70300",   // next tick, one tick of slippage
		"09:01:20 order filled last=70300",
		"09:01:20 tick 70300 last=70300",
	}
	if !slices.Equal(log, want) {
		t.Fatalf("log:\n%q\nwant:\n%q", log, want)
	}
}

// TestIndicatorsFromHistory asks for an SMA for the first time after 30
// bars and gets a ready value at once, equal to lib/ta's over the closes;
// ctx.bars returns closed bars only, oldest first.
func TestIndicatorsFromHistory(t *testing.T) {
	var h script.Host
	var bars int
	var failures []string
	g := goStrat{
		meta:  barMeta,
		start: func(host script.Host) error { h = host; return nil },
		bar: func(b *market.Bar) error {
			bars++
			if bars < 30 {
				return nil
			}
			hist := h.Bars(sym, 10, nil)
			if len(hist) != 10 || hist[9] != *b || !hist[0].Start.Before(hist[9].Start) {
				failures = append(failures, fmt.Sprintf("bar %d: history %v ends elsewhere", bars, hist))
			}
			closes := make([]float64, 0, 10)
			for _, x := range hist {
				closes = append(closes, float64(x.Close))
			}
			sma, err := ta.SMAOf(closes, 10)
			if err != nil {
				return err
			}
			want := sma[9]
			got, ready, err := h.Indicator(sym, "sma", []float64{10}, nil)
			if err != nil || !ready || len(got) != 1 || math.Abs(got[0]-want) > 1e-9 {
				failures = append(failures, fmt.Sprintf("bar %d: sma %v ready %v err %v, want %v", bars, got, ready, err, want))
			}
			if _, _, err = h.Indicator(sym, "nosuch", nil, nil); err == nil {
				failures = append(failures, "unknown indicator accepted")
			}
			m, ready, err := h.Indicator(sym, "macd", nil, nil)
			if err != nil || len(m) != 3 || ready {
				failures = append(failures, fmt.Sprintf("macd %v ready %v err %v, want 3 outputs not ready after %d bars", m, ready, err, bars))
			}
			return nil
		},
	}
	run(t, Config{Strategies: []Spec{goSpec(g)}}, session(day1, 12*32, wave))
	if bars != 31 || len(failures) > 0 {
		t.Fatalf("%d bars; %q", bars, failures)
	}
}
