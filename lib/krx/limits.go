package krx

import "math"

// Limits is a day's price band: no order may be priced outside
// [Lower, Upper].
type Limits struct{ Lower, Upper int64 }

// PriceLimits returns the daily limits for a base price (normally the
// previous close): ±30 %, with the fraction dropped the way KRX does it.
// The upper limit, base × 1.3, is rounded down to the grid at its own band;
// the lower limit, base × 0.7, is rounded up. Both are computed from the
// exact product, so base 66,000 gives 85,800 and 46,200 (the real KIS
// sample in KIS.md §9) and base 1,540 gives 2,000 (2,002 rounded down at
// the 5-won band) and 1,078.
//
// A non-positive base has no limits: the zero Limits, which contains no
// positive price.
func PriceLimits(base int64) Limits { return Unified.PriceLimits(base) }

// PriceLimits is the package's PriceLimits on grid g: the band's ends are
// rounded to g's ticks.
func (g Grid) PriceLimits(base int64) Limits {
	if base <= 0 || base > math.MaxInt64/13 {
		return Limits{}
	}
	upper := base * 13 / 10    // floor
	lower := (base*7 + 9) / 10 // ceiling
	return Limits{Lower: g.RoundUp(lower), Upper: g.RoundDown(upper)}
}

// Contains reports whether p lies within the limits, both ends included.
func (l Limits) Contains(p int64) bool { return p > 0 && l.Lower <= p && p <= l.Upper }
