package ta

import "math"

// ROC is TA-Lib's rate of change in percent: ((v / v[n bars ago]) − 1)·100,
// first defined at index n; 0 when the old value is 0 (TA-Lib's choice, to
// avoid a division by zero).
type ROC struct {
	r     ring
	value float64
	ready bool
}

// NewROC returns the rate of change over n bars, 1 ≤ n ≤ 100000.
func NewROC(n int) (*ROC, error) {
	if err := checkPeriod("roc", "period", n, 1); err != nil {
		return nil, err
	}
	return &ROC{r: newRing(n)}, nil
}

// Update feeds the next value.
func (r *ROC) Update(v float64) {
	prev, ok := r.r.push(v)
	if !ok {
		return
	}
	r.ready = true
	if prev != 0 {
		r.value = (v/prev - 1) * 100
	} else {
		r.value = 0
	}
}

// UpdateBar feeds b.Close.
func (r *ROC) UpdateBar(b Bar) { r.Update(b.Close) }

// Ready reports whether n+1 values have been seen.
func (r *ROC) Ready() bool { return r.ready }

// Value is the rate of change in percent; NaN until Ready.
func (r *ROC) Value() float64 {
	if !r.ready {
		return math.NaN()
	}
	return r.value
}

// Reset forgets all input.
func (r *ROC) Reset() {
	r.r.reset()
	r.value, r.ready = 0, false
}
