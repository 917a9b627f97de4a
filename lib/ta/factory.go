package ta

import (
	"fmt"
	"math"
	"strings"
)

// param describes one positional parameter of New.
type param struct {
	name  string
	def   float64 // used when omitted; NaN: see the indicator's builder
	whole bool    // a period: must be a whole number
}

// spec is what New knows about one indicator name.
type spec struct {
	params []param
	build  func(p []float64) (Indicator, error)
}

func period(name string, def float64) param { return param{name: name, def: def, whole: true} }

// lookup returns the spec for name.
func lookup(name string) (spec, bool) {
	if sp, ok := closeSpec(name); ok {
		return sp, true
	}
	return otherSpec(name)
}

// closeSpec covers the moving averages, RSI, MACD, Bollinger Bands, ATR and
// the stochastics. All defaults (here and in otherSpec) are TA-Lib's, except
// bbands (20, 2: TA-Lib's default period is 5) and the fast-%K period of
// stoch and stochf (14: TA-Lib's is 5), which follow the settings traders
// and qb's reference data use.
func closeSpec(name string) (spec, bool) {
	switch name {
	case "sma":
		return spec{[]param{period("period", 30)}, func(p []float64) (Indicator, error) { return NewSMA(int(p[0])) }}, true
	case "ema":
		return spec{[]param{period("period", 30)}, func(p []float64) (Indicator, error) { return NewEMA(int(p[0])) }}, true
	case "wma":
		return spec{[]param{period("period", 30)}, func(p []float64) (Indicator, error) { return NewWMA(int(p[0])) }}, true
	case "rsi":
		return spec{[]param{period("period", 14)}, func(p []float64) (Indicator, error) { return NewRSI(int(p[0])) }}, true
	case "macd":
		return spec{[]param{period("fast", 12), period("slow", 26), period("signal", 9)},
			func(p []float64) (Indicator, error) { return NewMACD(int(p[0]), int(p[1]), int(p[2])) }}, true
	case "bbands":
		// nbdevdn defaults to nbdevup, so bbands(n, k) is symmetric.
		return spec{[]param{period("period", 20), {name: "nbdevup", def: 2}, {name: "nbdevdn", def: math.NaN()}},
			func(p []float64) (Indicator, error) {
				if math.IsNaN(p[2]) {
					p[2] = p[1]
				}
				return NewBBands(int(p[0]), p[1], p[2])
			}}, true
	case "atr":
		return spec{[]param{period("period", 14)}, func(p []float64) (Indicator, error) { return NewATR(int(p[0])) }}, true
	case "stoch":
		return spec{[]param{period("fastk", 14), period("slowk", 3), period("slowd", 3)},
			func(p []float64) (Indicator, error) { return NewStoch(int(p[0]), int(p[1]), int(p[2])) }}, true
	case "stochf":
		return spec{[]param{period("fastk", 14), period("fastd", 3)},
			func(p []float64) (Indicator, error) { return NewStochF(int(p[0]), int(p[1])) }}, true
	}
	return spec{}, false
}

// otherSpec covers VWAP, OBV, STDDEV, ROC and the extremes: highest and
// lowest over highs and lows (TA-Lib MAX(high), MIN(low)), max and min over
// closes.
func otherSpec(name string) (spec, bool) {
	switch name {
	case "vwap":
		return spec{[]param{period("period", 0)}, func(p []float64) (Indicator, error) { return NewVWAP(int(p[0])) }}, true
	case "obv":
		return spec{nil, func([]float64) (Indicator, error) { return NewOBV(), nil }}, true
	case "stddev":
		return spec{[]param{period("period", 5), {name: "nbdev", def: 1}},
			func(p []float64) (Indicator, error) { return NewStdDev(int(p[0]), p[1]) }}, true
	case "roc":
		return spec{[]param{period("period", 10)}, func(p []float64) (Indicator, error) { return NewROC(int(p[0])) }}, true
	case "highest": // of highs, as traders mean it; max is of closes
		return spec{[]param{period("period", 30)}, func(p []float64) (Indicator, error) { return NewHighestHigh(int(p[0])) }}, true
	case "lowest":
		return spec{[]param{period("period", 30)}, func(p []float64) (Indicator, error) { return NewLowestLow(int(p[0])) }}, true
	case "max":
		return spec{[]param{period("period", 30)}, func(p []float64) (Indicator, error) { return NewHighest(int(p[0])) }}, true
	case "min":
		return spec{[]param{period("period", 30)}, func(p []float64) (Indicator, error) { return NewLowest(int(p[0])) }}, true
	}
	return spec{}, false
}

// Names lists the names New accepts, sorted.
func Names() []string {
	return []string{"atr", "bbands", "ema", "highest", "lowest", "macd", "max", "min", "obv", "roc",
		"rsi", "sma", "stddev", "stoch", "stochf", "vwap", "wma"}
}

// New builds an indicator by name (see Names) from positional parameters,
// as a strategy script names them; omitted trailing parameters take their
// defaults:
//
//	sma, ema, wma (period 30)    rsi, atr (period 14)    roc (period 10)
//	highest, lowest (period 30: highest high, lowest low)
//	max, min (period 30: of closes)    stddev (period 5, nbdev 1)
//	macd (fast 12, slow 26, signal 9)
//	bbands (period 20, nbdevup 2, nbdevdn = nbdevup)
//	stoch (fastk 14, slowk 3, slowd 3)    stochf (fastk 14, fastd 3)
//	vwap (period 0 = cumulative until Reset)    obv (none)
//
// A bad parameter gives a *ParamError naming it; an unknown name wraps
// ErrUnknown. Indicators over closes also implement ValueIndicator;
// macd, bbands, stoch and stochf implement Multi.
func New(name string, params []float64) (Indicator, error) {
	sp, ok := lookup(name)
	if !ok {
		return nil, fmt.Errorf("ta: new %q (known: %s): %w", name, strings.Join(Names(), ", "), ErrUnknown)
	}
	if len(params) > len(sp.params) {
		return nil, &ParamError{Indicator: name, Param: fmt.Sprintf("parameter %d", len(sp.params)+1),
			Value: params[len(sp.params)], Msg: fmt.Sprintf("%s takes %d parameter(s)", name, len(sp.params))}
	}
	p := make([]float64, len(sp.params))
	for i, d := range sp.params {
		if i >= len(params) {
			p[i] = d.def
			continue
		}
		if err := checkParam(name, d, params[i]); err != nil {
			return nil, err
		}
		p[i] = params[i]
	}
	return sp.build(p)
}

func checkParam(ind string, d param, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return &ParamError{Indicator: ind, Param: d.name, Value: v, Msg: "must be a finite number"}
	}
	if d.whole && (v != math.Trunc(v) || math.Abs(v) > 1e9) {
		return &ParamError{Indicator: ind, Param: d.name, Value: v,
			Msg: fmt.Sprintf("must be a whole number of bars up to %d", maxPeriod)}
	}
	return nil
}
