package kisbroker

import (
	"errors"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// maxEarly bounds the notices kept for orders whose ack has not come back.
const maxEarly = 1024

// Notice takes one execution notice (the feed's Handler.Notice). A fill is
// booked unless the order's quantity is already booked (the daily orders
// found it first); a refusal ends the order. Acceptances, and the notices
// of modify and cancel requests, change nothing the engine books.
func (a *Account) Notice(n kis.Notice) {
	if !n.Filled && (!n.Rejected || n.Correction == '1' || n.Correction == '2') {
		return
	}
	no := kis.NormOrderNo(n.OrderNo)
	a.mu.Lock()
	ord := a.byNo[no]
	if ord == nil {
		if !a.foreign[no] && len(a.early) < maxEarly {
			a.early[no] = append(a.early[no], n) // its ack may still be on the way
		}
		a.mu.Unlock()
		return
	}
	if !n.Filled {
		ord.state = withdrawn
		a.mu.Unlock()
		a.refuse(ord, errors.New("order refused at the exchange"))
		return
	}
	qty := min(n.FillQty, ord.req.Qty-ord.booked)
	if qty <= 0 || n.FillPrice <= 0 {
		a.mu.Unlock()
		a.cfg.Log.Info().Int64("order", ord.o.ID).Int64("qty", n.FillQty).Msg("kis fill notice already booked; ignored")
		return
	}
	ord.booked += qty
	ord.value += qty * n.FillPrice
	ord.short = 0
	a.mu.Unlock()
	at, err := n.FillTime(a.today())
	if err != nil {
		at = a.cfg.Now()
	}
	a.book(ord, qty, n.FillPrice, at)
}

// book sends a fill to the engine, with the broker's fees.
func (a *Account) book(ord *order, qty, price int64, at time.Time) {
	f := market.Fill{OrderID: ord.o.ID, OrderSeq: ord.o.Seq, Strategy: ord.strategy, Symbol: ord.o.Symbol, Side: ord.o.Side,
		Qty: qty, Price: price, Time: at}
	f.Fee, f.Tax = a.cfg.Fees.Compute(f.Time, f.Symbol, f.Side, f.Value())
	a.mu.Lock()
	a.books.fill(&f)
	a.mu.Unlock()
	strategy := ord.strategy
	a.schedule(func(b Books) {
		if err := b.BrokerFill(strategy, f); err != nil {
			a.cfg.Log.Error().Err(err).Int64("order", f.OrderID).Msg("kis fill not booked")
		}
	})
}
