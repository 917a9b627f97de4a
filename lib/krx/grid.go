package krx

import "math"

// band is one row of the tick-size table: prices in [lo, hi) move in steps
// of tick. Every hi is a multiple of the tick on both of its sides, so
// rounding inside a band never leaves the grid of the band above.
type band struct{ lo, hi, tick int64 }

// bands is the KOSPI/KOSDAQ unified tick-size table in force since
// 2023-01-25 (KIS.md §9, from KIS's korean_market.get_tick_size). ETFs and
// ETNs use other units and are not covered.
var bands = [...]band{
	{0, 2_000, 1},
	{2_000, 5_000, 5},
	{5_000, 20_000, 10},
	{20_000, 50_000, 50},
	{50_000, 200_000, 100},
	{200_000, 500_000, 500},
	{500_000, math.MaxInt64, 1_000},
}

// bandOf returns the index of the band holding price; non-positive prices
// belong to the lowest band.
func bandOf(price int64) int {
	for i := len(bands) - 1; i > 0; i-- {
		if price >= bands[i].lo {
			return i
		}
	}
	return 0
}

// TickSize returns the price step, in won, for a quote at price.
func TickSize(price int64) int64 { return bands[bandOf(price)].tick }

// OnGrid reports whether price is a positive price a quote may carry.
func OnGrid(price int64) bool { return price > 0 && price%TickSize(price) == 0 }

// RoundDown returns the highest grid price at or below p, using the tick of
// p's own band. Prices below 1 won return 0: there is no grid price there.
func RoundDown(p int64) int64 {
	if p < 1 {
		return 0
	}
	return p - p%TickSize(p)
}

// RoundUp returns the lowest grid price at or above p, using the tick of p's
// own band; the result may be the first price of the next band. Prices
// below 1 won return 1, the lowest grid price.
func RoundUp(p int64) int64 {
	if p < 1 {
		return 1
	}
	t := TickSize(p)
	if r := p % t; r != 0 {
		if p > math.MaxInt64-(t-r) {
			return RoundDown(p)
		}
		return p + (t - r)
	}
	return p
}

// AddTicks moves p by n ticks along the grid (n < 0 moves down), switching
// tick size where the path crosses a band boundary: AddTicks(1_999, 2) is
// 2_005. An off-grid p first snaps to the grid in the direction of travel,
// and that snap counts as one tick. The result never goes below 1 won, the
// lowest grid price, and saturates at the highest grid price below
// math.MaxInt64.
func AddTicks(p int64, n int) int64 {
	switch {
	case n > 0:
		return ticksUp(p, int64(n))
	case n < 0:
		return ticksDown(p, -int64(n))
	}
	return p
}

func ticksUp(p, n int64) int64 {
	if !OnGrid(p) {
		p, n = RoundUp(p), n-1
	}
	for n > 0 {
		b := bands[bandOf(p)]
		steps := (b.hi - p) / b.tick // ticks to reach the band's top (or the int64 ceiling)
		if n <= steps {
			return p + n*b.tick
		}
		if b.hi == math.MaxInt64 {
			return p + steps*b.tick
		}
		p, n = b.hi, n-steps
	}
	return p
}

func ticksDown(p, n int64) int64 {
	if !OnGrid(p) {
		p, n = max(RoundDown(p), 1), n-1
	}
	for n > 0 && p > 1 {
		b := bands[bandOf(p-1)] // the band the next lower price falls in
		floor := max(b.lo, 1)
		steps := (p - floor) / b.tick
		if n <= steps {
			return p - n*b.tick
		}
		p, n = floor, n-steps
	}
	return p
}
