package kis

import (
	"context"
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// recoverTimeout bounds the lookup of a lost order. The lookup runs even when
// the caller's context has ended: the caller must learn whether money moved.
const recoverTimeout = 30 * time.Second

// clockSkew is how far before our send time a matching order may be
// stamped by KIS. Our clock may run ahead of the exchange's; missing the
// order (and letting the caller send it again) is worse than matching an
// identical order of our own from a few seconds earlier, which the known-
// order set already excludes while this process lives.
const clockSkew = 30 * time.Second

// recoverOrder finds out, from today's daily orders, whether an order whose
// response was lost went through. A match is an order for the same symbol,
// side, quantity and price, stamped no earlier than the send, whose number
// this client has not seen acknowledged. The order is never sent again here.
func (c *Client) recoverOrder(ctx context.Context, r OrderRequest, sent time.Time, cause error) (OrderAck, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recoverTimeout)
	defer cancel()
	since := sent.Add(-clockSkew).In(market.Seoul)
	var lastErr error
	for attempt := 0; attempt < c.cfg.OrderCheckAttempts; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, c.cfg.OrderCheckDelay); err != nil {
				lastErr = err
				break
			}
		}
		recs, err := c.DailyOrders(ctx, DailyQuery{From: sent, To: sent, Symbol: r.Symbol, Side: r.Side})
		if err != nil {
			lastErr = err
			c.cfg.Logger.Warn("kis order lookup failed", "attempt", attempt+1, "err", c.redact.Redact(err.Error()))
			continue
		}
		lastErr = nil
		if rec, ok := c.matchLost(recs, r, since); ok {
			c.remember(rec.OrderNo)
			c.cfg.Logger.Info("kis lost order found in daily fills", "order", rec.OrderNo, "symbol", r.Symbol)
			return OrderAck{Branch: rec.Branch, OrderNo: rec.OrderNo, Time: rec.Time, Recovered: true}, nil
		}
	}
	if lastErr != nil {
		return OrderAck{}, fmt.Errorf("kis order %s %s: %w (%v; lookup: %v)", r.Side, r.Symbol, ErrOrderStatusUnknown, cause, lastErr)
	}
	return OrderAck{}, fmt.Errorf("kis order %s %s: %w after %d lookups (%v)", r.Side, r.Symbol, ErrOrderNotPlaced, c.cfg.OrderCheckAttempts, cause)
}

// matchLost picks the oldest unacknowledged order that fits the request.
func (c *Client) matchLost(recs []OrderRecord, r OrderRequest, since time.Time) (OrderRecord, bool) {
	day, clock := since.Format("20060102"), since.Format("150405")
	var best OrderRecord
	found := false
	for _, rec := range recs {
		switch {
		case rec.Symbol != r.Symbol || rec.Side != r.Side || rec.Qty != r.Qty:
		case r.Price > 0 && rec.Price != r.Price:
		case rec.OrigOrderNo != "" && normOrderNo(rec.OrigOrderNo) != "0" && rec.OrigOrderNo != rec.OrderNo:
			// a modify or cancel, not a new order
		case rec.Date < day || (rec.Date == day && rec.Time < clock):
		case c.isKnown(rec.OrderNo):
		case !found || rec.Time < best.Time || (rec.Time == best.Time && rec.OrderNo < best.OrderNo):
			best, found = rec, true
		}
	}
	return best, found
}
