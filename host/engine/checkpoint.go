package engine

import (
	"time"

	"github.com/qbtrading/qb/host/script"
)

// DefaultCheckpointEvery is the longest, in engine time, a changed
// checkpoint waits before it goes to Config.Checkpoint.
const DefaultCheckpointEvery = time.Minute

// Checkpointer is a Strategy whose script can save a checkpoint while it
// runs (ctx.save): *script.Strategy. TakeCheckpoint returns the last one
// and whether it is new since the previous call.
type Checkpointer interface {
	TakeCheckpoint() (script.State, bool)
}

var _ Checkpointer = (*script.Strategy)(nil)

// checkpointState is a strategy's checkpoint bookkeeping.
type checkpointState struct {
	st     script.State // the latest checkpoint
	dirty  bool         // st has not gone to Config.Checkpoint yet
	filled bool         // a fill was booked since the last one went out
	sent   int64        // engine time (unix ns) the last one went out
}

// takeCheckpoint picks up what the strategy's script last passed to
// ctx.save.
func (s *strat) takeCheckpoint() {
	c, ok := s.s.(Checkpointer)
	if !ok {
		return
	}
	if st, isNew := c.TakeCheckpoint(); isNew {
		s.ckpt.st, s.ckpt.dirty = st, true
	}
}

// checkpoint runs after each hook call: a new checkpoint goes out at once
// after a fill, else once DefaultCheckpointEvery (Config.CheckpointEvery)
// of engine time has passed since the last one went out. The receiver
// writes it off the engine's goroutine.
func (e *Engine) checkpoint(s *strat) {
	s.takeCheckpoint()
	if !s.ckpt.dirty || e.cfg.Checkpoint == nil {
		return
	}
	if s.ckpt.filled || e.nowNs-s.ckpt.sent >= int64(e.cfg.CheckpointEvery) {
		e.sendCheckpoint(s)
	}
}

func (e *Engine) sendCheckpoint(s *strat) {
	s.ckpt.dirty, s.ckpt.filled, s.ckpt.sent = false, false, e.nowNs
	if e.cfg.Checkpoint != nil {
		e.cfg.Checkpoint(s.name, s.ckpt.st)
	}
}

// dueCheckpoints sends, as the clock passes each interval, the
// checkpoints of strategies whose hooks have not run since they saved.
func (e *Engine) dueCheckpoints() {
	if e.cfg.Checkpoint == nil || e.nowNs < e.ckptNext {
		return
	}
	e.ckptNext = e.nowNs + int64(e.cfg.CheckpointEvery)
	for _, s := range e.strats {
		if s.ckpt.dirty && e.nowNs-s.ckpt.sent >= int64(e.cfg.CheckpointEvery) {
			e.sendCheckpoint(s)
		}
	}
}

// handOver is the state a stopping version hands on: what on_stop
// returned, or when that is nil the last checkpoint. A non-nil on_stop
// table becomes the checkpoint, sent at once when send is set.
func (e *Engine) handOver(s *strat, stopped script.State, send bool) script.State {
	s.takeCheckpoint()
	if stopped == nil {
		return s.ckpt.st
	}
	s.ckpt.st, s.ckpt.dirty = stopped, true
	if send {
		e.sendCheckpoint(s)
	}
	return stopped
}
