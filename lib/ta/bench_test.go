package ta

import (
	"fmt"
	"math"
	"testing"
)

// BenchmarkUpdate measures one UpdateBar plus reading every output, per
// indicator, over the Samsung Electronics bars (cycled). Each must report
// 0 allocs/op.
func BenchmarkUpdate(b *testing.B) {
	bars := loadTable(b, "005930.talib.csv").bars
	for _, bc := range []struct {
		name   string
		params []float64
	}{
		{"sma", []float64{20}}, {"ema", []float64{20}}, {"wma", []float64{20}}, {"rsi", []float64{14}},
		{"macd", nil}, {"bbands", []float64{20, 2}}, {"atr", []float64{14}}, {"stoch", nil},
		{"stochf", nil}, {"vwap", nil}, {"vwap", []float64{20}}, {"obv", nil}, {"stddev", []float64{20}},
		{"roc", []float64{10}}, {"highest", []float64{20}}, {"lowest", []float64{20}},
	} {
		ind, err := New(bc.name, bc.params)
		if err != nil {
			b.Fatal(err)
		}
		m, isMulti := ind.(Multi)
		name := bc.name
		if len(bc.params) > 0 {
			name += fmt.Sprint(bc.params)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var sink float64
			i := 0
			for b.Loop() {
				ind.UpdateBar(bars[i])
				if isMulti {
					for j := range m.Outputs() {
						sink += m.Output(j)
					}
				} else {
					sink += ind.Value()
				}
				if i++; i == len(bars) {
					i = 0
				}
			}
			if math.IsInf(sink, 0) {
				b.Log(sink)
			}
		})
	}
}

// BenchmarkCrossover is the cost of one crossover test.
func BenchmarkCrossover(b *testing.B) {
	b.ReportAllocs()
	v := loadTable(b, "005930.talib.csv").closes()
	n, i := 0, 1
	for b.Loop() {
		if Crossover(v[i-1], 24000, v[i], 24000) {
			n++
		}
		if i++; i == len(v) {
			i = 1
		}
	}
	_ = n
}
