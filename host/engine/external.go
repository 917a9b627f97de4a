package engine

import (
	"fmt"
	"slices"

	"github.com/qbtrading/qb/lib/market"
)

// A live broker (KIS) hears of fills and refusals on its own goroutines,
// later than Submit returned. The methods in this file take them into the
// engine. Like everything else they must be called on the engine's
// goroutine (live.Config.Do carries them there).

// BrokerFill books a fill the broker reported for one of the strategy's
// orders, exactly as a paper fill is booked (cash, fees, position, the
// risk gate), then runs on_fill and on_order. A fill for an order the
// engine no longer counts as working (cancelled here while the venue was
// filling it) is still booked on cash and position, so that no fill the
// venue made is lost, and on_fill runs; the order keeps its final status.
func (e *Engine) BrokerFill(strategy string, f market.Fill) error {
	s := e.find(strategy)
	if s == nil {
		return fmt.Errorf("engine: broker fill: no strategy %q", strategy)
	}
	if f.Qty <= 0 || f.Price <= 0 {
		return fmt.Errorf("engine: broker fill for order %d: qty %d at %d", f.OrderID, f.Qty, f.Price)
	}
	if s.acct.find(f.OrderID) < 0 {
		e.bookLate(s, &f)
		e.tellLate(s, &f)
		e.drain(s)
		return nil
	}
	upd, ok := e.book(s, &f)
	if !ok {
		return fmt.Errorf("engine: broker fill for order %d of %s does not fit the order", f.OrderID, strategy)
	}
	e.tellFill(s, &f, &upd)
	return nil
}

// BrokerUpdate applies a status the broker reported for a working order:
// OrderRejected (the venue refused it after Submit returned) or
// OrderCancelled (it cancelled it on its own: IOC remainder, day end).
// The order leaves the working orders and on_order runs with reason.
func (e *Engine) BrokerUpdate(strategy string, id int64, status market.OrderStatus, reason string) error {
	s := e.find(strategy)
	if s == nil {
		return fmt.Errorf("engine: broker update: no strategy %q", strategy)
	}
	i := s.acct.find(id)
	if i < 0 {
		return fmt.Errorf("engine: broker update: order %d of %s is not working", id, strategy)
	}
	o := s.acct.open[i].Order
	var err error
	switch status {
	case market.OrderRejected:
		// The engine accepted the order when Submit returned; the venue's
		// refusal ends it. Reject is only legal from New, so go through it.
		o.Status = market.OrderNew
		err = o.Reject(e.now, reason)
		s.acct.rejected++
	case market.OrderCancelled:
		err = o.Cancel(e.now, reason)
		s.acct.cancelled++
	default:
		return fmt.Errorf("engine: broker update of order %d: status %s is not an update a broker reports", id, status)
	}
	if err != nil {
		return fmt.Errorf("engine: broker update: %w", err)
	}
	s.acct.remove(i)
	s.log.Warn().Int64("order", id).Str("status", status.String()).Str("reason", reason).Msg("order ended by the broker")
	e.notify(s, &o)
	e.drain(s)
	return nil
}

// bookLate books a fill of an order that is no longer working on cash,
// fees and position only.
func (e *Engine) bookLate(s *strat, f *market.Fill) {
	e.bookCash(s, f)
	s.log.Warn().Int64("order", f.OrderID).Int64("qty", f.Qty).Int64("price", f.Price).
		Msg("fill of an order no longer working (cancelled while it filled); booked")
}

// tellLate publishes a late fill and runs on_fill.
func (e *Engine) tellLate(s *strat, f *market.Fill) {
	if e.sink != nil {
		e.ev = Event{Kind: EventFill, Strategy: s.name, Fill: *f}
		e.sink.Publish(&e.ev)
	}
	s.ckpt.filled = true
	var err error
	if s.wantsFill && s.running() {
		e.fillArg = *f
		e.fillArg.OrderID = f.OrderSeq // the strategy's view (host.go)
		err = s.s.Fill(&e.fillArg)
	}
	e.after(s, "on_fill", err)
}

// Symbols lists, once each and sorted, the symbols the running strategies
// declare: what a live feed must subscribe, also after a hot reload added
// or changed a strategy.
func (e *Engine) Symbols() []market.Symbol {
	var out []market.Symbol
	for _, s := range e.strats {
		if s.running() {
			out = append(out, s.meta.Symbols...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
