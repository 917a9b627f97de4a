// Package kisfeed turns the KIS real-time feed (lib/kis) into the host's
// ticks: trades copied off the feed's goroutine onto a channel a live loop
// reads, each trade the feed delivers once.
package kisfeed

import (
	"sync"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// Ticks receives trades from a kis.Feed (Handler.Trade) and delivers them
// as market.Ticks on C.
type Ticks struct {
	out  chan market.Tick
	stop chan struct{}
	once sync.Once
	log  zerolog.Logger
}

// New returns Ticks buffering up to buffer ticks (1024 when ≤ 0).
func New(buffer int, log zerolog.Logger) *Ticks {
	if buffer <= 0 {
		buffer = 1024
	}
	return &Ticks{out: make(chan market.Tick, buffer), stop: make(chan struct{}), log: log}
}

// C is the channel of ticks.
func (t *Ticks) C() <-chan market.Tick { return t.out }

// Trade is the feed's Handler.Trade. It copies the trade (the feed reuses
// *tr) and waits for room on C, or for Close. It does not allocate. Every
// trade passes: the feed has dropped the ones it delivered before, and a
// falling running volume is no repeat (a server restarted, and counts
// again from zero).
func (t *Ticks) Trade(tr *kis.Trade) {
	select {
	case t.out <- tr.Tick():
	case <-t.stop:
	}
}

// Gap is the feed's Handler.Gap: it logs the stretch missed while the
// connection was down. KIS does not replay trades.
func (t *Ticks) Gap(g kis.Gap) {
	ev := t.log.Warn().Time("from", g.From).Time("to", g.To).Dur("missed", g.To.Sub(g.From)).Int("attempts", g.Attempts)
	if g.Cause != nil {
		ev = ev.Str("cause", g.Cause.Error())
	}
	ev.Msg("kis feed reconnected; trades in the gap are lost")
}

// Error is the feed's Handler.Error: a problem that does not stop it.
func (t *Ticks) Error(err error) {
	t.log.Warn().Err(err).Msg("kis feed")
}

// Close stops a Trade waiting for room.
func (t *Ticks) Close() { t.once.Do(func() { close(t.stop) }) }
