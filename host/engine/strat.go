package engine

import (
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// strat is one running strategy: its script, its account and broker, and
// the order updates waiting to be delivered. It is also the script.Host
// the strategy's ctx reaches (host.go).
type strat struct {
	e      *Engine
	name   string
	file   string
	id     risk.ID
	s      Strategy
	meta   script.Meta
	log    zerolog.Logger
	broker Broker
	market MarketBroker // broker, when it fills from market data

	wantsTick, wantsBar, wantsFill, wantsOrder bool

	acct    account
	seq     int64                     // the last order number given (Order.Seq)
	series  map[market.Symbol]*series // the strategy's timeframe, per symbol
	pending []market.Order            // order updates to deliver after the hook

	spec     Spec // what it was built from, for Restart
	initial  script.State
	state    script.State // what on_stop returned
	status   script.Status
	paused   bool
	closed   bool
	swapping bool // Replace is stopping the old version
	removed  bool // Remove stopped it; its account stays
	toldBars bool // it was told that bar data has no ticks for it
	ckpt     checkpointState
}

// running reports whether the strategy still gets events.
func (s *strat) running() bool {
	return !s.paused && !s.closed && !s.swapping && !s.removed && !s.e.stopped
}

// after finishes a hook call: it logs a failure, pauses the strategy when
// the runtime has given up on it, and delivers the order updates the hook
// caused.
func (e *Engine) after(s *strat, hook string, err error) {
	if err != nil {
		// Only a failure can pause a strategy, so the status is read then.
		s.log.Warn().Err(err).Str("hook", hook).Msg("hook failed")
		e.checkPaused(s)
	}
	e.drain(s)
	e.checkpoint(s)
}

// checkPaused notices that the runtime paused the strategy: it gets no
// more events, and its open orders are cancelled.
func (e *Engine) checkPaused(s *strat) {
	if s.paused {
		return
	}
	if st := s.s.Status(); st.Paused {
		s.paused, s.status = true, st
		s.log.Error().Str("reason", st.String()).Msg("strategy paused; cancelling its open orders")
		e.cancelAll(s, "strategy paused")
	}
}

// drain delivers the queued order updates to on_order. Orders placed in
// on_order queue more updates; at most maxCascade are delivered per event.
func (e *Engine) drain(s *strat) {
	for i := 0; i < len(s.pending); i++ {
		if !s.wantsOrder || !s.running() {
			break
		}
		if i == maxCascade {
			s.log.Warn().Int("dropped", len(s.pending)-i).Msg("too many order updates in one event; on_order not called for the rest")
			break
		}
		e.orderArg = s.pending[i]
		e.orderArg.ID = e.orderArg.Seq // the strategy's view (host.go)
		if err := s.s.Order(&e.orderArg); err != nil {
			s.log.Warn().Err(err).Str("hook", "on_order").Msg("hook failed")
			e.checkPaused(s)
		}
	}
	s.pending = s.pending[:0]
}

// subscribe creates the bar series the strategy needs and hooks it to its
// symbols' ticks and bars, keeping every list in strategy-name order.
func (e *Engine) subscribe(s *strat) {
	s.series = make(map[market.Symbol]*series, len(s.meta.Symbols))
	for _, sym := range s.meta.Symbols {
		y := e.symbol(sym)
		if s.wantsTick {
			y.tickSubs = insertByName(y.tickSubs, s)
		}
		if s.meta.Timeframe == 0 {
			continue
		}
		sr := e.seriesFor(y, s.meta.Timeframe)
		s.series[sym] = sr
		if s.wantsBar {
			sr.subs = insertByName(sr.subs, s)
		}
	}
}

// unsubscribe undoes subscribe; the series and their history stay.
func (e *Engine) unsubscribe(s *strat) {
	del := func(list []*strat) []*strat { return slices.DeleteFunc(list, func(x *strat) bool { return x == s }) }
	for _, y := range e.syms {
		y.tickSubs = del(y.tickSubs)
	}
	for _, sr := range e.series {
		sr.subs = del(sr.subs)
	}
	s.series = nil
}

func insertByName(list []*strat, s *strat) []*strat {
	i, found := slices.BinarySearchFunc(list, s.name, func(x *strat, name string) int { return strings.Compare(x.name, name) })
	if found {
		return list
	}
	return slices.Insert(list, i, s)
}
