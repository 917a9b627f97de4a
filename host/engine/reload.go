package engine

import (
	"errors"
	"fmt"
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
	case s == nil:
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
	s.s.Close()
	e.unsubscribe(s)
	s.adopt(impl, file)
	s.initial = state
	e.subscribe(s)
	s.log.Info().Str("file", file).Msg("strategy replaced")
	if err := s.s.Start(state); err != nil {
		errs = append(errs, fmt.Errorf("engine: replace %s: on_start: %w", name, err))
		e.checkPaused(s)
	}
	e.drain(s)
	return errors.Join(errs...)
}

func (e *Engine) find(name string) *strat {
	for _, s := range e.strats {
		if s.name == name {
			return s
		}
	}
	return nil
}
