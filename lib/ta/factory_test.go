package ta

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestNewBuildsEveryName(t *testing.T) {
	multi := map[string]int{"macd": 3, "bbands": 3, "stoch": 2, "stochf": 2}
	barOnly := map[string]bool{"atr": true, "stoch": true, "stochf": true, "vwap": true, "obv": true,
		"highest": true, "lowest": true}
	for _, name := range Names() {
		ind, err := New(name, nil)
		if err != nil {
			t.Errorf("New(%q, nil): %v", name, err)
			continue
		}
		if ind.Ready() || !math.IsNaN(ind.Value()) {
			t.Errorf("%s: fresh indicator is Ready or has a value", name)
		}
		m, isMulti := ind.(Multi)
		if want := multi[name]; isMulti != (want > 0) || (isMulti && len(m.Outputs()) != want) {
			t.Errorf("%s: Multi %v, want %d outputs", name, isMulti, want)
		}
		if isMulti && !math.IsNaN(m.Output(len(m.Outputs()))) {
			t.Errorf("%s: Output out of range is not NaN", name)
		}
		if _, ok := ind.(ValueIndicator); ok == barOnly[name] {
			t.Errorf("%s: ValueIndicator %v, want %v", name, ok, !barOnly[name])
		}
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params []float64
		param  string // the parameter the error must name
	}{
		{"sma", []float64{1}, "period"},
		{"sma", []float64{2.5}, "period"},
		{"sma", []float64{1e12}, "period"}, // must not try to allocate it
		{"ema", []float64{math.NaN()}, "period"},
		{"sma", []float64{20, 3}, "parameter 2"},
		{"obv", []float64{1}, "parameter 1"},
		{"macd", []float64{26, 12}, "slow"},
		{"macd", []float64{12, 26, 0}, "signal"},
		{"bbands", []float64{20, math.Inf(1)}, "nbdevup"},
		{"bbands", []float64{20, 2, math.NaN()}, "nbdevdn"},
		{"stoch", []float64{14, 0}, "slowk"},
		{"stochf", []float64{0}, "fastk"},
		{"vwap", []float64{-1}, "period"},
		{"stddev", []float64{5, math.NaN()}, "nbdev"},
		{"roc", []float64{0}, "period"},
	} {
		_, err := New(tc.name, tc.params)
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != tc.param || pe.Indicator != tc.name {
			t.Errorf("New(%q, %v) = %v, want a ParamError naming %q", tc.name, tc.params, err, tc.param)
			continue
		}
		if !strings.Contains(err.Error(), tc.param) {
			t.Errorf("message %q does not name %q", err, tc.param)
		}
	}
	if _, err := New("smma", nil); !errors.Is(err, ErrUnknown) {
		t.Errorf("New(\"smma\") = %v, want ErrUnknown", err)
	}
}

func TestNewAppliesParamsAndDefaults(t *testing.T) {
	tb := loadTable(t, "005930.talib.csv")
	// bbands(20, 3): the lower multiplier defaults to the upper one.
	ind, err := New("bbands", []float64{20, 3})
	if err != nil {
		t.Fatal(err)
	}
	b := ind.(*BBands)
	for _, bar := range tb.bars[:40] {
		b.UpdateBar(bar)
	}
	up, mid, lo := b.Output(0), b.Output(1), b.Output(2)
	sd, _ := StdDevOf(tb.closes()[:40], 20, 1)
	if relErr(up-mid, 3*sd[39]) > 1e-9 || relErr(mid-lo, 3*sd[39]) > 1e-9 {
		t.Errorf("bbands(20, 3): upper−mid %v, mid−lower %v, want 3σ = %v", up-mid, mid-lo, 3*sd[39])
	}
	// A given period is used: sma(5) is ready after exactly 5 closes.
	s, _ := New("sma", []float64{5})
	for i := range 5 {
		if s.Ready() {
			t.Fatalf("sma(5) ready after %d closes", i)
		}
		s.UpdateBar(tb.bars[i])
	}
	if !s.Ready() {
		t.Fatal("sma(5) not ready after 5 closes")
	}
}
