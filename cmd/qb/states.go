package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/host/statefile"
)

// stateCloseTimeout bounds the last state writes at shutdown. The local
// file takes milliseconds; a store that has not taken the state by then
// is down, and the file has it for the next start.
const stateCloseTimeout = 3 * time.Second

// stateStores keeps each strategy's state between runs: its checkpoints
// (ctx.save) while it runs and its on_stop table at the end. Every state
// goes, with a version, to the local state file (data/state/NAME.json)
// and to the store's strategy_state table, each in the background; at the
// next start the newer of the two is handed to on_start.
type stateStores struct {
	files *statefile.Dir // nil when the state folder could not be opened
	store *storeStates   // nil with --store none
	w     *statefile.Writer
	log   zerolog.Logger
	// closed: close ran; the writer takes nothing more.
	closed bool
}

func newStateStores(files *statefile.Dir, store *storeStates, log zerolog.Logger) *stateStores {
	s := &stateStores{files: files, store: store, log: log}
	var targets []statefile.Target
	if files != nil {
		targets = append(targets, statefile.Target{Name: "state file", Saver: files})
	}
	if store != nil {
		targets = append(targets, statefile.Target{Name: "store", Saver: store, Timeout: stateTimeout})
	}
	s.w = statefile.NewWriter(log, targets...)
	return s
}

// load returns name's newest state: the state file's or the store's,
// whichever has the higher version (the store's on a tie, as before
// versions). A damaged copy is logged and the other one used.
func (s *stateStores) load(ctx context.Context, name string) (script.State, bool, error) {
	type copyOf struct {
		st      script.State
		version int64
		ok      bool
		err     error
	}
	var file, store copyOf
	if s.files != nil {
		file.st, file.version, file.ok, file.err = s.files.LoadVersion(ctx, name)
	}
	if s.store != nil {
		store.st, store.version, store.ok, store.err = s.store.LoadVersion(ctx, name)
	}
	switch {
	case file.err != nil && store.err != nil:
		return nil, false, errors.Join(file.err, store.err)
	case file.err != nil && store.ok:
		s.log.Warn().Err(file.err).Str("strategy", name).Msg("state file unreadable; using the store's state")
	case file.err != nil:
		return nil, false, file.err
	case store.err != nil && file.ok:
		s.log.Warn().Err(store.err).Str("strategy", name).Msg("store's state unreadable; using the state file")
	case store.err != nil:
		return nil, false, store.err
	}
	s.w.Floor(max(file.version, store.version))
	best, from := store, "store"
	if file.ok && (!store.ok || store.err != nil || file.version > store.version) {
		best, from = file, "state file"
	}
	if !best.ok {
		return nil, false, nil
	}
	s.log.Info().Str("strategy", name).Str("from", from).Time("saved", time.Unix(0, best.version)).Msg("strategy state restored")
	return best.st, true, nil
}

// put queues st as name's latest state; it never waits.
func (s *stateStores) put(name string, st script.State) { s.w.Put(name, st) }

// close writes the states still queued, within stateCloseTimeout. A
// state that reached one of the two places is only a warning: the next
// start reads it from there. late reports that the store did not take
// the states in time: it is down, or busy.
func (s *stateStores) close(ctx context.Context) (late bool, err error) {
	if s.closed {
		return false, nil
	}
	s.closed = true
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stateCloseTimeout)
	defer cancel()
	if err = s.w.Close(ctx); err == nil {
		return false, nil
	}
	late = s.store != nil && s.w.Pending("store") > 0
	fileMissing := s.files == nil || s.w.Pending("state file") > 0
	if fileMissing && (s.store == nil || late) {
		return late, fmt.Errorf("run: %w", err)
	}
	s.log.Warn().Err(err).Msg("strategy state kept in one place only; the next start reads it from there")
	return late, nil
}
