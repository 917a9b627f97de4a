package sim

import (
	"math"
	"math/bits"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// book is one symbol's state during a day.
type book struct {
	inst  Instrument
	price int64      // last trade, on the grid, inside lim
	lim   krx.Limits // the day's limits, from its base
	walk  walk       // the day's step distribution
}

const million = 1_000_000

// open starts a day: the last price becomes the base of the limits, and
// the step distribution is set from the volatility at this price.
func (b *book) open(steps int64) {
	b.lim = krx.PriceLimits(b.price)
	if b.lim.Upper == 0 { // a price beyond any limit table: freeze it
		b.lim = krx.Limits{Lower: b.price, Upper: b.price}
	}
	b.walk = newWalk(b.inst.Vol, b.price, steps)
}

// walk is the step distribution that gives a day of steps ticks the
// daily standard deviation vol (basis points) at price. σ in ticks is
// vol × price / (10⁴ × tick), so the variance of one step, in millionths of
// a tick², is v = st² / (100 × steps) with st = vol × price / tick. A step
// is k or k+1 ticks, up or down with equal odds, where k = ⌊√(v/10⁶)⌋ and
// k+1 has the odds (v − k²·10⁶) / (2k+1) in millionths: E[step²] = v. While
// v is under one tick², k is 0 and the price moves one tick with odds v.
type walk struct {
	k    int    // ticks of the smaller step
	odds uint64 // millionths: chance of k+1 ticks instead of k
}

func newWalk(vol, price, steps int64) walk {
	st := uint64(vol) * uint64(price) / uint64(krx.TickSize(price))
	st = min(st, 1<<31-1) // st² stays inside uint64; the walk is saturated long before
	v := st * st / (100 * uint64(steps))
	k := isqrt(v / million)
	return walk{k: int(k), odds: (v - k*k*million) / (2*k + 1)}
}

// isqrt is ⌊√x⌋ in integers, so that the walk is the same on every platform.
func isqrt(x uint64) uint64 {
	r := uint64(math.Sqrt(float64(x)))
	for r*r > x {
		r--
	}
	for (r+1)*(r+1) <= x {
		r++
	}
	return r
}

// step moves the price by the walk's step, stopping at the day's limits.
func (b *book) step(r uint64) {
	n := b.walk.k
	if (r>>1)%million < b.walk.odds {
		n++
	}
	if n == 0 {
		return
	}
	if r&1 == 0 {
		n = -n
	}
	b.price = min(max(krx.AddTicks(b.price, n), b.lim.Lower), b.lim.Upper)
}

// tick prints a trade at the current price: a buy at the ask with the bid
// a tick below, or a sell at the bid with the ask a tick above.
func (b *book) tick(at time.Time, seq int64, r uint64) market.Tick {
	t := market.Tick{Time: at, Symbol: b.inst.Symbol, Price: b.price, Bid: b.price, Ask: b.price, Seq: seq}
	if r&1 == 1 {
		t.Bid = b.quote(-1)
	} else {
		t.Ask = b.quote(1)
	}
	t.Volume = volume(r>>1, b.inst.Lot)
	return t
}

// quote is the price n ticks away, or the price itself where that would
// pass the day's limit.
func (b *book) quote(n int) int64 {
	if p := krx.AddTicks(b.price, n); b.lim.Contains(p) {
		return p
	}
	return b.price
}

// volume draws 1..lot shares times 2^g, where g is k < 6 with odds 2^-(k+1)
// and 6 with odds 2^-6.
func volume(r uint64, lot int64) int64 {
	g := bits.TrailingZeros64(r | 1<<6)
	return (1 + int64((r>>7)%uint64(lot))) << g
}
