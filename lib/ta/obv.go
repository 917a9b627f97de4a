package ta

import "math"

// OBV is TA-Lib's on-balance volume: it starts at the first bar's volume
// (TA-Lib's convention; some libraries start at 0, which shifts the whole
// series by that constant), then adds the volume of a bar that closes
// higher than the previous one and subtracts that of a bar that closes
// lower. Defined from the first bar.
type OBV struct {
	started   bool
	prevClose float64
	value     float64
}

// NewOBV returns an on-balance volume.
func NewOBV() *OBV { return &OBV{} }

// UpdateBar feeds the next bar (its Close and Volume).
func (o *OBV) UpdateBar(b Bar) {
	switch {
	case !o.started:
		o.started, o.value = true, b.Volume
	case b.Close > o.prevClose:
		o.value += b.Volume
	case b.Close < o.prevClose:
		o.value -= b.Volume
	}
	o.prevClose = b.Close
}

// Ready reports whether a bar has been seen.
func (o *OBV) Ready() bool { return o.started }

// Value is the running on-balance volume; NaN until Ready. Volumes are
// whole shares, so the sum is exact below 2^53.
func (o *OBV) Value() float64 {
	if !o.started {
		return math.NaN()
	}
	return o.value
}

// Reset forgets all input.
func (o *OBV) Reset() { *o = OBV{} }
