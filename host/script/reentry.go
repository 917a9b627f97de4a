package script

import (
	"errors"
	"fmt"

	"github.com/qbtrading/qb/lib/market"
)

// maxPending bounds the events deferred during one hook call, so a script
// that answers every rejection with a new order cannot loop forever
// inside one engine step.
const maxPending = 64

// pendingEvent is a fill or order update that arrived while a hook was
// running, typically from inside ctx.buy or ctx.cancel. Running a hook
// inside another would share the argument tables and the time budget, so
// it waits until the running hook returns.
type pendingEvent struct {
	hook  Hook
	fill  market.Fill
	order market.Order
}

func (s *Strategy) defer_(ev pendingEvent) error {
	if len(s.pending) >= maxPending {
		return &Error{File: s.prog.File, Hook: ev.hook.String(), Kind: KindRuntime,
			Msg: fmt.Sprintf("more than %d fill and order events during one hook call; event dropped", maxPending)}
	}
	s.pending = append(s.pending, ev)
	return nil
}

// deliverPending runs the deferred events in arrival order once the
// outermost hook call has returned. Events they cause are delivered too,
// up to maxPending in all.
func (s *Strategy) deliverPending() error {
	var errs []error
	for n := 0; len(s.pending) > 0; n++ {
		ev := s.pending[0]
		s.pending = s.pending[1:]
		if n >= maxPending {
			errs = append(errs, &Error{File: s.prog.File, Hook: ev.hook.String(), Kind: KindRuntime,
				Msg: fmt.Sprintf("more than %d chained fill and order events; the rest were dropped", maxPending)})
			s.pending = s.pending[:0]
			break
		}
		var err error
		if ev.hook == HookFill {
			err = s.Fill(&ev.fill)
		} else {
			err = s.Order(&ev.order)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	s.pending = s.pending[:0]
	return errors.Join(errs...)
}

// reentered reports a hook the engine tried to run from inside another.
func (s *Strategy) reentered(h Hook) error {
	return &Error{File: s.prog.File, Hook: h.String(), Kind: KindRuntime,
		Msg: "called while another hook of this strategy is running (from inside a ctx function)"}
}
