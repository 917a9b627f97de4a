package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Replace swaps the running strategy called name for a new version built
// from sp: a hot reload. The new version is loaded first; if that fails,
// or it declares another name, the old version keeps running and the
// error is returned. Otherwise the old version's on_stop runs, then the
// new version's on_start with what on_stop returned (sp.State is not
// used). The account, positions, working orders, bar history and cached
// indicators stay, so the new version needs no warm-up; a paused strategy
// runs again. The new version may change its symbols, timeframe and hooks;
// a timeframe new to the engine starts with no history.
func (e *Engine) Replace(name string, sp Spec) error {
	s := e.find(name)
	switch {
	case s == nil || s.removed:
		return fmt.Errorf("engine: replace %s: no such strategy", name)
	case e.stopped || !e.started:
		return fmt.Errorf("engine: replace %s: engine not running", name)
	}
	impl, file, err := e.build(&sp, s)
	if err != nil {
		return fmt.Errorf("engine: replace %s: %w", name, err)
	}
	if got := impl.Meta().Name; got != name {
		impl.Close()
		return fmt.Errorf("engine: replace %s: %s declares name %q; a new name is a new strategy", name, file, got)
	}
	var errs []error
	var state any
	if !s.paused {
		s.swapping = true // orders from the old version's on_stop are refused
		if state, err = s.s.Stop(); err != nil {
			errs = append(errs, fmt.Errorf("engine: replace %s: old version's on_stop: %w", name, err))
		}
		s.swapping = false
	}
	state = e.handOver(s, state, true)
	s.spec = sp
	if err := e.swap(s, impl, file, state, "replace"); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// swap closes the strategy's running version and starts impl in its
// place with on_start(state), on the same account.
func (e *Engine) swap(s *strat, impl Strategy, file string, state any, op string) error {
	s.s.Close()
	e.unsubscribe(s)
	s.adopt(impl, file)
	s.initial = state
	e.subscribe(s)
	msg := "strategy replaced"
	if op == "restart" {
		msg = "strategy restarted"
	}
	s.log.Info().Str("file", file).Msg(msg)
	var err error
	if serr := s.s.Start(state); serr != nil {
		err = fmt.Errorf("engine: %s %s: on_start: %w", op, s.name, serr)
		e.checkPaused(s)
	}
	e.drain(s)
	return err
}

// Restart runs a strategy that its runtime stopped (a limit, or too many
// failures; see Status) again, at an operator's request: it is rebuilt
// from the program and options it last ran with, on the same account,
// and on_start gets the state the stopped version was started with (its
// on_stop did not run). Restarting a strategy that runs is an error; a
// stopped strategy otherwise stays stopped until its file changes
// (Replace).
func (e *Engine) Restart(name string) error {
	s := e.find(name)
	switch {
	case s == nil || s.removed:
		return fmt.Errorf("engine: restart %s: no such strategy", name)
	case e.stopped || !e.started:
		return fmt.Errorf("engine: restart %s: engine not running", name)
	case !s.paused:
		return fmt.Errorf("engine: restart %s: it is running, not stopped", name)
	}
	impl, file, err := e.build(&s.spec, s)
	if err != nil {
		return fmt.Errorf("engine: restart %s: %w", name, err)
	}
	if got := impl.Meta().Name; got != name {
		impl.Close()
		return fmt.Errorf("engine: restart %s: %s now declares name %q", name, file, got)
	}
	return e.swap(s, impl, file, s.initial, "restart")
}

func (e *Engine) find(name string) *strat {
	for _, s := range e.strats {
		if s.name == name {
			return s
		}
	}
	return nil
}

// Add starts a new strategy while the engine runs (a new file in the
// scripts folder), on a fresh account, with on_start(sp.State). A
// strategy of the same name that was removed comes back on its old
// account instead. A name in use is an error.
func (e *Engine) Add(sp Spec) error {
	if e.stopped {
		return errors.New("engine: add strategy: engine stopped")
	}
	s, err := e.load(&sp)
	if err != nil {
		return err
	}
	if old := e.find(s.name); old != nil {
		s.s.Close()
		if !old.removed {
			return fmt.Errorf("engine: add %s: a strategy of that name is running (%s)", s.name, old.file)
		}
		return e.revive(old, &sp)
	}
	s.id = e.gate.Register(s.name, e.cfg.Cash)
	i, _ := slices.BinarySearchFunc(e.strats, s.name, func(x *strat, name string) int { return strings.Compare(x.name, name) })
	e.strats = slices.Insert(e.strats, i, s)
	e.subscribe(s)
	if e.clocked {
		s.acct.point(e.now, s.equity())
	}
	if e.started {
		e.start(s)
	}
	return nil
}

// revive runs a removed strategy again on its account.
func (e *Engine) revive(s *strat, sp *Spec) error {
	impl, file, err := e.build(sp, s)
	if err != nil {
		return err
	}
	s.adopt(impl, file)
	s.spec = *sp
	s.removed, s.closed, s.initial = false, false, sp.State
	e.subscribe(s)
	if e.started {
		e.start(s)
	}
	return nil
}

// Remove stops a strategy while the engine runs (its file was deleted):
// on_stop runs, its working orders are cancelled, and it gets no more
// events. Its account, positions included, stays in Results.
func (e *Engine) Remove(name string) error {
	s := e.find(name)
	if s == nil || s.removed {
		return fmt.Errorf("engine: remove %s: no such strategy", name)
	}
	var err error
	if !s.paused && e.started {
		s.swapping = true
		s.state, err = s.s.Stop()
		s.swapping = false
	}
	s.state = e.handOver(s, s.state, true)
	s.status = s.s.Status()
	e.cancelAll(s, "strategy removed")
	s.pending = s.pending[:0]
	e.unsubscribe(s)
	s.removed, s.closed = true, true
	s.s.Close()
	if e.clocked {
		s.acct.point(e.now, s.equity())
	}
	s.log.Info().Msg("strategy removed")
	if err != nil {
		return fmt.Errorf("engine: remove %s: on_stop: %w", name, err)
	}
	return nil
}
