// Package kisfeed turns the KIS real-time feed (lib/kis) into the host's
// ticks: trades copied off the feed's goroutine onto a channel a live loop
// reads, each trade at most once.
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
	// cum is each symbol's cumulative volume of the last trade delivered.
	// The feed already drops a trade it delivered before a reconnection;
	// this check keeps the engine safe from any other repeat too.
	cum  map[market.Symbol]int64
	dups int
}

// New returns Ticks buffering up to buffer ticks (1024 when ≤ 0).
func New(buffer int, log zerolog.Logger) *Ticks {
	if buffer <= 0 {
		buffer = 1024
	}
	return &Ticks{out: make(chan market.Tick, buffer), stop: make(chan struct{}), log: log,
		cum: make(map[market.Symbol]int64)}
}

// C is the channel of ticks.
func (t *Ticks) C() <-chan market.Tick { return t.out }

// Trade is the feed's Handler.Trade. It copies the trade (the feed reuses
// *tr) and waits for room on C, or for Close. It does not allocate.
func (t *Ticks) Trade(tr *kis.Trade) {
	if tr.CumVolume > 0 {
		if tr.CumVolume <= t.cum[tr.Symbol] {
			t.dups++
			return
		}
		t.cum[tr.Symbol] = tr.CumVolume
	}
	select {
	case t.out <- tr.Tick():
	case <-t.stop:
	}
}

// Duplicates is how many repeated trades Trade dropped. Call it on the
// feed's goroutine or after the feed stopped.
func (t *Ticks) Duplicates() int { return t.dups }

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
