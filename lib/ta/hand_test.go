package ta

import (
	"math"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// checkSeries compares got with want step by step: NaN in want (nan in
// the tables) means "not defined", anything else must agree within 1e-12 relative error.
func checkSeries(t *testing.T, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if relErr(got[i], want[i]) > 1e-12 {
			t.Errorf("step %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestHandComputedValues(t *testing.T) {
	nan := math.NaN() // not defined yet
	must := func(v []float64, err error) []float64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	sd := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	for _, tc := range []struct {
		name      string
		got, want []float64
	}{
		// (1·1+2·2+3·3)/6, (2+2·3+3·4)/6, …
		{"wma3", must(WMAOf([]float64{1, 2, 3, 4, 5, 10}, 3)),
			[]float64{nan, nan, 14.0 / 6, 20.0 / 6, 26.0 / 6, 44.0 / 6}},
		// The textbook population σ of these eight values is 2.
		{"stddev8", must(StdDevOf(sd, 8, 1)), []float64{nan, nan, nan, nan, nan, nan, nan, 2}},
		// Windows of 4: [2 4 4 4] mean 3.5, Σd² 3; [4 4 4 5] 0.75; [4 4 5 5] 1;
		// [4 5 5 7] 4.75; [5 5 7 9] 11; all over 4, times nbdev 2.
		{"stddev4x2", must(StdDevOf(sd, 4, 2)), []float64{nan, nan, nan,
			2 * math.Sqrt(0.75), 2 * math.Sqrt(0.1875), 2 * math.Sqrt(0.25),
			2 * math.Sqrt(1.1875), 2 * math.Sqrt(2.75)}},
		{"stddev flat is 0", must(StdDevOf([]float64{7, 7, 7}, 2, 1)), []float64{nan, 0, 0}},
		// (110/100−1)·100, (0/50−1)·100, (55/110−1)·100, then an old value of 0 gives 0.
		{"roc2", must(ROCOf([]float64{100, 50, 110, 0, 55, 60}, 2)),
			[]float64{nan, nan, 10, -100, -50, 0}},
		{"highest3", must(HighestOf([]float64{1, 3, 2, 2, 1, 0, 5}, 3)),
			[]float64{nan, nan, 3, 3, 2, 2, 5}},
		{"lowest3", must(LowestOf([]float64{1, 3, 2, 2, 1, 0, 5}, 3)),
			[]float64{nan, nan, 1, 2, 1, 0, 0}},
		{"rsi flat is 0", must(RSIOf([]float64{5, 5, 5, 5}, 3)), []float64{nan, nan, nan, 0}},
		{"rsi only gains is 100", must(RSIOf([]float64{1, 2, 3, 4}, 3)), []float64{nan, nan, nan, 100}},
		{"sma3", must(SMAOf([]float64{1, 2, 3, 4}, 3)), []float64{nan, nan, 2, 3}},
		// Seed = mean(1,2,3) = 2, then (4−2)·0.5+2 = 3, (0−3)·0.5+3 = 1.5.
		{"ema3", must(EMAOf([]float64{1, 2, 3, 4, 0}, 3)), []float64{nan, nan, 2, 3, 1.5}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkSeries(t, tc.got, tc.want) })
	}
}

func TestBarIndicatorsByHand(t *testing.T) {
	nan := math.NaN() // not defined yet
	obvBars := []Bar{{Close: 10, Volume: 100}, {Close: 11, Volume: 200}, {Close: 11, Volume: 300},
		{Close: 9, Volume: 400}, {Close: 12, Volume: 500}}
	// TA-Lib starts at the first volume; equal closes leave OBV unchanged.
	checkSeries(t, OBVOf(obvBars), []float64{100, 300, 300, -100, 400})

	// Highs 5 9 7 6 8 and lows 1 4 2 3 5 over 2 bars; the closes (all 4) never count.
	hl := []Bar{{High: 5, Low: 1, Close: 4}, {High: 9, Low: 4, Close: 4}, {High: 7, Low: 2, Close: 4},
		{High: 6, Low: 3, Close: 4}, {High: 8, Low: 5, Close: 4}}
	hh, err := HighestHighOf(hl, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, hh, []float64{nan, 9, 9, 7, 8})
	ll, err := LowestLowOf(hl, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, ll, []float64{nan, 1, 2, 2, 3})

	// Typical prices 10, 12, 20: (10·100+12·300)/400 = 11.5; a zero-volume
	// bar changes nothing.
	vw := []Bar{{High: 12, Low: 8, Close: 10, Volume: 100}, {High: 15, Low: 9, Close: 12, Volume: 300},
		{High: 20, Low: 20, Close: 20, Volume: 0}, {High: 22, Low: 18, Close: 20, Volume: 100}}
	cum, err := VWAPOf(vw, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, cum, []float64{10, 11.5, 11.5, (1000 + 3600 + 2000) / 500.0})
	roll, err := VWAPOf(vw, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, roll, []float64{nan, 11.5, 12, 20})

	// TR: 4; max(6, |10−15|, |10−9|) = 6; max(2, |12−20|, |12−18|) = 8.
	// ATR(2) seed (6+8)/2 = 7, then (7·1 + TR)/2 with TR = max(1, 9, 8) = 9 → 8.
	atrBars := []Bar{{High: 12, Low: 8, Close: 10}, {High: 15, Low: 9, Close: 12},
		{High: 20, Low: 18, Close: 19}, {High: 11, Low: 10, Close: 10}}
	atr, err := ATROf(atrBars, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, atr, []float64{nan, nan, 7, 8})
}

func TestVWAPSessionReset(t *testing.T) {
	v, err := NewVWAP(0)
	if err != nil {
		t.Fatal(err)
	}
	v.UpdateBar(Bar{High: 12, Low: 8, Close: 10, Volume: 100})
	v.Reset() // a new session
	if v.Ready() || !math.IsNaN(v.Value()) {
		t.Fatalf("after Reset: Ready %v, Value %v; want not ready, NaN", v.Ready(), v.Value())
	}
	v.UpdateBar(Bar{High: 30, Low: 30, Close: 30, Volume: 0})
	if v.Ready() {
		t.Fatal("ready with no volume traded")
	}
	v.UpdateBar(Bar{High: 33, Low: 27, Close: 30, Volume: 10})
	if got := v.Value(); got != 30 {
		t.Fatalf("first bar of the new session: VWAP %v, want 30 (the old session must not count)", got)
	}
}

func TestStochFlatRangeIsZero(t *testing.T) {
	nan := math.NaN() // not defined yet
	bars := make([]Bar, 6)
	for i := range bars {
		bars[i] = Bar{High: 50, Low: 50, Close: 50}
	}
	k, d, err := StochOf(bars, 2, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkSeries(t, k, []float64{nan, nan, nan, 0, 0, 0})
	checkSeries(t, d, []float64{nan, nan, nan, 0, 0, 0})
}

func TestCrossovers(t *testing.T) {
	nan := math.NaN() // not defined yet
	a := []float64{1, 2, 3, 2, 1, nan, 3}
	b := []float64{2, 2, 2, 2, 2, 2, 2}
	over, under := CrossoversOf(a, b), CrossundersOf(a, b)
	// Touching (2 = 2) then rising above counts; NaN never crosses.
	wantOver := []bool{false, false, true, false, false, false, false}
	wantUnder := []bool{false, false, false, false, true, false, false}
	for i := range a {
		if over[i] != wantOver[i] || under[i] != wantUnder[i] {
			t.Errorf("step %d: over %v under %v, want %v %v", i, over[i], under[i], wantOver[i], wantUnder[i])
		}
	}
	if !Crossover(1, 1, 1.5, 1) || Crossover(2, 1, 3, 1) || !Crossunder(1, 1, 0.5, 1) || Crossunder(0, 1, 0, 2) {
		t.Error("Crossover/Crossunder disagree with their definitions")
	}
}

func TestFromBar(t *testing.T) {
	got := FromBar(market.Bar{Symbol: "005930", Open: 71000, High: 72500, Low: 70900, Close: 72000, Volume: 12345678})
	want := Bar{Open: 71000, High: 72500, Low: 70900, Close: 72000, Volume: 12345678}
	if got != want {
		t.Fatalf("FromBar = %+v, want %+v", got, want)
	}
}
