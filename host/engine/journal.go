package engine

import "github.com/qbtrading/qb/lib/market"

// Journal keeps the trading state the engine must never forget, durably
// and synchronously: each call returns once the record is durable. The
// engine calls it on its own goroutine, before it acts:
//
//   - SaveOrder with the new order before it goes to the broker (an order
//     the journal cannot store is rejected, never sent), and again after
//     every change of status (accepted, rejected, cancelled, filled);
//   - SaveFill before the fill is booked on the account, and SavePosition
//     with the position the fill made, before any hook hears of it.
//
// A fill has already happened at the venue, so one the journal fails to
// store is still booked and the failure logged as an error. SaveFill must
// be idempotent. Calls block the engine, and SaveOrder runs inside the
// hook that placed the order (ctx.buy), on its time budget: an
// implementation makes the record durable locally (host/record appends it
// to a file and fsyncs it) and brings a database up to date in the
// background, never waiting for one.
type Journal interface {
	SaveOrder(o market.Order) error
	SaveFill(f market.Fill) error
	SavePosition(strategy string, p market.Position) error
}

// journalOrder stores o when a journal is configured.
func (e *Engine) journalOrder(s *strat, o *market.Order) error {
	if e.cfg.Journal == nil {
		return nil
	}
	return e.cfg.Journal.SaveOrder(*o)
}

// logJournal stores an order update the engine has already made; a
// failure can only be reported.
func (e *Engine) logJournal(s *strat, o *market.Order) {
	if err := e.journalOrder(s, o); err != nil {
		s.log.Error().Err(err).Int64("order", o.ID).Str("status", o.Status.String()).
			Msg("journal: order update not stored")
	}
}

// journalFill stores a fill before it is booked.
func (e *Engine) journalFill(s *strat, f *market.Fill) {
	if e.cfg.Journal == nil {
		return
	}
	if err := e.cfg.Journal.SaveFill(*f); err != nil {
		s.log.Error().Err(err).Int64("order", f.OrderID).Msg("journal: fill not stored; booked anyway, it happened")
	}
}

// journalPosition stores the position a fill changed.
func (e *Engine) journalPosition(s *strat, p *market.Position) {
	if e.cfg.Journal == nil {
		return
	}
	if err := e.cfg.Journal.SavePosition(s.name, *p); err != nil {
		s.log.Error().Err(err).Str("symbol", string(p.Symbol)).Msg("journal: position not stored")
	}
}
