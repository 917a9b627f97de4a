package ta

import (
	"math"
	"testing"
)

// TestTALibPublished checks the values TA-Lib's own regression suite
// publishes for its 252-bar reference series, to its tolerance of 0.01.
func TestTALibPublished(t *testing.T) {
	tb := loadTable(t, "ta_sref_252.csv")
	type point struct {
		bar  int
		want []float64 // one per output
	}
	for _, tc := range []struct {
		name   string
		new    func() (Indicator, error)
		points []point
	}{
		{"SMA(30)", func() (Indicator, error) { return NewSMA(30) }, []point{
			{29, []float64{90.42}}, {30, []float64{90.21}}, {31, []float64{89.96}},
			{58, []float64{87.12}}, {250, []float64{107.95}}, {251, []float64{108.42}}}},
		{"EMA(10)", func() (Indicator, error) { return NewEMA(10) }, []point{
			{9, []float64{93.22}}, {10, []float64{93.75}}, {29, []float64{86.46}}, {251, []float64{108.97}}}},
		{"RSI(14)", func() (Indicator, error) { return NewRSI(14) }, []point{
			{14, []float64{49.14}}, {15, []float64{52.32}}, {16, []float64{46.07}}, {251, []float64{49.63}}}},
		{"MACD(12,26,9)", func() (Indicator, error) { return NewMACD(12, 26, 9) }, []point{
			{33, []float64{-1.9738, -2.7071, 0.7333}}}},
		{"BBANDS(20,2)", func() (Indicator, error) { return NewBBands(20, 2, 2) }, []point{
			{19, []float64{98.0734, 92.8910, 87.7086}}}},
		{"ATR(14)", func() (Indicator, error) { return NewATR(14) }, []point{
			{14, []float64{3.578}}, {15, []float64{3.4876}}, {16, []float64{3.55}}, {26, []float64{3.245}},
			{27, []float64{3.394}}, {28, []float64{3.413}}, {251, []float64{3.26}}}},
		{"STOCH(5,3,3)", func() (Indicator, error) { return NewStoch(5, 3, 3) }, []point{
			{8, []float64{24.0128, 36.254}}, {251, []float64{30.194, 43.69}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ind, err := tc.new()
			if err != nil {
				t.Fatal(err)
			}
			got := make([][]float64, len(tb.bars))
			for i, b := range tb.bars {
				ind.UpdateBar(b)
				for j := range tc.points[0].want {
					got[i] = append(got[i], output(ind, j))
				}
			}
			for k, p := range tc.points {
				for j, want := range p.want {
					if g := got[p.bar][j]; !(math.Abs(g-want) <= 0.01) {
						t.Errorf("bar %d output %d: got %.6f, TA-Lib publishes %v", p.bar, j, g, want)
					}
				}
				// The first published bar is the first defined one.
				if k == 0 && p.bar > 0 && !math.IsNaN(got[p.bar-1][0]) {
					t.Errorf("bar %d: defined (%v) before TA-Lib's first value", p.bar-1, got[p.bar-1][0])
				}
			}
		})
	}
}
