package script

import (
	"errors"
	"fmt"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// Hook names a strategy callback.
type Hook int

// The hooks, in the order a strategy's life sees them.
const (
	HookStart Hook = iota
	HookTick
	HookBar
	HookFill
	HookOrder
	HookStop
	numHooks
)

var hookNames = [numHooks]string{"on_start", "on_tick", "on_bar", "on_fill", "on_order", "on_stop"}

// String returns the Lua name of the hook ("on_tick").
func (h Hook) String() string {
	if h >= 0 && h < numHooks {
		return hookNames[h]
	}
	return "Hook(" + strconv.Itoa(int(h)) + ")"
}

// Status is a strategy's health.
type Status struct {
	Paused   bool      // hooks are no-ops until the strategy is rebuilt
	Cause    ErrorKind // what paused it: KindTimeout, KindMemory, KindRuntime...; 0 while running
	Reason   string    // why it is paused: the limit, hook and file:line
	Failures int       // consecutive failed calls; a success resets it
	Last     *Error    // the most recent failure (hook, file, line, message); nil if none
}

// String summarises the status for a log line or a report.
func (st Status) String() string {
	switch {
	case st.Paused:
		return "paused: " + st.Reason
	case st.Failures > 0:
		return fmt.Sprintf("running, %d consecutive failures, last: %v", st.Failures, st.Last)
	}
	return "running"
}

// Status reports whether the strategy runs or is paused, and why.
func (s *Strategy) Status() Status {
	st := Status{Paused: s.paused, Cause: s.cause, Reason: s.reason, Failures: s.failures}
	if s.last != nil {
		e := *s.last
		st.Last = &e
	}
	return st
}

// call runs hook h with ctx and arg (nil for none) and returns the hook's
// first result when nret is 1. It does nothing when the hook is absent or
// the strategy paused.
func (s *Strategy) call(h Hook, arg lua.LValue, nret int) (lua.LValue, bool, error) {
	fn := s.hooks[h]
	if fn == nil || s.paused || s.closed {
		return nil, false, nil
	}
	s.beginCall()
	var err error
	if arg == nil {
		err = s.L.CallByParam(lua.P{Fn: fn, NRet: nret, Protect: true}, s.ctx)
	} else {
		err = s.L.CallByParam(lua.P{Fn: fn, NRet: nret, Protect: true}, s.ctx, arg)
	}
	fired := s.endCall(hookNames[h])
	var ret lua.LValue = lua.LNil
	if err == nil && fired == 0 && nret > 0 {
		ret = s.L.Get(-1)
		s.L.Pop(nret)
	}
	ok, ferr := s.outcome(h, err, fired)
	if len(s.pending) > 0 {
		ferr = errors.Join(ferr, s.deliverPending())
	}
	return ret, ok, ferr
}

// outcome counts the call's success or failure. A call over the memory
// budget, or a state found to retain more than it, stops the strategy at
// once: unlike a timeout, running it again would only do it again.
func (s *Strategy) outcome(h Hook, err error, fired int32) (bool, error) {
	switch {
	case fired == firedMemory:
		s.failures++
		return false, s.stop(s.limitError(hookNames[h], err, KindMemory), "stopped by the memory limit")
	case fired == firedTime:
		return false, s.fail(s.limitError(hookNames[h], err, KindTimeout))
	case err != nil:
		return false, s.fail(runtimeError(s.prog.File, hookNames[h], KindRuntime, err))
	}
	s.failures = 0
	if s.wd.walkDue() {
		if e := s.checkRetained(hookNames[h]); e != nil {
			s.failures++
			return false, s.stop(e, "stopped by the memory limit")
		}
	}
	return true, nil
}

func (s *Strategy) beginCall() {
	s.calls++
	s.inCall = true
	s.logsLeft, s.dropped = maxLogLines, 0
	s.wd.begin()
}

// endCall stops the watchdog clock and reports whether it fired, and why
// (firedTime, firedMemory; 0 when it did not).
func (s *Strategy) endCall(what string) int32 {
	fired := s.wd.end()
	s.inCall = false
	if s.dropped > 0 {
		s.opt.Log.Warn().Str("hook", what).Int("dropped", s.dropped).
			Msgf("script: dropped %d log lines (limit %d per call)", s.dropped, maxLogLines)
	}
	return fired
}

// limitError places a call the watchdog aborted (KindTimeout or
// KindMemory) where it was stopped, if known.
func (s *Strategy) limitError(hook string, err error, kind ErrorKind) *Error {
	e := &Error{File: s.prog.File, Hook: hook}
	if err != nil {
		e = runtimeError(s.prog.File, hook, kind, err)
	}
	e.Kind = kind
	if kind == KindMemory {
		e.Msg = fmt.Sprintf("allocated more than its per-call memory budget of %s in one call", mib(s.opt.CallMemory))
	} else {
		e.Msg = fmt.Sprintf("exceeded the time budget of %v", s.opt.Budget)
	}
	return e
}

// firedError is the error of a call the watchdog aborted.
func (s *Strategy) firedError(hook string, err error, fired int32) *Error {
	if fired == firedMemory {
		return s.limitError(hook, err, KindMemory)
	}
	return s.limitError(hook, err, KindTimeout)
}

// timeoutWindow is the span, in hook calls, over which timeouts are
// counted: a script that overruns every other call never fails
// MaxFailures times in a row, yet would spend its whole budget on half the
// engine's events, delaying every other strategy behind it.
const timeoutWindow = 1000

// tooManyTimeouts records a timeout and reports whether MaxFailures of
// them fell within the last timeoutWindow calls.
func (s *Strategy) tooManyTimeouts() bool {
	s.timeouts = append(s.timeouts, s.calls)
	if len(s.timeouts) > s.opt.MaxFailures {
		s.timeouts = s.timeouts[1:]
	}
	return len(s.timeouts) == s.opt.MaxFailures && s.calls-s.timeouts[0] < timeoutWindow
}

// stop pauses the strategy at once because of e, whatever the failure
// count, and returns e as KindPaused; why opens the reason.
func (s *Strategy) stop(e *Error, why string) error {
	s.last = e
	s.pause(e.Kind, fmt.Sprintf("%s: %v", why, e))
	p := *e
	p.Kind = KindPaused
	p.Msg = "stopped: " + e.Msg
	return &p
}

// fail counts a failure. After a timeout the LState is rebuilt, because a
// cancelled state cannot run again and may be half-updated. At MaxFailures
// the strategy pauses and the error becomes KindPaused.
func (s *Strategy) fail(e *Error) error {
	s.failures++
	s.last = e
	if e.Kind == KindTimeout {
		if rerr := s.restart(); rerr != nil {
			s.last = rerr
			s.pause(e.Kind, fmt.Sprintf("%v; the restart after it failed: %v", e, rerr))
			return &Error{File: rerr.File, Line: rerr.Line, Hook: rerr.Hook, Kind: KindPaused,
				Msg: fmt.Sprintf("%s; restart failed: %s", e.Msg, rerr.Msg)}
		}
	}
	if e.Kind == KindTimeout && s.tooManyTimeouts() {
		return s.stop(e, fmt.Sprintf("%d timeouts within %d calls", s.opt.MaxFailures, timeoutWindow))
	}
	if s.failures >= s.opt.MaxFailures {
		s.pause(e.Kind, fmt.Sprintf("%d consecutive failures, the last: %v", s.failures, e))
		p := *e
		p.Kind = KindPaused
		p.Msg = fmt.Sprintf("paused after %d consecutive failures: %s", s.failures, e.Msg)
		return &p
	}
	return e
}

// pause turns every hook into a no-op and frees the LState; cause is the
// kind of the failure that made it.
func (s *Strategy) pause(cause ErrorKind, reason string) {
	s.paused, s.reason, s.cause = true, reason, cause
	if s.L != nil {
		s.L.Close()
		s.L = nil
	}
}

// restart rebuilds the LState from the compiled program after a timeout.
// The script's Lua globals and module-level locals start afresh; its
// positions, cash and orders live in the engine and are unaffected. If
// Start had run, on_start runs again with the state Start was given, just
// as after a hot reload, so a strategy that sets itself up in on_start
// works on.
func (s *Strategy) restart() *Error {
	if err := s.build(); err != nil {
		return err
	}
	if !s.started || s.hooks[HookStart] == nil {
		return nil
	}
	st := s.startState
	if s.checkpoint != nil { // ctx.save ran since: the newer state
		st = s.checkpoint
	}
	arg, err := toLua(s.L, st)
	if err != nil {
		return &Error{File: s.prog.File, Hook: "on_start", Kind: KindRuntime, Msg: err.Error()}
	}
	s.beginCall()
	cerr := s.L.CallByParam(lua.P{Fn: s.hooks[HookStart], NRet: 0, Protect: true}, s.ctx, arg)
	if fired := s.endCall("on_start"); fired != 0 {
		return s.firedError("on_start", cerr, fired)
	}
	if cerr != nil {
		return runtimeError(s.prog.File, "on_start", KindRuntime, cerr)
	}
	return nil
}
