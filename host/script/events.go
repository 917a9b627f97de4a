package script

import (
	"github.com/qbtrading/qb/lib/market"
)

// Start calls on_start(ctx, state) with st converted to Lua (nil when the
// strategy has no saved state). st is also kept for a restart after a
// timeout; the caller must not change it afterwards.
func (s *Strategy) Start(st State) error {
	if s.paused || s.closed {
		return nil
	}
	if s.inCall {
		return s.reentered(HookStart)
	}
	s.started, s.startState = true, st
	if s.hooks[HookStart] == nil {
		return nil
	}
	arg, err := toLua(s.L, st)
	if err != nil {
		return &Error{File: s.prog.File, Hook: "on_start", Kind: KindRuntime, Msg: err.Error()}
	}
	_, _, cerr := s.call(HookStart, arg, 0)
	return cerr
}

// Tick calls on_tick(ctx, tick). The tick table is reused between calls.
func (s *Strategy) Tick(t *market.Tick) error {
	if !s.Wants(HookTick) {
		return nil
	}
	if s.inCall {
		return s.reentered(HookTick)
	}
	_, _, err := s.call(HookTick, s.args.setTick(t), 0)
	return err
}

// Bar calls on_bar(ctx, bar) for a closed bar. The bar table is reused.
func (s *Strategy) Bar(b *market.Bar) error {
	if !s.Wants(HookBar) {
		return nil
	}
	if s.inCall {
		return s.reentered(HookBar)
	}
	_, _, err := s.call(HookBar, s.args.setBar(b), 0)
	return err
}

// Fill calls on_fill(ctx, fill). The fill table is reused. Called while a
// hook runs (a fill reported from inside ctx.buy), it is delivered when
// that hook returns.
func (s *Strategy) Fill(f *market.Fill) error {
	if !s.Wants(HookFill) {
		return nil
	}
	if s.inCall {
		return s.defer_(pendingEvent{hook: HookFill, fill: *f})
	}
	_, _, err := s.call(HookFill, s.args.setFill(f), 0)
	return err
}

// Order calls on_order(ctx, order) after an order changed state (accepted,
// rejected with its reason, cancelled, filled). The order table is reused.
// Called while a hook runs (a rejection reported from inside ctx.buy), it
// is delivered when that hook returns.
func (s *Strategy) Order(o *market.Order) error {
	if !s.Wants(HookOrder) {
		return nil
	}
	if s.inCall {
		return s.defer_(pendingEvent{hook: HookOrder, order: *o})
	}
	_, _, err := s.call(HookOrder, s.args.setOrder(o), 0)
	return err
}

// Stop calls on_stop(ctx) and returns its result deep-copied into plain Go
// values (see State). A paused strategy, or one without on_stop, returns
// nil.
func (s *Strategy) Stop() (State, error) {
	if s.inCall {
		return nil, s.reentered(HookStop)
	}
	ret, ok, err := s.call(HookStop, nil, 1)
	if !ok {
		return nil, err
	}
	st, cerr := fromLua(ret)
	if cerr != nil {
		return nil, s.fail(&Error{File: s.prog.File, Line: fnLine(s.hooks[HookStop]),
			Hook: "on_stop", Kind: KindRuntime, Msg: cerr.Error()})
	}
	return st, err // err: from fills or order updates deferred during on_stop

}
