package ta

import "math"

// SMA is the simple moving average of the last n values (TA-Lib SMA),
// first defined at index n-1. Its sum is drift-free: see window.
type SMA struct{ w window }

// NewSMA returns an SMA over n values, 2 ≤ n ≤ 100000 (TA-Lib's range).
func NewSMA(n int) (*SMA, error) {
	if err := checkPeriod("sma", "period", n, 2); err != nil {
		return nil, err
	}
	return &SMA{w: newWindow(n)}, nil
}

// Update feeds the next value.
func (s *SMA) Update(v float64) { s.w.push(v) }

// UpdateBar feeds b.Close.
func (s *SMA) UpdateBar(b Bar) { s.w.push(b.Close) }

// Ready reports whether n values have been seen.
func (s *SMA) Ready() bool { return s.w.full() }

// Value is the mean of the last n values; NaN until Ready.
func (s *SMA) Value() float64 {
	if !s.w.full() {
		return math.NaN()
	}
	return s.w.mean()
}

// Reset forgets all input.
func (s *SMA) Reset() { s.w.reset() }
