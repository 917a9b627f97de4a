package fill

import (
	"github.com/qbtrading/qb/lib/market"
)

// OnTick matches one trade print against the working orders, in submission
// order, appends the resulting fills to dst and returns it. Filled orders
// stop working. A print without a positive price fills nothing. It
// allocates nothing unless dst has to grow.
func (m *Model) OnTick(t *market.Tick, dst []market.Fill) []market.Fill {
	if t.Price <= 0 {
		return dst
	}
	volume := t.Volume // what the print has left to give when capped
	kept := 0
	for i := range m.orders {
		w := &m.orders[i]
		if price, ok := m.crosses(w, t); ok {
			dst = m.fill(w, t, price, &volume, dst)
		}
		if w.order.Remaining() == 0 {
			continue
		}
		if kept != i {
			m.orders[kept] = *w
		}
		kept++
	}
	clear(m.orders[kept:])
	m.orders = m.orders[:kept]
	return dst
}

// crosses reports whether print t fills w and at what price.
//
// A tick made from a bar (t.Synthetic) is a point on an assumed path, so
// no fill is priced outside the bar's range: a market order's slippage
// stops at the bar's high (buys) or low (sells), and a limit that a later
// point of the bar goes through fills at its limit or, if the bar never
// traded there, at the bar's worst price for the trader that did trade
// (its high for a buy, its low for a sell): such an order was placed after
// the open, in the bar, where every trade was inside the range. The bar's
// open stands for the opening auction: it takes every order live at or
// before it, and a limit the open gaps through fills at the open, the
// auction's price.
func (m *Model) crosses(w *working, t *market.Tick) (int64, bool) {
	o := &w.order
	if o.Symbol != t.Symbol || !m.live(w, t) {
		return 0, false
	}
	if o.Type == market.MarketOrder {
		slip := m.cfg.SlippageTicks
		if o.Side == market.Sell {
			slip = -slip
		}
		// Slippage moves along the tick grid of the print's own date and
		// market: before 2023 a KOSPI stock at 150,000 won moved in 500s.
		grid := m.cfg.Fees.Listing.Grid(t.Time, t.Symbol)
		return clamp(grid.AddTicks(t.Price, slip), t), true
	}
	through := o.Side == market.Buy && t.Price < o.Price || o.Side == market.Sell && t.Price > o.Price
	if !through && !(m.cfg.LimitFillOnTouch && t.Price == o.Price) {
		return 0, false
	}
	if through && t.From.Open {
		return t.Price, true
	}
	return clamp(o.Price, t), true
}

// live reports whether w can trade on t: prints strictly after the order
// went live, or a bar's open at or after it.
func (m *Model) live(w *working, t *market.Tick) bool {
	return t.Time.After(w.live) || t.From.Open && t.Time.Equal(w.live)
}

// clamp keeps a fill price made from a bar inside the bar's range.
func clamp(price int64, t *market.Tick) int64 {
	if !t.Synthetic() {
		return price
	}
	return min(max(price, t.From.Low), t.From.High)
}

// fill executes as much of w as the print allows at price.
func (m *Model) fill(w *working, t *market.Tick, price int64, volume *int64, dst []market.Fill) []market.Fill {
	qty := w.order.Remaining()
	if m.cfg.CapToVolume {
		qty = min(qty, *volume)
	}
	if qty <= 0 || w.order.ApplyFill(t.Time, qty) != nil {
		return dst
	}
	*volume -= qty
	f := market.Fill{
		OrderID:  w.order.ID,
		Strategy: w.order.Strategy,
		Symbol:   w.order.Symbol,
		Side:     w.order.Side,
		Qty:      qty,
		Price:    price,
		Time:     t.Time,
	}
	f.Fee, f.Tax = m.cfg.Fees.Compute(f.Time, f.Symbol, f.Side, f.Value())
	return append(dst, f)
}
