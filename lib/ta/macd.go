package ta

import (
	"fmt"
	"math"
)

// macdOutputs names MACD's outputs; read-only.
var macdOutputs = []string{"macd", "signal", "hist"}

// MACD is TA-Lib's moving average convergence/divergence: line = EMA(fast)
// − EMA(slow), signal = EMA(signal) of the line, hist = line − signal.
//
// TA-Lib starts the fast EMA late, so that both EMAs have their first value
// on the same bar: the fast EMA is seeded with the mean of closes
// slow−fast … slow−1 (14..25 for 12/26), not of the first fast closes. The
// line and the signal are both first defined at index slow+signal−2 (33 for
// 12/26/9); MACD is not Ready before, matching TA-Lib's output.
type MACD struct {
	fast, slow, signal EMA
	skip               int // closes the fast EMA ignores: slow − fast
	seen               int // closes seen, capped at skip
	line               float64
}

// NewMACD returns a MACD; 2 ≤ fast < slow ≤ 100000, 1 ≤ signal ≤ 100000.
func NewMACD(fast, slow, signal int) (*MACD, error) {
	if err := checkPeriod("macd", "fast", fast, 2); err != nil {
		return nil, err
	}
	if err := checkPeriod("macd", "slow", slow, 2); err != nil {
		return nil, err
	}
	if slow <= fast {
		return nil, &ParamError{Indicator: "macd", Param: "slow", Value: float64(slow),
			Msg: fmt.Sprintf("must be greater than fast (%d)", fast)}
	}
	if err := checkPeriod("macd", "signal", signal, 1); err != nil {
		return nil, err
	}
	return &MACD{fast: newEMA(fast), slow: newEMA(slow), signal: newEMA(signal), skip: slow - fast}, nil
}

// Update feeds the next close.
func (m *MACD) Update(v float64) {
	m.slow.Update(v)
	if m.seen < m.skip {
		m.seen++
	} else {
		m.fast.Update(v)
	}
	if !m.slow.Ready() {
		return
	}
	m.line = m.fast.value - m.slow.value
	m.signal.Update(m.line)
}

// UpdateBar feeds b.Close.
func (m *MACD) UpdateBar(b Bar) { m.Update(b.Close) }

// Ready reports whether the signal line is defined.
func (m *MACD) Ready() bool { return m.signal.Ready() }

// Value is the MACD line; NaN until Ready.
func (m *MACD) Value() float64 { return m.Output(0) }

// Outputs returns {"macd", "signal", "hist"}.
func (m *MACD) Outputs() []string { return macdOutputs }

// Output returns the line (0), the signal (1) or the histogram (2).
func (m *MACD) Output(i int) float64 {
	if !m.signal.Ready() {
		return math.NaN()
	}
	switch i {
	case 0:
		return m.line
	case 1:
		return m.signal.value
	case 2:
		return m.line - m.signal.value
	}
	return math.NaN()
}

// Reset forgets all input.
func (m *MACD) Reset() {
	m.fast.Reset()
	m.slow.Reset()
	m.signal.Reset()
	m.seen, m.line = 0, 0
}
