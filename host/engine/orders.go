package engine

import (
	"errors"
	"fmt"

	"github.com/dustin/go-humanize"

	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// errStopped is returned to a strategy that orders after it was paused or
// the engine stopped.
var errStopped = errors.New("strategy is not running")

// submit passes an order through the gate to the broker. The order's
// update (accepted, or rejected with the reason) is queued for on_order.
// A refused order still gets an ID, returned with the error.
func (e *Engine) submit(s *strat, o market.Order) (int64, error) {
	if !s.running() {
		return 0, errStopped
	}
	e.nextID++
	s.seq++
	o.ID, o.Seq, o.Strategy, o.Created, o.Status = e.nextID, s.seq, s.name, e.now, market.OrderNew
	if o.Sessions == 0 {
		o.Sessions = 1 // a day order, stated
	}
	q := e.quote(o.Symbol)
	if err := e.gate.Admit(s.id, &o, s.exposure(o.Symbol), q); err != nil {
		return o.ID, e.refuse(s, &o, err)
	}
	if err := e.journalOrder(s, &o); err != nil {
		return o.ID, e.refuse(s, &o, fmt.Errorf("journal: %w", err))
	}
	if err := s.broker.Submit(o); err != nil {
		return o.ID, e.refuse(s, &o, fmt.Errorf("broker: %w", err))
	}
	if err := o.Accept(e.now); err != nil {
		return o.ID, err // cannot happen: the order is new
	}
	s.acct.orders++
	oo := openOrder{Order: o, reserve: e.gate.Price(&o, q)}
	if e.inSession() {
		oo.sessions = 1
	}
	s.acct.open = append(s.acct.open, oo)
	e.notify(s, &o)
	return o.ID, nil
}

func (e *Engine) refuse(s *strat, o *market.Order, err error) error {
	_ = o.Reject(e.now, err.Error())
	s.acct.rejected++
	var r *risk.Rejection
	if errors.As(err, &r) {
		s.log.Info().Int64("order", o.ID).Str("rule", string(r.Rule)).Str("reason", r.Detail).Msg("order rejected")
	} else {
		s.log.Warn().Int64("order", o.ID).Err(err).Msg("order rejected")
	}
	e.notify(s, o)
	return err
}

// quote is what the gate needs to know of sym.
func (e *Engine) quote(sym market.Symbol) risk.Quote {
	y := e.syms[sym]
	if y == nil {
		return risk.Quote{}
	}
	y.roll(e.day)
	return risk.Quote{Last: y.last, PrevClose: y.prevClose, Grid: e.grid(sym)}
}

// grid is the tick-size table of sym at the clock's time.
func (e *Engine) grid(sym market.Symbol) krx.Grid {
	return e.cfg.Fees.Listing.Grid(e.now, sym)
}

// cancel asks the broker to cancel a working order; the update is queued
// for on_order.
func (e *Engine) cancel(s *strat, id int64, reason string) error {
	i := s.acct.find(id)
	if i < 0 {
		return fmt.Errorf("cancel order %d: not a working order of this strategy", id)
	}
	if err := s.broker.Cancel(id); err != nil {
		return fmt.Errorf("cancel order %d: %w", id, err)
	}
	o := s.acct.open[i].Order
	s.acct.remove(i)
	if err := o.Cancel(e.now, reason); err != nil {
		return err
	}
	s.acct.cancelled++
	e.notify(s, &o)
	return nil
}

// cancelAll cancels every working order of s.
func (e *Engine) cancelAll(s *strat, reason string) {
	for i := len(s.acct.open) - 1; i >= 0; i-- {
		id := s.acct.open[i].ID
		if err := e.cancel(s, id, reason); err != nil {
			// The venue no longer knows the order: drop it from the books
			// so that its cash and shares are not held forever.
			s.log.Error().Err(err).Msg("cancel failed; order dropped from the books")
			s.acct.remove(i)
		}
	}
}

// notify queues an order update for on_order and publishes it.
func (e *Engine) notify(s *strat, o *market.Order) {
	e.logJournal(s, o)
	if s.wantsOrder && s.running() {
		s.pending = append(s.pending, *o)
	}
	if e.sink != nil {
		e.ev = Event{Kind: EventOrder, Strategy: s.name, Order: *o}
		e.sink.Publish(&e.ev)
	}
}

// recheckMarketBuys re-checks for cash, at a new print of y and before the
// brokers fill on it, the working market buys of y of every account whose
// broker fills from market data. A market buy fills on the next print, at
// that print plus slippage, and its cash was reserved at the collar over
// the last price when it was placed (risk.Limits.MarketBuyCollarBP): a
// market that moved up more than the collar since, at the opening auction
// after an order placed out of the session (in on_bar of a daily bar, after
// the close) or in a jump inside it, would fill it above its reservation
// and could overdraw the account. So each such buy is checked again as at
// admission, valued at the collar over this print: when that is higher
// than its reservation and the cash still covers it, the reservation rises
// to it; when not, the order is cancelled, and the strategy hears why.
func (e *Engine) recheckMarketBuys(y *symbol) {
	var q risk.Quote // made at the first market buy: most ticks have none
	for _, s := range e.strats {
		if s.market == nil || len(s.acct.open) == 0 {
			continue
		}
		cancelled := false
		for i := 0; i < len(s.acct.open); i++ {
			o := &s.acct.open[i]
			if o.Symbol != y.sym || o.Side != market.Buy || o.Type != market.MarketOrder {
				continue
			}
			if q.Last == 0 {
				q = e.quote(y.sym)
			}
			p := e.gate.Price(&o.Order, q)
			if p <= o.reserve {
				continue
			}
			rem := o.Remaining()
			x := s.exposure(y.sym)
			need := e.gate.Cost(market.Buy, rem, p)
			free := x.Cash - x.Committed + e.gate.Cost(market.Buy, rem, o.reserve)
			if need <= free {
				o.reserve = p
				continue
			}
			reason := fmt.Sprintf("cash: the market moved to %s won; the order needs %s won with fees at %s, %s free",
				humanize.Comma(y.last), humanize.Comma(need), humanize.Comma(p), humanize.Comma(free))
			if err := e.cancel(s, o.ID, reason); err != nil {
				s.log.Error().Err(err).Msg("cancel failed; order dropped from the books")
				s.acct.remove(i)
			}
			i--
			cancelled = true
		}
		if cancelled {
			e.drain(s)
		}
	}
}
