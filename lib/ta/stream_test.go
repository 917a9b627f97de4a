package ta

import (
	"math"
	"testing"
)

// batchDefaults computes each named indicator with the batch helpers and
// the documented default parameters, spelled out.
func batchDefaults(t *testing.T, name string, tb table) [][]float64 {
	t.Helper()
	c, bars := tb.closes(), tb.bars
	var out [][]float64
	var err error
	one := func(v []float64, e error) { out, err = [][]float64{v}, e }
	switch name {
	case "sma":
		one(SMAOf(c, 30))
	case "ema":
		one(EMAOf(c, 30))
	case "wma":
		one(WMAOf(c, 30))
	case "rsi":
		one(RSIOf(c, 14))
	case "atr":
		one(ATROf(bars, 14))
	case "roc":
		one(ROCOf(c, 10))
	case "highest":
		one(HighestHighOf(bars, 30))
	case "lowest":
		one(LowestLowOf(bars, 30))
	case "max":
		one(HighestOf(c, 30))
	case "min":
		one(LowestOf(c, 30))
	case "stddev":
		one(StdDevOf(c, 5, 1))
	case "vwap":
		one(VWAPOf(bars, 0))
	case "obv":
		one(OBVOf(bars), nil)
	case "macd":
		m, s, h, e := MACDOf(c, 12, 26, 9)
		out, err = [][]float64{m, s, h}, e
	case "bbands":
		u, m, l, e := BBandsOf(c, 20, 2, 2)
		out, err = [][]float64{u, m, l}, e
	case "stoch":
		k, d, e := StochOf(bars, 14, 3, 3)
		out, err = [][]float64{k, d}, e
	case "stochf":
		k, d, e := StochFOf(bars, 14, 3)
		out, err = [][]float64{k, d}, e
	default:
		t.Fatalf("no batch helper for %q", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// stream feeds bars one at a time (through Update for value indicators
// when byValue is set) and records every output after each.
func stream(ind Indicator, bars []Bar, nout int, byValue bool) [][]float64 {
	out := make([][]float64, nout)
	for _, b := range bars {
		if v, ok := ind.(ValueIndicator); ok && byValue {
			v.Update(b.Close)
		} else {
			ind.UpdateBar(b)
		}
		for j := range out {
			out[j] = append(out[j], output(ind, j))
		}
	}
	return out
}

// TestStreamingMatchesBatch: an indicator made by New and fed bar by bar,
// as the host does, gives bit for bit the batch helpers' results with the
// documented defaults; so does feeding plain closes; and after Reset the
// same indicator replays the same series (nothing survives Reset).
func TestStreamingMatchesBatch(t *testing.T) {
	tb := loadTable(t, "005930.talib.csv")
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			want := batchDefaults(t, name, tb)
			ind, err := New(name, nil)
			if err != nil {
				t.Fatal(err)
			}
			runs := map[string][][]float64{"UpdateBar": stream(ind, tb.bars, len(want), false)}
			ind.Reset()
			runs["Update after Reset"] = stream(ind, tb.bars, len(want), true)
			for run, got := range runs {
				for j := range want {
					for i := range want[j] {
						g, w := got[j][i], want[j][i]
						if g != w && !(math.IsNaN(g) && math.IsNaN(w)) {
							t.Fatalf("%s: output %d row %d: streaming %v, batch %v", run, j, i, g, w)
						}
					}
				}
			}
		})
	}
}
