package krx

import (
	"math"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// band is one row of a tick-size table: prices in [lo, hi) move in steps
// of tick. Every hi is a multiple of the tick on both of its sides, so
// rounding inside a band never leaves the grid of the band above.
type band struct{ lo, hi, tick int64 }

// Grid is one tick-size table: the price steps quotes may use. The zero
// Grid is Unified, the table in force today.
type Grid struct{ bands []band }

// unified is the KOSPI/KOSDAQ table in force since 2023-01-25 (KIS.md §9,
// from KIS's korean_market.get_tick_size). ETFs and ETNs use other units
// and are not covered.
var unified = []band{
	{0, 2_000, 1},
	{2_000, 5_000, 5},
	{5_000, 20_000, 10},
	{20_000, 50_000, 50},
	{50_000, 200_000, 100},
	{200_000, 500_000, 500},
	{500_000, math.MaxInt64, 1_000},
}

// From 2010 until 2023-01-24 each market had its own table: KOSPI as
// below, KOSDAQ and KONEX stopping at 100 won from 50,000 up. KRX unified
// them from 2023-01-25 (amended enforcement rules of its securities market
// business regulations, November 2022; KRX announcement of 2023-01-17),
// cutting 1,000–2,000 won from 5 to 1, 10,000–20,000 from 50 to 10 and
// 100,000–200,000 from 500 to 100, as reported by Yonhap and etoday on
// 2023-01-17.
var (
	kospi2010 = []band{
		{0, 1_000, 1},
		{1_000, 5_000, 5},
		{5_000, 10_000, 10},
		{10_000, 50_000, 50},
		{50_000, 100_000, 100},
		{100_000, 500_000, 500},
		{500_000, math.MaxInt64, 1_000},
	}
	kosdaq2010 = []band{
		{0, 1_000, 1},
		{1_000, 5_000, 5},
		{5_000, 10_000, 10},
		{10_000, 50_000, 50},
		{50_000, math.MaxInt64, 100},
	}
)

// Unified is the tick-size table of both markets since 2023-01-25.
var Unified = Grid{}

// unifiedFrom is the first trading day of the unified table, 00:00 KST.
var unifiedFrom = time.Date(2023, 1, 25, 0, 0, 0, 0, market.Seoul)

// GridOn returns the tick-size table in force at t for a stock listed on
// m. Before 2023-01-25 KOSPI and KOSDAQ (with KONEX) had tables of their
// own; an unknown market is taken as KOSPI.
func GridOn(t time.Time, m Market) Grid {
	switch {
	case !t.Before(unifiedFrom):
		return Unified
	case m == KOSDAQ || m == KONEX:
		return Grid{bands: kosdaq2010}
	}
	return Grid{bands: kospi2010}
}

func (g Grid) table() []band {
	if g.bands == nil {
		return unified
	}
	return g.bands
}

// bandOf returns the band holding price; non-positive prices belong to the
// lowest band.
func (g Grid) bandOf(price int64) band {
	b := g.table()
	for i := len(b) - 1; i > 0; i-- {
		if price >= b[i].lo {
			return b[i]
		}
	}
	return b[0]
}

// TickSize returns the price step, in won, for a quote at price.
func (g Grid) TickSize(price int64) int64 { return g.bandOf(price).tick }

// OnGrid reports whether price is a positive price a quote may carry.
func (g Grid) OnGrid(price int64) bool { return price > 0 && price%g.TickSize(price) == 0 }

// RoundDown returns the highest grid price at or below p, using the tick of
// p's own band. Prices below 1 won return 0: there is no grid price there.
func (g Grid) RoundDown(p int64) int64 {
	if p < 1 {
		return 0
	}
	return p - p%g.TickSize(p)
}

// RoundUp returns the lowest grid price at or above p, using the tick of p's
// own band; the result may be the first price of the next band. Prices
// below 1 won return 1, the lowest grid price.
func (g Grid) RoundUp(p int64) int64 {
	if p < 1 {
		return 1
	}
	t := g.TickSize(p)
	if r := p % t; r != 0 {
		if p > math.MaxInt64-(t-r) {
			return g.RoundDown(p)
		}
		return p + (t - r)
	}
	return p
}

// AddTicks moves p by n ticks along the grid (n < 0 moves down), switching
// tick size where the path crosses a band boundary: AddTicks(1_999, 2) is
// 2_005 on the unified grid. An off-grid p first snaps to the grid in the
// direction of travel, and that snap counts as one tick. The result never
// goes below 1 won, the lowest grid price, and saturates at the highest
// grid price below math.MaxInt64.
func (g Grid) AddTicks(p int64, n int) int64 {
	switch {
	case n > 0:
		return g.ticksUp(p, int64(n))
	case n < 0:
		return g.ticksDown(p, -int64(n))
	}
	return p
}

// TickSize is Unified.TickSize.
func TickSize(price int64) int64 { return Unified.TickSize(price) }

// OnGrid is Unified.OnGrid.
func OnGrid(price int64) bool { return Unified.OnGrid(price) }

// RoundDown is Unified.RoundDown.
func RoundDown(p int64) int64 { return Unified.RoundDown(p) }

// RoundUp is Unified.RoundUp.
func RoundUp(p int64) int64 { return Unified.RoundUp(p) }

// AddTicks is Unified.AddTicks.
func AddTicks(p int64, n int) int64 { return Unified.AddTicks(p, n) }

func (g Grid) ticksUp(p, n int64) int64 {
	if !g.OnGrid(p) {
		p, n = g.RoundUp(p), n-1
	}
	for n > 0 {
		b := g.bandOf(p)
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

func (g Grid) ticksDown(p, n int64) int64 {
	if !g.OnGrid(p) {
		p, n = max(g.RoundDown(p), 1), n-1
	}
	for n > 0 && p > 1 {
		b := g.bandOf(p - 1) // the band the next lower price falls in
		floor := max(b.lo, 1)
		steps := (p - floor) / b.tick
		if n <= steps {
			return p - n*b.tick
		}
		p, n = floor, n-steps
	}
	return p
}
