package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// Config is one replay.
type Config struct {
	Data       []string         // CSV files of ticks or bars
	Tape       []market.Tick    // Data's ticks when already read (ReadTapes), in replay order
	Source     Source           // Data's ticks as a stream, closed by Run; when neither is set Run streams Data (OpenFiles)
	Timeframe  market.Timeframe // of the bars in Data's bar files; 0: inferred per file (tape.InferTimeframe)
	Strategies []load.Source
	Params     load.Params    // --param overrides
	Cash       int64          // each strategy's starting cash; engine.DefaultCash when 0
	Limits     *risk.Limits   // nil: risk.DefaultLimits()
	Fees       *krx.Tariff    // nil: krx.DefaultTariff and the built-in listing (see engine.Config.Fees)
	Script     script.Options // budget, failures and memory limits for every strategy
	Log        zerolog.Logger
	Progress   io.Writer        // where a progress line is redrawn (a terminal); nil for none
	Clock      func() time.Time // the progress line's wall clock; nil for time.Now
}

// Run replays the data through the strategies, each on its own paper
// account, and returns the report. A strategy that fails (a hook's error,
// timeout or memory overrun, on_start and on_stop included) is marked in
// the report (StrategyReport.Error; Report.Failed lists them) and does not
// end the replay; Run's error means the replay itself could not run. It
// stops early, with ctx's error, when ctx is done.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	src, frames, err := openSource(cfg)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	for _, fr := range frames {
		cfg.Log.Info().Str("file", fr.Path).Msg(fr.String())
	}
	var t market.Tick
	if err := src.Next(&t); errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("replay: no ticks in %v", cfg.Data)
	} else if err != nil {
		return nil, err
	}
	eng, metas, err := newEngine(cfg, frames)
	if err != nil {
		return nil, err
	}
	// A failure in on_start or on_stop is its strategy's alone: the engine
	// keeps it in that strategy's status, which the report shows, so the
	// others' results stand. The errors are logged as they happen.
	if err := eng.Start(); err != nil {
		cfg.Log.Error().Err(err).Msg("replay: start")
	}
	listing := listingOf(cfg)
	check := newTapeCheck(listing)
	sp, err := feed(ctx, eng, src, &t, check, newProgress(cfg.Progress, src, cfg.Clock))
	if err != nil {
		_ = eng.Stop()
		return nil, err
	}
	if err := eng.Stop(); err != nil {
		cfg.Log.Error().Err(err).Msg("replay: stop")
	}
	check.warn(cfg.Log, metas, listing)
	return Summarize(cfg.Data, sp.from, sp.to, sp.n, eng.Results()), nil
}

// openSource is the replay's tape: cfg.Source, cfg.Tape or cfg.Data's
// files, whose frames it returns.
func openSource(cfg Config) (Source, []FileFrame, error) {
	switch {
	case cfg.Source != nil:
		return cfg.Source, nil, nil
	case cfg.Tape != nil:
		return SliceSource(cfg.Tape), nil, nil
	}
	return OpenFiles(cfg.Data, cfg.Timeframe)
}

// checkFrames refuses a replay in which a strategy's bars are shorter than
// those of a bar file of one of its symbols: bars cannot be split, so it
// would get none (the engine only warns, as live data may mix).
func checkFrames(metas []script.Meta, frames []FileFrame) error {
	for _, m := range metas {
		for _, fr := range frames {
			if fr.Timeframe == 0 || m.Timeframe == 0 || m.Timeframe >= fr.Timeframe {
				continue
			}
			if fr.Symbol != "" && !slices.Contains(m.Symbols, fr.Symbol) {
				continue
			}
			return fmt.Errorf("replay: strategy %s has timeframe %s, finer than the %s bars of %s: it would get no bars (give it a timeframe of %s or longer, or finer data)",
				m.Name, m.Timeframe, fr.Timeframe, fr.Path, fr.Timeframe)
		}
	}
	return nil
}

// newEngine builds the engine with one spec per strategy, unless a
// strategy's bars are finer than the data's (checkFrames).
func newEngine(cfg Config, frames []FileFrame) (*engine.Engine, []script.Meta, error) {
	base := cfg.Script
	specs, metas, err := load.Specs(cfg.Strategies, cfg.Params, base, cfg.Log)
	if err != nil {
		return nil, nil, err
	}
	if err := checkFrames(metas, frames); err != nil {
		return nil, nil, err
	}
	eng, err := engine.New(engine.Config{Strategies: specs, Cash: cfg.Cash, Limits: cfg.Limits, Fees: cfg.Fees, Log: cfg.Log})
	if err != nil {
		return nil, nil, fmt.Errorf("replay: %w", err)
	}
	return eng, metas, nil
}

// listingOf is the listing the replay's engine uses (see engine.Config.Fees).
func listingOf(cfg Config) *krx.Listing {
	if cfg.Fees != nil && cfg.Fees.Listing != nil {
		return cfg.Fees.Listing
	}
	return krx.NewListing(krx.DefaultStocks(), nil)
}

// span is what a replay learns of its tape while streaming it.
type span struct {
	from, to time.Time // first and last tick's times
	n        int       // ticks
}

// feed drives the engine through t and the rest of src, then lets the
// clock run past the last bar so every bar closes. check, when not nil,
// sees every tick; prog, when not nil, redraws the progress line.
func feed(ctx context.Context, eng *engine.Engine, src Source, t *market.Tick, check *tapeCheck, prog *progress) (span, error) {
	sp := span{from: t.Time}
	for {
		if sp.n&(progressCheck-1) == 0 {
			if err := ctx.Err(); err != nil {
				return sp, fmt.Errorf("replay: %w", err)
			}
			prog.tick(sp.n, sp.to)
		}
		eng.Process(t)
		if check != nil {
			check.add(t)
		}
		sp.to = t.Time
		sp.n++
		err := src.Next(t)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sp, err
		}
	}
	prog.end(sp.n, sp.to)
	eng.Advance(market.Day1.End(sp.to))
	return sp, nil
}
