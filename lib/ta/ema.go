package ta

import "math"

// EMA is TA-Lib's exponential moving average: k = 2/(n+1), seeded with the
// mean of the first n values, so the first value is at index n-1.
type EMA struct {
	n     int
	k     float64
	count int     // values seen, capped at n
	sum   float64 // seed sum while count < n
	value float64
}

// NewEMA returns an EMA of period n, 2 ≤ n ≤ 100000.
func NewEMA(n int) (*EMA, error) {
	if err := checkPeriod("ema", "period", n, 2); err != nil {
		return nil, err
	}
	e := newEMA(n)
	return &e, nil
}

func newEMA(n int) EMA { return EMA{n: n, k: 2.0 / float64(n+1)} }

// Update feeds the next value.
func (e *EMA) Update(v float64) {
	if e.count < e.n {
		// Seed: a plain left-to-right sum, the order TA-Lib adds in.
		e.sum += v
		e.count++
		if e.count == e.n {
			e.value = e.sum / float64(e.n)
		}
		return
	}
	e.value = (v-e.value)*e.k + e.value // TA-Lib's operation order, for bit parity
}

// UpdateBar feeds b.Close.
func (e *EMA) UpdateBar(b Bar) { e.Update(b.Close) }

// Ready reports whether n values have been seen.
func (e *EMA) Ready() bool { return e.count == e.n }

// Value is the current average; NaN until Ready.
func (e *EMA) Value() float64 {
	if e.count < e.n {
		return math.NaN()
	}
	return e.value
}

// Reset forgets all input.
func (e *EMA) Reset() { *e = newEMA(e.n) }
