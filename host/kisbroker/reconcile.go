package kisbroker

import (
	"context"
	"fmt"
	"math"

	"github.com/qbtrading/qb/lib/kis"
)

// Reconcile compares today's orders at KIS with the fills booked. A
// shortfall (KIS filled more than the notices told) seen twice in a row is
// booked: once, because its notice may merely be late. An order whose
// response was lost is matched to its KIS record here.
func (a *Account) Reconcile(ctx context.Context) error {
	_, err := a.reconcileOrders(ctx)
	return err
}

// reconcileOrders is Reconcile, returning the daily orders it read.
func (a *Account) reconcileOrders(ctx context.Context) ([]kis.OrderRecord, error) {
	recs, err := a.cfg.Client.DailyOrders(ctx, kis.DailyQuery{})
	if err != nil {
		return nil, fmt.Errorf("kis reconcile: %w", err)
	}
	for i := range recs {
		r := &recs[i]
		if isRevision(r) {
			continue
		}
		a.mu.Lock()
		ord := a.match(r)
		qty, price := a.shortfall(ord, r)
		a.mu.Unlock()
		if qty > 0 {
			a.cfg.Log.Warn().Int64("order", ord.o.ID).Int64("qty", qty).Int64("price", price).
				Msg("kis daily orders show a fill no notice reported; booked")
			a.book(ord, qty, price, a.cfg.Now())
		}
	}
	return recs, nil
}

// isRevision reports whether r is a modify or cancel request rather than
// an order.
func isRevision(r *kis.OrderRecord) bool {
	o := kis.NormOrderNo(r.OrigOrderNo)
	return o != "" && o != "0"
}

// match finds the order of a KIS record, adopting a lost one that fits.
// Called with a.mu held.
func (a *Account) match(r *kis.OrderRecord) *order {
	no := kis.NormOrderNo(r.OrderNo)
	if ord := a.byNo[no]; ord != nil || a.foreign[no] {
		return ord
	}
	for i, ord := range a.lost {
		q := ord.req
		if q.Symbol == r.Symbol && q.Side == r.Side && q.Qty == r.Qty && (q.Price == 0 || q.Price == r.Price) {
			a.lost = append(a.lost[:i], a.lost[i+1:]...)
			ord.state, ord.no, ord.branch = placed, no, r.Branch
			a.byNo[no] = ord
			a.cfg.Log.Warn().Int64("order", ord.o.ID).Str("kis_order", no).Msg("order whose response was lost found at kis")
			return ord
		}
	}
	return nil
}

// shortfall is the fill to book for ord from its record, if any. Called
// with a.mu held.
func (a *Account) shortfall(ord *order, r *kis.OrderRecord) (qty, price int64) {
	if ord == nil {
		return 0, 0
	}
	short := min(r.FilledQty, ord.req.Qty) - ord.booked
	if short <= 0 {
		ord.short = 0
		return 0, 0
	}
	if ord.short != short {
		ord.short = short // wait one round for the notice
		return 0, 0
	}
	price = (r.FilledValue - ord.value) / short
	if r.FilledValue == 0 || price <= 0 {
		price = int64(math.Round(r.AvgPrice))
	}
	if price <= 0 {
		return 0, 0
	}
	ord.booked += short
	ord.value += short * price
	ord.short = 0
	return short, price
}
