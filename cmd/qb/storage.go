package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/live"
	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/host/statefile"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// stateKeeper keeps each strategy's on_stop state between runs: the
// store's strategy_state table, or files with --store none.
type stateKeeper interface {
	LoadState(ctx context.Context, name string) (script.State, bool, error)
	SaveState(ctx context.Context, name string, st script.State) error
}

// storage is what qb run keeps its data in.
type storage struct {
	st     sqldb.Store      // nil with --store none
	rec    *record.Recorder // nil with --store none
	states stateKeeper
	log    zerolog.Logger
	closed bool
}

// closeTimeout bounds the recorder's last flush at shutdown; what is left
// stays in the spool directory for the next start.
const closeTimeout = 30 * time.Second

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
		return &storage{states: dir, log: log}, nil
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
	states := storeStates{st: st, rec: rec}
	if fi, err := os.Stat(stateDir); err == nil && fi.IsDir() {
		if states.files, err = statefile.Open(stateDir); err != nil {
			err = errors.Join(fmt.Errorf("run: %w", err), rec.Close(ctx))
			st.Close()
			return nil, err
		}
	}
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

// close flushes the recorder and closes the store; calls after the first
// do nothing.
func (s *storage) close(ctx context.Context) error {
	if s.st == nil || s.closed {
		return nil
	}
	s.closed = true
	defer s.st.Close()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
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
