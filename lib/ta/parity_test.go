package ta

import (
	"math"
	"testing"
)

// TestTALibParity feeds the 976 Samsung Electronics bars to each streaming
// indicator and compares every output, row by row, with TA-Lib 0.6.0's:
// within 1e-9 relative error where TA-Lib has a value, and not Ready (all
// outputs NaN) exactly where its cell is empty.
func TestTALibParity(t *testing.T) {
	tb := loadTable(t, "005930.talib.csv")
	for _, tc := range []struct {
		name string
		new  func() (Indicator, error)
		cols []string // TA-Lib columns, in output order
	}{
		{"sma20", func() (Indicator, error) { return NewSMA(20) }, []string{"sma20"}},
		{"ema20", func() (Indicator, error) { return NewEMA(20) }, []string{"ema20"}},
		{"rsi14", func() (Indicator, error) { return NewRSI(14) }, []string{"rsi14"}},
		{"macd", func() (Indicator, error) { return NewMACD(12, 26, 9) }, []string{"macd", "macd_signal", "macd_hist"}},
		{"bbands", func() (Indicator, error) { return NewBBands(20, 2, 2) }, []string{"bb_upper", "bb_mid", "bb_lower"}},
		{"atr14", func() (Indicator, error) { return NewATR(14) }, []string{"atr14"}},
		{"stoch", func() (Indicator, error) { return NewStoch(14, 3, 3) }, []string{"stoch_k", "stoch_d"}},
		{"stochf", func() (Indicator, error) { return NewStochF(14, 3) }, []string{"stochf_k", "stochf_d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ind, err := tc.new()
			if err != nil {
				t.Fatal(err)
			}
			checkParity(t, tb, ind, tc.cols)
		})
	}
}

func checkParity(t *testing.T, tb table, ind Indicator, cols []string) {
	t.Helper()
	worst, defined := 0.0, 0
	for i, b := range tb.bars {
		ind.UpdateBar(b)
		want0 := tb.cols[cols[0]][i]
		if ind.Ready() == math.IsNaN(want0) {
			t.Fatalf("row %d: Ready() = %v, TA-Lib value %v", i, ind.Ready(), want0)
		}
		for j, col := range cols {
			got, want := output(ind, j), tb.cols[col][i]
			e := relErr(got, want)
			if e > 1e-9 {
				t.Errorf("row %d %s: got %.17g, TA-Lib %.17g (rel err %.3g)", i, col, got, want, e)
			}
			worst = max(worst, e)
		}
		if ind.Ready() {
			defined++
		}
	}
	if defined == 0 {
		t.Fatal("no defined rows compared")
	}
	t.Logf("%d defined rows, worst relative error %.3g", defined, worst)
}

// output is Output(j) of a Multi, Value of anything else.
func output(ind Indicator, j int) float64 {
	if m, ok := ind.(Multi); ok {
		return m.Output(j)
	}
	return ind.Value()
}
