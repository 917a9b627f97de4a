package replay

import (
	"context"
	"fmt"
	"io"

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
	Data       []string      // CSV files of ticks or bars
	Tape       []market.Tick // Data's ticks when already read (ReadTapes); nil reads Data
	Strategies []load.Source
	Params     load.Params    // --param overrides
	Cash       int64          // each strategy's starting cash; engine.DefaultCash when 0
	Limits     *risk.Limits   // nil: risk.DefaultLimits()
	Fees       *krx.Tariff    // nil: krx.DefaultTariff and the built-in listing (see engine.Config.Fees)
	Script     script.Options // budget, failures and memory limits for every strategy
	Log        zerolog.Logger
	Progress   io.Writer // where a progress line is redrawn; nil for none
}

// Run replays the data through the strategies, each on its own paper
// account, and returns the report. A strategy that fails (a hook's error,
// timeout or memory overrun, on_start and on_stop included) is marked in
// the report (StrategyReport.Error; Report.Failed lists them) and does not
// end the replay; Run's error means the replay itself could not run. It
// stops early, with ctx's error, when ctx is done.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	tape := cfg.Tape
	if tape == nil {
		var err error
		if tape, err = ReadTapes(cfg.Data); err != nil {
			return nil, err
		}
	}
	if len(tape) == 0 {
		return nil, fmt.Errorf("replay: no ticks in %v", cfg.Data)
	}
	eng, metas, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	// A failure in on_start or on_stop is its strategy's alone: the engine
	// keeps it in that strategy's status, which the report shows, so the
	// others' results stand. The errors are logged as they happen.
	if err := eng.Start(); err != nil {
		cfg.Log.Error().Err(err).Msg("replay: start")
	}
	if err := feed(ctx, eng, tape, cfg.Progress); err != nil {
		_ = eng.Stop()
		return nil, err
	}
	if err := eng.Stop(); err != nil {
		cfg.Log.Error().Err(err).Msg("replay: stop")
	}
	listing := listingOf(cfg)
	checkTape(tape, listing).warn(cfg.Log, metas, listing)
	return Summarize(cfg.Data, tape[0].Time, tape[len(tape)-1].Time, len(tape), eng.Results()), nil
}

// newEngine builds the engine with one spec per strategy.
func newEngine(cfg Config) (*engine.Engine, []script.Meta, error) {
	base := cfg.Script
	specs, metas, err := load.Specs(cfg.Strategies, cfg.Params, base, cfg.Log)
	if err != nil {
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

// feed drives the engine through the tape, then lets the clock run past the
// last bar so every bar closes.
func feed(ctx context.Context, eng *engine.Engine, tape []market.Tick, progress io.Writer) error {
	const every = 1 << 16 // ticks between context checks and progress lines
	for i := range tape {
		if i%every == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			drawProgress(progress, i, len(tape))
		}
		eng.Process(&tape[i])
	}
	drawProgress(progress, len(tape), len(tape))
	eng.Advance(market.Day1.End(tape[len(tape)-1].Time))
	return nil
}

func drawProgress(w io.Writer, done, total int) {
	if w == nil {
		return
	}
	fmt.Fprintf(w, "\rreplay: %d/%d ticks (%.0f%%)", done, total, 100*float64(done)/float64(total))
	if done == total {
		fmt.Fprintln(w)
	}
}
