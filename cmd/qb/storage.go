package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/live"
	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/host/statefile"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// storage is what qb run keeps its data in.
type storage struct {
	st     sqldb.Store      // nil with --store none
	rec    *record.Recorder // nil with --store none
	states *stateStores
	log    zerolog.Logger
	closed bool
	// stateLate: the store did not take the strategy state at shutdown.
	stateLate bool
}

// closeTimeout bounds the recorder's last flush at shutdown; what is left
// stays in the spool directory for the next start.
const closeTimeout = 30 * time.Second

// closeTimeoutDown is closeTimeout when the store did not take the
// strategy state within stateCloseTimeout and does not answer a read: it
// is down.
const closeTimeoutDown = 2 * time.Second

// openStorage opens --store (and the recorder writing to it), or the state
// folder with --store none.
func openStorage(ctx context.Context, rf runFlags, log zerolog.Logger) (*storage, error) {
	stateDir := rf.stateDir
	if stateDir == "" {
		stateDir = filepath.Join(rf.dataDir, "state")
	}
	if rf.store == storeNone {
		dir, err := statefile.Open(stateDir)
		if err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		return &storage{states: newStateStores(dir, nil, log), log: log}, nil
	}
	target := storeTarget(rf.store, rf.dataDir)
	st, err := openStore(ctx, target, log)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	// Every order is stored before it is sent: a store that cannot be
	// written is refused now, not order by order.
	if err := sqldb.CheckWritable(ctx, st); err != nil {
		st.Close()
		return nil, fmt.Errorf("run: store %s is not writable: %w", redact(target), err)
	}
	rec, err := record.New(record.Config{Store: recStore{st}, Durable: st, Dir: filepath.Join(rf.dataDir, "spool"), Log: log,
		Stop: ctx.Done(), IsFull: sqldb.IsFull})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("run: %w", err)
	}
	// The writer outlives Ctrl-C: close flushes it.
	rec.Start(context.WithoutCancel(ctx))
	// The state files keep a copy of every state the store gets, so a
	// store that is down at Ctrl-C loses none.
	files, err := statefile.Open(stateDir)
	if err != nil {
		log.Warn().Err(err).Msg("no local copy of strategy state: it is kept in the store only")
		files = nil
	}
	states := newStateStores(files, &storeStates{st: st}, log)
	return &storage{st: st, rec: rec, states: states, log: log}, nil
}

// spilledUntil is the latest tick in the spill files an earlier run left,
// which the store does not have yet; zero when none.
func (s *storage) spilledUntil() time.Time {
	if s.rec == nil {
		return time.Time{}
	}
	return s.rec.SpilledUntil()
}

// recoverTimeout bounds the wait at start for the store to take the
// orders and fills the last run journaled but never stored.
const recoverTimeout = time.Minute

// recover writes to the store what the last run journaled and the store
// lacks, so that the restore that follows reads every order and fill the
// engine acted on: no filled order comes back as working, no fill is
// missing from cash and positions.
func (s *storage) recover(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, recoverTimeout)
	defer cancel()
	if err := s.rec.Recover(ctx); err != nil {
		return fmt.Errorf("run: restore: %w", err)
	}
	return nil
}

// sink is the engine's Sink: fills and rejections logged, bars recorded.
func (s *storage) sink() engine.Sink {
	ls := live.LogSink{Log: s.log}
	if s.rec == nil {
		return ls
	}
	return recordSink{log: ls, rec: s.rec}
}

// journal is the engine's Journal, nil with --store none.
func (s *storage) journal() engine.Journal {
	if s.rec == nil {
		return nil
	}
	return journal{rec: s.rec}
}

// tee records the feed's ticks on their way to the engine, on its own
// goroutine: the recorder never blocks, and the engine's loop does not
// pay for it. out is closed when in is; the tee ends with ctx.
func (s *storage) tee(ctx context.Context, in <-chan market.Tick, out chan<- market.Tick) {
	for {
		var t market.Tick
		var ok bool
		select {
		case t, ok = <-in:
		case <-ctx.Done():
			return
		}
		if !ok {
			close(out)
			return
		}
		if s.rec != nil {
			s.rec.Tick(&t)
		}
		select {
		case out <- t:
		case <-ctx.Done():
			return
		}
	}
}

// reachable reports whether the store answers a read within a second: a
// store that is only busy does, one that is down does not.
func (s *storage) reachable(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	_, _, err := s.st.LoadStrategyState(ctx, "qb-probe")
	if err != nil {
		s.log.Warn().Err(err).Msg("store unreachable at shutdown: the recorder's last flush gets 2 s, the rest stays in the spool")
	}
	return err == nil
}

// close flushes the recorder and closes the store; calls after the first
// do nothing.
func (s *storage) close(ctx context.Context) error {
	if s.states != nil && !s.states.closed { // a run that ended before saveStates
		if down, err := s.states.close(ctx); err != nil || down {
			s.stateLate = down
			s.log.Warn().Err(err).Msg("strategy state not written")
		}
	}
	if s.st == nil || s.closed {
		return nil
	}
	s.closed = true
	defer s.st.Close()
	timeout := closeTimeout
	if s.stateLate && !s.reachable(ctx) { // what is left goes to the spool, replayed at the next start
		timeout = closeTimeoutDown
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	err := s.rec.Close(ctx)
	stats := s.rec.Stats()
	s.log.Info().Int64("recorded", stats.Recorded).Int64("written", stats.Written).Int64("spilled", stats.Spilled).
		Int64("lost", stats.Lost).Msg("recorder closed")
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}
