package engine

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/ta"
	"github.com/qbtrading/qb/lib/tape"
)

// dailyBars reads the Samsung Electronics daily bars the lib/ta parity
// tests use (976 bars, 2016-2019).
func dailyBars(t testing.TB) []market.Bar {
	t.Helper()
	const path = "../../testdata/krx/daily/005930.csv"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bars, err := tape.ReadBars(f, path, tape.Options{Symbol: sym})
	if err != nil {
		t.Fatal(err)
	}
	return bars
}

// dailyTicks stands four ticks for each daily bar, open, high, low, close
// inside its KST session, so the engine's daily bars are the file's.
func dailyTicks(bars []market.Bar) []market.Tick {
	at := [4]time.Duration{9 * time.Hour, 10 * time.Hour, 11 * time.Hour, 15 * time.Hour}
	out := make([]market.Tick, 0, 4*len(bars))
	for _, b := range bars {
		y, m, d := b.Start.In(market.Seoul).Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, market.Seoul)
		for i, p := range [4]int64{b.Open, b.High, b.Low, b.Close} {
			out = append(out, market.Tick{Time: day.Add(at[i]), Symbol: b.Symbol, Price: p,
				Volume: b.Volume / 4, Seq: int64(len(out) + 1)})
		}
	}
	return out
}

// window is the extreme (pick) of v over the n values ending at each
// index, NaN before the first full window: TA-Lib MAX/MIN, written out.
func window(v []float64, n int, pick func(a, b float64) float64) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = math.NaN()
		if i+1 < n {
			continue
		}
		out[i] = v[i]
		for _, x := range v[i+1-n : i] {
			out[i] = pick(out[i], x)
		}
	}
	return out
}

// historyCase is an indicator a strategy asks for and its outputs over
// the whole series, computed apart from the engine.
type historyCase struct {
	name   string
	params []float64
	want   func(bars []ta.Bar, closes, highs, lows []float64) ([][]float64, error)
}

func one(v []float64, err error) ([][]float64, error) { return [][]float64{v}, err }

var historyCases = []historyCase{
	{"ema", []float64{200}, func(_ []ta.Bar, c, _, _ []float64) ([][]float64, error) { return one(ta.EMAOf(c, 200)) }},
	{"sma", []float64{50}, func(_ []ta.Bar, c, _, _ []float64) ([][]float64, error) { return one(ta.SMAOf(c, 50)) }},
	{"rsi", []float64{14}, func(_ []ta.Bar, c, _, _ []float64) ([][]float64, error) { return one(ta.RSIOf(c, 14)) }},
	{"macd", nil, func(_ []ta.Bar, c, _, _ []float64) ([][]float64, error) {
		m, s, h, err := ta.MACDOf(c, 12, 26, 9)
		return [][]float64{m, s, h}, err
	}},
	{"bbands", []float64{20, 2}, func(_ []ta.Bar, c, _, _ []float64) ([][]float64, error) {
		u, m, l, err := ta.BBandsOf(c, 20, 2, 2)
		return [][]float64{u, m, l}, err
	}},
	{"atr", []float64{14}, func(b []ta.Bar, _, _, _ []float64) ([][]float64, error) { return one(ta.ATROf(b, 14)) }},
	{"stoch", nil, func(b []ta.Bar, _, _, _ []float64) ([][]float64, error) {
		k, d, err := ta.StochOf(b, 14, 3, 3)
		return [][]float64{k, d}, err
	}},
	// The extremes, by hand: the highest high and lowest low (ctx.highest,
	// ctx.lowest), and the same over closes (max, min).
	{"highest", []float64{20}, func(_ []ta.Bar, _, h, _ []float64) ([][]float64, error) {
		return [][]float64{window(h, 20, math.Max)}, nil
	}},
	{"lowest", []float64{20}, func(_ []ta.Bar, _, _, l []float64) ([][]float64, error) {
		return [][]float64{window(l, 20, math.Min)}, nil
	}},
	{"max", []float64{250}, func(_ []ta.Bar, c, _, _ []float64) ([][]float64, error) {
		return [][]float64{window(c, 250, math.Max)}, nil
	}},
	{"min", []float64{250}, func(_ []ta.Bar, c, _, _ []float64) ([][]float64, error) {
		return [][]float64{window(c, 250, math.Min)}, nil
	}},
}

// asker is a Go strategy that asks for every history case at each bar
// from bar `from` on (0 is the first) and records the outputs, NaN where
// the host answered not ready.
func asker(name string, from int, got [][][]float64) Spec {
	meta := script.Meta{Name: name, Symbols: []market.Symbol{sym}, Timeframe: market.Day1}
	var h script.Host
	n := 0
	return goSpec(goStrat{
		meta:  meta,
		start: func(host script.Host) error { h = host; return nil },
		bar: func(*market.Bar) error {
			defer func() { n++ }()
			if n < from {
				return nil
			}
			for i, c := range historyCases {
				out, ready, err := h.Indicator(sym, c.name, c.params, nil)
				if err != nil {
					return err
				}
				vals := make([]float64, len(out))
				for j, v := range out {
					vals[j] = v
					if !ready {
						vals[j] = math.NaN()
					}
				}
				got[i] = append(got[i], vals)
			}
			return nil
		},
	})
}

// TestIndicatorsOverWholeHistory runs strategy A, asking for each
// indicator from the first bar, beside B, asking first at bar 600 (more
// bars than the host used to keep). Both must see TA-Lib's values over
// every bar of the series, and B the same values with or without A.
func TestIndicatorsOverWholeHistory(t *testing.T) {
	bars := dailyBars(t)
	if len(bars) < 900 {
		t.Fatalf("%d bars, want the whole file", len(bars))
	}
	in := make([]ta.Bar, len(bars))
	var closes, highs, lows []float64
	for i, b := range bars {
		in[i] = ta.FromBar(b)
		closes, highs, lows = append(closes, in[i].Close), append(highs, in[i].High), append(lows, in[i].Low)
	}
	want := make([][][]float64, len(historyCases))
	for i, c := range historyCases {
		w, err := c.want(in, closes, highs, lows)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = w
	}
	const late = 600
	ticks := dailyTicks(bars)
	newGot := func() [][][]float64 { return make([][][]float64, len(historyCases)) }
	gotA, gotB := newGot(), newGot()
	run(t, Config{Strategies: []Spec{asker("a", 0, gotA), asker("b", late, gotB)}}, ticks)
	alone := newGot()
	run(t, Config{Strategies: []Spec{asker("b", late, alone)}}, ticks)

	for i, c := range historyCases {
		t.Run(fmt.Sprintf("%s%v", c.name, c.params), func(t *testing.T) {
			if len(gotA[i]) != len(bars)-1 { // the last bar never closes
				t.Fatalf("a saw %d bars, want %d", len(gotA[i]), len(bars)-1)
			}
			checkHistory(t, "a", gotA[i], want[i], 0)
			checkHistory(t, "b", gotB[i], want[i], late)
			for k := range gotB[i] {
				for j := range gotB[i][k] {
					if x, y := gotB[i][k][j], alone[i][k][j]; x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
						t.Fatalf("b at bar %d output %d: %v beside a, %v alone", late+k, j, x, y)
					}
				}
			}
		})
	}
}

// checkHistory compares what a strategy recorded from bar `from` on with
// the reference: within 1e-9 relative where it has a value, NaN where not.
func checkHistory(t *testing.T, who string, got [][]float64, want [][]float64, from int) {
	t.Helper()
	for k, vals := range got {
		bar := from + k
		if len(vals) != len(want) {
			t.Fatalf("%s at bar %d: %d outputs, want %d", who, bar, len(vals), len(want))
		}
		for j, v := range vals {
			w := want[j][bar]
			if math.IsNaN(v) != math.IsNaN(w) || (!math.IsNaN(w) && math.Abs(v-w) > 1e-9*math.Abs(w)) {
				t.Fatalf("%s at bar %d output %d: %v, want %v (relative error %.3g)",
					who, bar, j, v, w, math.Abs(v-w)/math.Abs(w))
			}
		}
	}
}

// TestSeriesKeepsBarsUpToCap pushes bars into series of several caps:
// the ring grows as bars come, keeps the newest `max` oldest first, and
// counts those it dropped.
func TestSeriesKeepsBarsUpToCap(t *testing.T) {
	for _, tc := range []struct{ max, push int }{
		{1, 3}, {10, 5}, {firstRing, firstRing}, {firstRing + 1, 3 * firstRing},
		{1000, 999}, {1000, 1000}, {1000, 2500}, {DefaultHistory, 5 * firstRing},
	} {
		t.Run(fmt.Sprintf("%d-of-%d", tc.push, tc.max), func(t *testing.T) {
			sr := newSeries(sym, market.Day1, tc.max)
			for i := range tc.push {
				sr.push(&market.Bar{Close: int64(i)})
			}
			kept := min(tc.push, tc.max)
			if sr.n != kept || sr.dropped != int64(tc.push-kept) || len(sr.ring) > tc.max {
				t.Fatalf("kept %d, dropped %d, ring %d; want %d, %d, at most %d",
					sr.n, sr.dropped, len(sr.ring), kept, tc.push-kept, tc.max)
			}
			got := sr.last(tc.push, nil)
			for i, b := range got {
				if want := int64(tc.push - kept + i); b.Close != want {
					t.Fatalf("bar %d is %d, want %d", i, b.Close, want)
				}
			}
		})
	}
}

// extremes checks ctx.highest and ctx.lowest (of highs and lows) and
// ctx.indicator "max" and "min" (of closes) against its own loop over
// ctx.bars, at every bar.
const extremes = `
local s = { name = "extremes", symbols = { "005930" }, timeframe = "1d" }
local checked, bad = 0, {}
function s.on_bar(ctx, bar)
  local bars = ctx.bars("005930", 20)
  if #bars < 20 then
    if ctx.highest("005930", 20) ~= nil then bad[#bad + 1] = "ready early" end
    return
  end
  local hi, lo, mx, mn = 0, 1e18, 0, 1e18
  for _, b in ipairs(bars) do
    hi, lo = math.max(hi, b.high), math.min(lo, b.low)
    mx, mn = math.max(mx, b.close), math.min(mn, b.close)
  end
  local got = { ctx.highest("005930", 20), ctx.lowest("005930", 20),
    ctx.indicator("max", "005930", 20), ctx.indicator("min", "005930", 20) }
  local want = { hi, lo, mx, mn }
  for i = 1, 4 do
    if got[i] ~= want[i] then bad[#bad + 1] = i .. ": " .. tostring(got[i]) .. " want " .. want[i] end
  end
  checked = checked + 1
end
function s.on_stop(ctx) return { checked = checked, bad = bad } end
return s
`

// TestHighestLowestAreOfHighsAndLows holds ctx.highest and ctx.lowest to
// their documented meaning, the highest high and lowest low, with the
// close-based forms under ctx.indicator("max"/"min").
func TestHighestLowestAreOfHighsAndLows(t *testing.T) {
	bars := dailyBars(t)
	res := run(t, Config{Strategies: []Spec{luaSpec(t, "extremes.lua", extremes)}}, dailyTicks(bars))
	st, _ := res[0].State.(map[string]any)
	if st["checked"] != float64(len(bars)-20) || len(stateList(t, st, "bad")) > 0 {
		t.Fatalf("state %v, want %d bars checked and none bad", st, len(bars)-20)
	}
}
