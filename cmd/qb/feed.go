package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/sim"
)

// feed is the market data qb run trades on.
type feed interface {
	// warm feeds history into the engine before live data flows (the
	// simulator's warm-up sessions); it returns the first tick's time and
	// how many ticks it fed.
	warm(eng *engine.Engine) (time.Time, int)
	// run sends live ticks on out until ctx ends.
	run(ctx context.Context, out chan<- market.Tick) error
	// clock is the market's clock, to close bars of quiet symbols; nil when
	// the feed's own ticks are the only clock.
	clock() func() time.Time
}

// feedNames are the values --feed takes.
func feedNames() []string { return []string{"sim", "kis"} }

// openFeed opens the feed --feed names.
func openFeed(ctx context.Context, rf runFlags, metas []script.Meta, log zerolog.Logger) (feed, error) {
	switch rf.feed {
	case "sim":
		s, err := sim.New(sim.Config{Seed: rf.seed, Symbols: instruments(simSymbols(metas))})
		if err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		return &simFeed{s: s, warmup: rf.warmup, pace: rf.pace.d}, nil
	case "kis":
		if rf.kis == nil {
			return nil, errors.New("run: --feed kis: no KIS session")
		}
		return rf.kis.subscribe(ctx, metas)
	}
	return nil, &exitError{code: 2, msg: fmt.Sprintf("run: --feed %q: want one of %v", rf.feed, feedNames())}
}

// simFeed is the seeded simulated market: warmup sessions at once, then one
// session every pace of wall time.
type simFeed struct {
	s      *sim.Sim
	warmup int
	pace   time.Duration
}

func (f *simFeed) clock() func() time.Time { return nil }

func (f *simFeed) run(ctx context.Context, out chan<- market.Tick) error {
	return f.s.Run(ctx, out, f.pace)
}

func (f *simFeed) warm(eng *engine.Engine) (first time.Time, n int) {
	if f.warmup == 0 {
		return time.Time{}, 0
	}
	t := f.s.Next()
	first = t.Time
	end := market.Day1.Start(t.Time).AddDate(0, 0, f.warmup*7/5)
	for ; t.Time.Before(end); t = f.s.Next() {
		eng.Process(&t)
		n++
	}
	eng.Process(&t) // the first tick after the warm-up is not lost
	return first, n + 1
}
