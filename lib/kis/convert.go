package kis

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// RequestFor turns a host order into a KIS cash order: market orders go as
// ORD_DVSN 01 with price 0, limit orders as 00 at their price.
func RequestFor(o *market.Order) (OrderRequest, error) {
	r := OrderRequest{Symbol: o.Symbol, Side: o.Side, Qty: o.Qty - o.FilledQty}
	switch o.Type {
	case market.MarketOrder:
		r.Kind = OrdMarket
	case market.LimitOrder:
		r.Kind, r.Price = OrdLimit, o.Price
	default:
		return OrderRequest{}, fmt.Errorf("kis order %d: type %v has no KIS equivalent", o.ID, o.Type)
	}
	return r, r.validate()
}

// FillTime is when a fill notice's execution happened: its HHMMSS on day
// (the trading day, KST).
func (n *Notice) FillTime(day time.Time) (time.Time, error) {
	h, m, s, ok := parseClock([]byte(n.Time))
	if !ok {
		return time.Time{}, fmt.Errorf("kis notice %s: time %q: want HHMMSS", n.OrderNo, n.Time)
	}
	d := day.In(market.Seoul)
	return kst(d.Year(), int(d.Month()), d.Day(), h, m, s), nil
}
