package engine

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// dayPath is one daily bar of sym as a replay of bar data feeds it: four
// made-up points (open, low, high, close) at 09:00, 11:10, 13:20, 15:30.
func dayPath(day time.Time, o, l, h, c int64) []market.Tick {
	from := market.BarPoint{Frame: market.Day1, Low: l, High: h}
	offsets := []time.Duration{0, 130 * time.Minute, 260 * time.Minute, 390 * time.Minute}
	var out []market.Tick
	for i, p := range []int64{o, l, h, c} {
		f := from
		f.Open = i == 0
		out = append(out, market.Tick{Time: day.Add(offsets[i]), Symbol: sym, Price: p, Volume: 100, From: f})
	}
	return out
}

// On bar data a strategy sees closed bars only: on_tick never runs on the
// made-up points, a 1-minute strategy gets no bars built from them, a daily
// one gets the day's bar whole, and each of the first two is told once.
func TestBarDataWithholdsTicksAndShortBars(t *testing.T) {
	var ticks, minuteBars int
	var dayBars []market.Bar
	tickStrat := goStrat{meta: script.Meta{Name: "ticker", Symbols: []market.Symbol{sym}, Timeframe: market.Min1},
		tick: func(*market.Tick) error { ticks++; return nil },
		bar:  func(*market.Bar) error { minuteBars++; return nil }}
	dayStrat := goStrat{meta: script.Meta{Name: "daily", Symbols: []market.Symbol{sym}, Timeframe: market.Day1},
		bar: func(b *market.Bar) error { dayBars = append(dayBars, *b); return nil }}
	var log bytes.Buffer
	tape := append(dayPath(day1, 70_000, 69_000, 71_000, 70_500), dayPath(day2, 70_500, 70_000, 72_000, 71_000)...)
	run(t, Config{Strategies: []Spec{goSpec(tickStrat), goSpec(dayStrat)}, Log: zerolog.New(&log)}, tape)
	if ticks != 0 || minuteBars != 0 {
		t.Errorf("on_tick ran %d times and %d 1-minute bars were built on daily bar data, want none", ticks, minuteBars)
	}
	if len(dayBars) != 1 {
		t.Fatalf("%d daily bars, want day 1's (day 2's is still forming)", len(dayBars))
	}
	if b := dayBars[0]; b.Open != 70_000 || b.Low != 69_000 || b.High != 71_000 || b.Close != 70_500 || b.Volume != 400 {
		t.Errorf("daily bar %+v, want 70,000 69,000 71,000 70,500 volume 400", b)
	}
	if n := strings.Count(log.String(), "the data are bars"); n != 1 {
		t.Errorf("told %d times, want once for the strategy that wants ticks:\n%s", n, log.String())
	}
}
