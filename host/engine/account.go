package engine

import (
	"time"

	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/stats"
)

// account is one strategy's books: cash, positions, working orders and
// the record of fills and equity.
type account struct {
	start     int64
	cash      int64
	value     int64 // Σ position qty × last price
	positions map[market.Symbol]*market.Position
	open      []openOrder // working orders, by ID
	fills     []market.Fill
	fees      int64
	taxes     int64
	equity    []stats.Point
	orders    int // admitted by the gate
	rejected  int
	cancelled int
}

// openOrder is a working order with the per-share price its cash
// reservation was made at (buys) and the sessions it has been able to
// trade in (see lifetime.go).
type openOrder struct {
	market.Order
	reserve  int64
	sessions int
}

func (a *account) init(cash int64) {
	a.start, a.cash = cash, cash
	a.positions = make(map[market.Symbol]*market.Position)
}

func (s *strat) equity() int64 { return s.acct.cash + s.acct.value }

// point adds an equity point at t; a point at the time of the last one
// replaces it. Before the clock has started there is nothing to record.
func (a *account) point(t time.Time, equity int64) {
	if t.IsZero() {
		return
	}
	if n := len(a.equity); n > 0 && a.equity[n-1].Time.Equal(t) {
		a.equity[n-1].Equity = equity
		return
	}
	a.equity = append(a.equity, stats.Point{Time: t, Equity: equity})
}

// find returns the index of working order id, or -1.
func (a *account) find(id int64) int {
	for i := range a.open {
		if a.open[i].ID == id {
			return i
		}
	}
	return -1
}

// findSeq returns the index of the working order numbered seq, or -1.
func (a *account) findSeq(seq int64) int {
	for i := range a.open {
		if a.open[i].Seq == seq {
			return i
		}
	}
	return -1
}

// remove drops working order i, keeping the rest in ID order.
func (a *account) remove(i int) {
	copy(a.open[i:], a.open[i+1:])
	a.open = a.open[:len(a.open)-1]
}

// exposure sums what the working orders commit for sym.
func (s *strat) exposure(sym market.Symbol) (x risk.Exposure) {
	a := &s.acct
	x.OpenOrders = len(a.open)
	if p := a.positions[sym]; p != nil {
		x.Held = p.Qty
	}
	x.Cash = a.cash
	for i := range a.open {
		o := &a.open[i]
		if o.Side == market.Buy {
			x.Committed += s.e.gate.Cost(market.Buy, o.Remaining(), o.reserve)
		}
		if o.Symbol != sym {
			continue
		}
		if o.Side == market.Buy {
			x.OpenBuyQty += o.Remaining()
		} else {
			x.OpenSellQty += o.Remaining()
		}
	}
	return x
}

// bookCash books a fill on the account's cash, fees, taxes, position and
// market value at the last price, journaling the fill and the position.
func (e *Engine) bookCash(s *strat, f *market.Fill) {
	a := &s.acct
	f.Strategy = s.name
	e.journalFill(s, f)
	y := e.symbol(f.Symbol)
	p := a.positions[f.Symbol]
	if p == nil {
		p = &market.Position{Symbol: f.Symbol}
		a.positions[f.Symbol] = p
		y.holders = append(y.holders, &holding{s: s, pos: p})
	}
	before := p.Qty
	if err := p.Apply(f); err != nil {
		s.log.Error().Err(err).Msg("fill does not fit the position; booked on cash only")
	}
	e.journalPosition(s, p)
	a.value += (p.Qty - before) * y.last
	a.cash += f.CashDelta()
	a.fees += f.Fee
	a.taxes += f.Tax
	a.fills = append(a.fills, *f)
	e.gate.Mark(s.id, e.now, s.equity())
}

// book applies a fill to the account: the order, cash, fees, position and
// market value at the last price. It returns the order's updated state and
// removes it from the working orders when it is done. It reports false,
// booking nothing, for a fill that does not match a working order.
func (e *Engine) book(s *strat, f *market.Fill) (market.Order, bool) {
	a := &s.acct
	i := a.find(f.OrderID)
	if i < 0 {
		s.log.Error().Int64("order", f.OrderID).Msg("fill for an order that is not working; ignored")
		return market.Order{}, false
	}
	o := &a.open[i]
	if err := o.ApplyFill(f.Time, f.Qty); err != nil {
		s.log.Error().Err(err).Msg("fill does not fit its order; ignored")
		return market.Order{}, false
	}
	f.OrderSeq = o.Seq
	e.bookCash(s, f)
	upd := o.Order
	if upd.Status.Final() {
		a.remove(i)
	}
	return upd, true
}
