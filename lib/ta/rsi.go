package ta

import "math"

// RSI is TA-Lib's relative strength index with Wilder smoothing (1/n):
// the average gain and loss are seeded with the means of the first n
// changes, so the first value is at index n. When both averages are zero
// (a flat series) the RSI is 0, as in TA-Lib.
type RSI struct {
	n          int
	count      int // values seen, capped at n+1
	prev       float64
	gain, loss float64
}

// NewRSI returns an RSI of period n, 2 ≤ n ≤ 100000.
func NewRSI(n int) (*RSI, error) {
	if err := checkPeriod("rsi", "period", n, 2); err != nil {
		return nil, err
	}
	return &RSI{n: n}, nil
}

// Update feeds the next value.
func (r *RSI) Update(v float64) {
	if r.count == 0 {
		r.prev, r.count = v, 1
		return
	}
	d := v - r.prev
	r.prev = v
	n := float64(r.n)
	if r.count <= r.n { // seeding: sum the first n changes
		r.addChange(d)
		r.count++
		if r.count > r.n {
			r.loss /= n
			r.gain /= n
		}
		return
	}
	// TA-Lib's operation order: scale by n-1, add, divide by n.
	r.loss *= n - 1
	r.gain *= n - 1
	r.addChange(d)
	r.loss /= n
	r.gain /= n
}

func (r *RSI) addChange(d float64) {
	if d < 0 {
		r.loss -= d
	} else {
		r.gain += d
	}
}

// UpdateBar feeds b.Close.
func (r *RSI) UpdateBar(b Bar) { r.Update(b.Close) }

// Ready reports whether n+1 values (n changes) have been seen.
func (r *RSI) Ready() bool { return r.count > r.n }

// Value is the RSI in [0, 100]; NaN until Ready.
func (r *RSI) Value() float64 {
	if r.count <= r.n {
		return math.NaN()
	}
	s := r.gain + r.loss
	if s == 0 {
		return 0
	}
	return 100 * (r.gain / s)
}

// Reset forgets all input.
func (r *RSI) Reset() { *r = RSI{n: r.n} }
