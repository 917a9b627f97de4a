package record

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/market"
)

// ErrStorageFull is wrapped by the error SaveOrder returns for a new order
// once the store or the spill directory ran out of space: trading halts,
// since an order that cannot be stored must not be sent.
var ErrStorageFull = errors.New("storage full")

// logEvery is the least time between two lines of one repeated recorder
// message (a store that keeps failing, records being lost); each line
// that follows a pause counts the ones held back in "suppressed".
const logEvery = 10 * time.Second

// limited logs a repeated message at most once per logEvery, through
// zerolog's BurstSampler, and counts the lines it held back.
type limited struct {
	log  zerolog.Logger
	held atomic.Int64
}

func newLimited(log zerolog.Logger) *limited {
	return &limited{log: log.Sample(&zerolog.BurstSampler{Burst: 1, Period: logEvery})}
}

// event returns the event to log, or nil (on which every method is a
// no-op) when the line is held back.
func (l *limited) event(level zerolog.Level) *zerolog.Event {
	ev := l.log.WithLevel(level)
	if ev == nil {
		l.held.Add(1)
		return nil
	}
	if n := l.held.Swap(0); n > 0 {
		ev = ev.Int64("suppressed", n)
	}
	return ev
}

// isFull says whether err means the disk (or the database) has no room.
func (r *Recorder) isFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) ||
		(r.cfg.IsFull != nil && r.cfg.IsFull(err))
}

// noteFull halts trading at the first out-of-space error: it logs that once,
// and from then on SaveOrder refuses new orders. It reports whether err
// was one.
func (r *Recorder) noteFull(err error) bool {
	if err == nil || !r.isFull(err) {
		return false
	}
	r.fullOnce.Do(func() {
		r.full.Store(&err)
		r.cfg.Log.Error().Err(err).Str("spool", r.cfg.Dir).
			Msg("storage full: trading halted, new orders are refused; what is stored stays, market data is kept in memory while it fits; free space and restart qb")
	})
	return true
}

// halted returns the error that halted trading, nil while there is room.
func (r *Recorder) halted() error {
	if p := r.full.Load(); p != nil {
		return *p
	}
	return nil
}

// refuseOrder is SaveOrder's answer once trading halted: a new order is
// refused without touching the store; the rejection of such an order has
// nothing to update, as the order was never stored.
func (r *Recorder) refuseOrder(o *market.Order) (bool, error) {
	cause := r.halted()
	if cause == nil {
		return false, nil
	}
	switch {
	case o.Status == market.OrderNew:
		return true, fmt.Errorf("%w: trading halted, new orders are refused (%v)", ErrStorageFull, cause)
	case o.Status == market.OrderRejected && strings.Contains(o.Reason, ErrStorageFull.Error()+": trading halted"):
		return true, nil
	}
	return false, nil
}

// stopping reports whether the host is stopping (Config.Stop closed).
func (r *Recorder) stopping() bool {
	select {
	case <-r.cfg.Stop:
		return true
	default:
		return false
	}
}
