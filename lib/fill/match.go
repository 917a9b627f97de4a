package fill

import (
	"github.com/qbtrading/qb/lib/krx"
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
func (m *Model) crosses(w *working, t *market.Tick) (int64, bool) {
	o := &w.order
	if o.Symbol != t.Symbol || !t.Time.After(w.live) {
		return 0, false
	}
	if o.Type == market.MarketOrder {
		if o.Side == market.Buy {
			return krx.AddTicks(t.Price, m.cfg.SlippageTicks), true
		}
		return krx.AddTicks(t.Price, -m.cfg.SlippageTicks), true
	}
	through := o.Side == market.Buy && t.Price < o.Price || o.Side == market.Sell && t.Price > o.Price
	if through || m.cfg.LimitFillOnTouch && t.Price == o.Price {
		return o.Price, true
	}
	return 0, false
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
