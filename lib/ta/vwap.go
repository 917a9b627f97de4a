package ta

import (
	"fmt"
	"math"
)

// VWAP is the volume-weighted average price: Σ(typical·volume) / Σvolume
// with typical = (high+low+close)/3. It is not a TA-Lib function.
//
// Sessions: bars carry no time here, so a session VWAP is restarted by the
// caller: call Reset before the first bar of each session. NewVWAP(0) accumulates from construction or the last
// Reset; NewVWAP(n) with n > 0 is a rolling VWAP over the last n bars and
// needs no Reset. Both sums are compensated (rolling ones also re-summed,
// see window), so a long session does not drift.
//
// While the volume summed is zero (no bar yet, or only zero-volume bars) the
// VWAP is undefined: Ready is false and Value NaN.
type VWAP struct {
	n       int
	pv, vol window // rolling, n > 0
	cpv     ksum   // cumulative, n == 0
	cvol    ksum
}

// NewVWAP returns a cumulative (n = 0) or rolling (1 ≤ n ≤ 100000) VWAP.
func NewVWAP(n int) (*VWAP, error) {
	if n == 0 {
		return &VWAP{}, nil
	}
	if n < 0 || n > maxPeriod {
		return nil, &ParamError{Indicator: "vwap", Param: "period", Value: float64(n),
			Msg: fmt.Sprintf("must be 0 (cumulative) or in [1, %d]", maxPeriod)}
	}
	return &VWAP{n: n, pv: newWindow(n), vol: newWindow(n)}, nil
}

// UpdateBar feeds the next bar.
func (v *VWAP) UpdateBar(b Bar) {
	tp := (b.High + b.Low + b.Close) / 3
	if v.n == 0 {
		v.cpv.add(tp * b.Volume)
		v.cvol.add(b.Volume)
		return
	}
	v.pv.push(tp * b.Volume)
	v.vol.push(b.Volume)
}

func (v *VWAP) sums() (pv, vol float64) {
	if v.n == 0 {
		return v.cpv.value(), v.cvol.value()
	}
	if !v.vol.full() {
		return 0, 0
	}
	return v.pv.s.value(), v.vol.s.value()
}

// Ready reports whether the summed volume is positive (and, when rolling,
// n bars have been seen).
func (v *VWAP) Ready() bool {
	_, vol := v.sums()
	return vol > 0
}

// Value is the VWAP; NaN until Ready.
func (v *VWAP) Value() float64 {
	pv, vol := v.sums()
	if !(vol > 0) {
		return math.NaN()
	}
	return pv / vol
}

// Reset forgets all input: the start of a new session.
func (v *VWAP) Reset() {
	v.pv.reset()
	v.vol.reset()
	v.cpv, v.cvol = ksum{}, ksum{}
}
