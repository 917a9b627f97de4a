package ta

import "math"

// WMA is the linearly weighted moving average of the last n values (TA-Lib
// WMA): weights 1 (oldest) to n (newest), divided by n(n+1)/2.
//
// Both running sums are compensated and recomputed whenever the ring wraps,
// as in window, so they do not drift; products and the subtracted sum enter
// with their rounding errors, so a huge value leaves nothing behind.
type WMA struct {
	r       ring
	sum     ksum // plain sum of the values held
	wsum    ksum // weighted sum
	divisor float64
}

// NewWMA returns a WMA of period n, 2 ≤ n ≤ 100000.
func NewWMA(n int) (*WMA, error) {
	if err := checkPeriod("wma", "period", n, 2); err != nil {
		return nil, err
	}
	return &WMA{r: newRing(n), divisor: float64(n) * float64(n+1) / 2}, nil
}

// Update feeds the next value.
func (w *WMA) Update(v float64) {
	n := len(w.r.buf)
	if w.r.full() {
		// Every weight drops by one (subtract the old sum, which also
		// removes the oldest value with weight 1) and v enters with weight n.
		w.wsum.add(-w.sum.sum)
		w.wsum.add(-w.sum.comp)
		w.wsum.addProduct(float64(n), v)
	} else {
		w.wsum.addProduct(float64(w.r.count+1), v)
	}
	if old, ok := w.r.push(v); ok {
		w.sum.add(-old)
	}
	w.sum.add(v)
	if w.r.wrapped() {
		w.resum()
	}
}

func (w *WMA) resum() {
	w.sum, w.wsum = ksum{}, ksum{}
	for i := range w.r.buf {
		v := w.r.at(i)
		w.sum.add(v)
		w.wsum.addProduct(float64(i+1), v)
	}
}

// UpdateBar feeds b.Close.
func (w *WMA) UpdateBar(b Bar) { w.Update(b.Close) }

// Ready reports whether n values have been seen.
func (w *WMA) Ready() bool { return w.r.full() }

// Value is the weighted average; NaN until Ready.
func (w *WMA) Value() float64 {
	if !w.r.full() {
		return math.NaN()
	}
	return w.wsum.value() / w.divisor
}

// Reset forgets all input.
func (w *WMA) Reset() {
	w.r.reset()
	w.sum, w.wsum = ksum{}, ksum{}
}
