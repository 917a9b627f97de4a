package ta

import "math"

// bbandsOutputs names the Bollinger outputs; read-only.
var bbandsOutputs = []string{"upper", "middle", "lower"}

// BBands are TA-Lib's Bollinger Bands with a simple moving average: middle
// = SMA(n), upper/lower = middle ± k·σ with σ the population standard
// deviation (divide by n) of the same n closes. First defined at index n-1.
type BBands struct {
	w                 window
	up, dn            float64
	upper, mid, lower float64
}

// NewBBands returns bands over n closes (2 ≤ n ≤ 100000) at up σ above and
// dn σ below the middle (TA-Lib's nbdevup, nbdevdn).
func NewBBands(n int, up, dn float64) (*BBands, error) {
	if err := checkPeriod("bbands", "period", n, 2); err != nil {
		return nil, err
	}
	if err := checkFactor("bbands", "nbdevup", up); err != nil {
		return nil, err
	}
	if err := checkFactor("bbands", "nbdevdn", dn); err != nil {
		return nil, err
	}
	return &BBands{w: newWindow(n), up: up, dn: dn}, nil
}

// Update feeds the next close. σ is recomputed over the window (O(n)):
// see window.sd for why.
func (b *BBands) Update(v float64) {
	b.w.push(v)
	if !b.w.full() {
		return
	}
	b.mid = b.w.mean()
	sd := b.w.sd(b.mid)
	b.upper = b.mid + sd*b.up
	b.lower = b.mid - sd*b.dn
}

// UpdateBar feeds bar.Close.
func (b *BBands) UpdateBar(bar Bar) { b.Update(bar.Close) }

// Ready reports whether n closes have been seen.
func (b *BBands) Ready() bool { return b.w.full() }

// Value is the middle band; NaN until Ready.
func (b *BBands) Value() float64 { return b.Output(1) }

// Outputs returns {"upper", "middle", "lower"}.
func (b *BBands) Outputs() []string { return bbandsOutputs }

// Output returns the upper (0), middle (1) or lower (2) band.
func (b *BBands) Output(i int) float64 {
	if !b.w.full() {
		return math.NaN()
	}
	switch i {
	case 0:
		return b.upper
	case 1:
		return b.mid
	case 2:
		return b.lower
	}
	return math.NaN()
}

// Reset forgets all input.
func (b *BBands) Reset() { b.w.reset() }
