// Package live drives the engine from a feed in real time: ticks as they
// arrive, the clock's passing for bars of quiet symbols, and a periodic
// account line, until the context ends.
package live

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/market"
)

// Engine is the part of *engine.Engine the loop drives. Every call happens on
// the loop's goroutine.
type Engine interface {
	Process(t *market.Tick)
	Advance(now time.Time)
	Results() []engine.Result
}

// Config is one live run.
type Config struct {
	Ticks <-chan market.Tick
	// Clock is the market's clock for closing bars of quiet symbols; nil when
	// the feed's own ticks are the only clock (the simulator).
	Clock func() time.Time
	// Tick is how often the clock is read; 1 s when zero.
	Tick time.Duration
	// Report is how often a P&L line per strategy is logged; 0 for never.
	Report time.Duration
	// Do carries work that must run on the engine's goroutine between two
	// events, such as a hot reload; nil for none.
	Do  <-chan func()
	Log zerolog.Logger
}

// Run feeds the engine until ctx is done or the tick channel closes. It
// returns the number of ticks processed. Stopping the engine is the caller's
// job, so it can run on_stop and print a summary however it likes.
func Run(ctx context.Context, eng Engine, cfg Config) (int, error) {
	clock, report := ticker(cfg.Clock != nil, cfg.Tick, time.Second), ticker(cfg.Report > 0, cfg.Report, 0)
	defer stop(clock, report)
	n := 0
	for {
		select {
		case <-ctx.Done():
			return n, nil
		case t, ok := <-cfg.Ticks:
			if !ok {
				return n, fmt.Errorf("live: feed closed after %d ticks", n)
			}
			eng.Process(&t)
			n++
		case <-c(clock):
			eng.Advance(cfg.Clock())
		case <-c(report):
			logPnL(cfg.Log, eng.Results())
		case f := <-cfg.Do:
			f()
		}
	}
}

// ticker returns a running ticker, or nil (a select case that never fires).
func ticker(on bool, every, fallback time.Duration) *time.Ticker {
	if !on {
		return nil
	}
	if every <= 0 {
		every = fallback
	}
	return time.NewTicker(every)
}

func c(t *time.Ticker) <-chan time.Time {
	if t == nil {
		return nil
	}
	return t.C
}

func stop(ts ...*time.Ticker) {
	for _, t := range ts {
		if t != nil {
			t.Stop()
		}
	}
}

func logPnL(log zerolog.Logger, results []engine.Result) {
	for _, r := range results {
		log.Info().Str("strategy", r.Name).Int64("equity", r.Equity).Int64("cash", r.Cash).
			Int64("pnl", r.Equity-r.StartCash).Int("fills", len(r.Fills)).
			Str("status", r.Status.String()).Msg("account")
	}
}
