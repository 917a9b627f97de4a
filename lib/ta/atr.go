package ta

import "math"

// ATR is TA-Lib's average true range. The true range is defined from the
// second bar (it needs the previous close); the first ATR, at index n, is
// the mean of TR[1..n], and later ones use Wilder's smoothing
// ((n−1)·ATR + TR)/n.
type ATR struct {
	n         int
	count     int // bars seen, capped at n+1
	prevClose float64
	value     float64 // the seed sum while count ≤ n
}

// NewATR returns an ATR of period n, 1 ≤ n ≤ 100000 (n = 1 is the true range).
func NewATR(n int) (*ATR, error) {
	if err := checkPeriod("atr", "period", n, 1); err != nil {
		return nil, err
	}
	return &ATR{n: n}, nil
}

// trueRange is max(high−low, |prevClose−high|, |prevClose−low|).
func trueRange(b Bar, prevClose float64) float64 {
	tr := b.High - b.Low
	if d := math.Abs(prevClose - b.High); d > tr {
		tr = d
	}
	if d := math.Abs(prevClose - b.Low); d > tr {
		tr = d
	}
	return tr
}

// UpdateBar feeds the next bar.
func (a *ATR) UpdateBar(b Bar) {
	if a.count == 0 {
		a.prevClose, a.count = b.Close, 1
		return
	}
	tr := trueRange(b, a.prevClose)
	a.prevClose = b.Close
	n := float64(a.n)
	if a.count <= a.n {
		a.value += tr
		a.count++
		if a.count > a.n {
			a.value /= n
		}
		return
	}
	a.value *= n - 1 // TA-Lib's operation order
	a.value += tr
	a.value /= n
}

// Ready reports whether n+1 bars have been seen.
func (a *ATR) Ready() bool { return a.count > a.n }

// Value is the ATR; NaN until Ready.
func (a *ATR) Value() float64 {
	if a.count <= a.n {
		return math.NaN()
	}
	return a.value
}

// Reset forgets all input.
func (a *ATR) Reset() { *a = ATR{n: a.n} }
