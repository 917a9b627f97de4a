package ta

import "math"

// StdDev is TA-Lib's STDDEV: the population standard deviation (divide by
// n) of the last n values, times k. First defined at index n-1.
//
// TA-Lib computes E[x²]−E[x]² and reports 0 when that is below 1e-8 (its
// guard against the cancellation). qb computes the deviation in two passes,
// which is exact for a flat window, so small-scale series such as returns
// keep their true, tiny σ instead of 0.
type StdDev struct {
	w window
	k float64
}

// NewStdDev returns the standard deviation over n values (2 ≤ n ≤ 100000)
// scaled by k (TA-Lib's nbdev, default 1).
func NewStdDev(n int, k float64) (*StdDev, error) {
	if err := checkPeriod("stddev", "period", n, 2); err != nil {
		return nil, err
	}
	if err := checkFactor("stddev", "nbdev", k); err != nil {
		return nil, err
	}
	return &StdDev{w: newWindow(n), k: k}, nil
}

// Update feeds the next value.
func (s *StdDev) Update(v float64) { s.w.push(v) }

// UpdateBar feeds b.Close.
func (s *StdDev) UpdateBar(b Bar) { s.w.push(b.Close) }

// Ready reports whether n values have been seen.
func (s *StdDev) Ready() bool { return s.w.full() }

// Value is k·σ of the last n values, computed on demand in O(n); NaN until Ready.
func (s *StdDev) Value() float64 {
	if !s.w.full() {
		return math.NaN()
	}
	return s.w.sd(s.w.mean()) * s.k
}

// Reset forgets all input.
func (s *StdDev) Reset() { s.w.reset() }
