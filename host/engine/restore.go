package engine

import (
	"fmt"

	"github.com/qbtrading/qb/lib/market"
)

// Restore is a strategy's trading state from an earlier run of the host,
// read back from a store (see Journal): the account starts from it
// instead of from Config.Cash. Config.Cash stays the account's starting
// cash in Results, so P&L counts from the first run.
type Restore struct {
	Cash int64 // the account's cash
	// Positions are the holdings. Until a symbol trades, its position is
	// valued at its cost, so equity (and the risk gate's daily loss) does
	// not jump at the first tick.
	Positions []market.Position
	// Open are the working orders, booked again on the account. A broker
	// that fills from market data (the paper broker) lived in the process
	// that stopped, so they are submitted to it again; another broker's
	// venue still holds them. An order the broker refuses is cancelled
	// ("not restored: …"). Orders whose life (in sessions, see the package
	// doc) was spent while the host was down are cancelled as the first
	// tick arrives.
	Open []market.Order
	// LastSeq is the highest order number (market.Order.Seq) the strategy
	// used: its new orders are numbered after it, and after every Open
	// order's. An Open order without a number (stored before orders had
	// one) is given the next.
	LastSeq int64
}

// restore books r on the strategy's new account.
func (e *Engine) restore(s *strat, r *Restore) error {
	if r.Cash < 0 {
		return fmt.Errorf("engine: restore %s: cash %d is negative", s.name, r.Cash)
	}
	a := &s.acct
	a.cash = r.Cash
	s.seq = r.LastSeq
	for _, o := range r.Open {
		s.seq = max(s.seq, o.Seq)
	}
	for _, p := range r.Positions {
		if err := p.Symbol.Validate(); err != nil || p.Qty < 0 {
			return fmt.Errorf("engine: restore %s: position %s qty %d is not valid", s.name, p.Symbol, p.Qty)
		}
		pos := p
		a.positions[p.Symbol] = &pos
		y := e.symbol(p.Symbol)
		y.holders = append(y.holders, &holding{s: s, pos: &pos, base: p.Cost})
		a.value += p.Cost
	}
	for _, o := range r.Open {
		e.reopen(s, o)
	}
	return nil
}

// reopen books a working order of an earlier run again.
func (e *Engine) reopen(s *strat, o market.Order) {
	o.Strategy = s.name
	e.nextID = max(e.nextID, o.ID)
	if o.Seq == 0 {
		s.seq++
		o.Seq = s.seq
	}
	if s.market != nil {
		if err := s.broker.Submit(o); err != nil {
			_ = o.Cancel(o.Created, "not restored: "+err.Error())
			s.log.Warn().Err(err).Int64("order", o.ID).Msg("working order of the last run not restored")
			e.logJournal(s, &o)
			return
		}
	}
	s.acct.open = append(s.acct.open, openOrder{Order: o, reserve: e.gate.Price(&o, e.quote(o.Symbol))})
	// Its sessions are counted when the clock starts (expireStale).
}

// expireStale counts, as the clock first starts, the sessions each
// restored order has seen since it was placed, and cancels those whose
// life is spent.
func (e *Engine) expireStale() {
	for _, s := range e.strats {
		for i := len(s.acct.open) - 1; i >= 0; i-- {
			o := &s.acct.open[i]
			o.sessions = sessionsSince(o.Created, e.day)
			if o.sessions < o.Lifetime() {
				continue
			}
			if err := e.cancel(s, o.ID, expiry(o.Lifetime())); err != nil {
				s.log.Error().Err(err).Msg("cancel failed; order dropped from the books")
				s.acct.remove(i)
			}
		}
		e.drain(s)
	}
}
