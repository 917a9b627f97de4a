package engine

import (
	"slices"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// symbol is what the engine knows of one symbol: its last trade, the
// previous session's close, its bar series and who listens to its ticks.
type symbol struct {
	sym       market.Symbol
	last      int64 // last trade price; 0 before the first
	prevClose int64 // last trade before the current KST day; 0 when unknown
	day       int64 // KST day of last
	series    []*series
	tickSubs  []*strat   // strategies wanting on_tick, in name order
	holders   []*holding // accounts that have held the symbol
}

// holding ties an account's position to the symbol, to mark it to market
// on each trade.
type holding struct {
	s    *strat
	pos  *market.Position
	base int64 // a restored position's value at cost, until the symbol first trades
}

func (e *Engine) symbol(sym market.Symbol) *symbol {
	y := e.syms[sym]
	if y == nil {
		y = &symbol{sym: sym}
		e.syms[sym] = y
	}
	return y
}

// roll makes the last trade of an earlier KST day the previous close.
func (y *symbol) roll(day int64) {
	if day > y.day && y.last > 0 {
		y.prevClose, y.day = y.last, day
	}
}

// trade records a trade price and marks the holders' positions to it;
// each holder's new equity goes to the risk gate's daily loss check.
func (e *Engine) trade(y *symbol, price int64) {
	y.roll(e.day)
	delta := price - y.last
	y.last, y.day = price, e.day
	if delta == 0 || len(y.holders) == 0 {
		return
	}
	for _, h := range y.holders {
		h.s.acct.value -= h.base // the first trade replaces the value at cost
		h.base = 0
		if h.pos.Qty == 0 {
			continue
		}
		h.s.acct.value += h.pos.Qty * delta
		e.gate.Mark(h.s.id, e.now, h.s.equity())
	}
}

// seriesFor returns the bar series of (y, tf), creating it.
func (e *Engine) seriesFor(y *symbol, tf market.Timeframe) *series {
	for _, sr := range y.series {
		if sr.tf == tf {
			return sr
		}
	}
	sr := newSeries(y.sym, tf, e.cfg.History)
	y.series = append(y.series, sr)
	e.series = append(e.series, sr)
	slices.SortFunc(e.series, func(a, b *series) int {
		if a.sym != b.sym {
			if a.sym < b.sym {
				return -1
			}
			return 1
		}
		return int(a.tf/market.Timeframe(time.Second)) - int(b.tf/market.Timeframe(time.Second))
	})
	return sr
}

// kstDay numbers the KST calendar day holding ns (unix ns).
func kstDay(ns int64) int64 {
	const day = int64(24 * time.Hour)
	ns += int64(9 * time.Hour)
	d := ns / day
	if ns < 0 && ns%day != 0 {
		d--
	}
	return d
}
