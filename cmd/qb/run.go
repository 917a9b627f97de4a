package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/live"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/reload"
	"github.com/qbtrading/qb/host/replay"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/host/watch"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/sim"
)

// runFlags are qb run's own flags.
type runFlags struct {
	scripts  string
	feed     string
	broker   string
	live     bool        // --broker kis: real money, said out loud
	kis      *kisSession // the KIS client and session when --feed or --broker uses KIS
	fees     *krx.Tariff // commission, taxes and the listing, for paper and KIS fills
	store    string
	dataDir  string
	seed     uint64
	pace     durationFlag
	warmup   int
	every    durationFlag
	watch    bool
	stateDir string
}

func runCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("run")
	var (
		rf runFlags
		sf strategyFlags
		lf logFlags
	)
	fs.StringVar(&rf.scripts, "scripts", "scripts", "folder of strategy files (subfolders hold require modules)")
	fs.StringVar(&rf.feed, "feed", "sim", "market data: sim (a seeded simulated KRX market) or kis (KIS real-time trades; KIS_* environment)")
	fs.StringVar(&rf.broker, "broker", "paper", "where orders go: paper (simulated fills on the feed's trades), kis-paper (KIS paper account) or kis (real money, with --live)")
	fs.BoolVar(&rf.live, "live", false, "allow --broker kis to trade real money (also needs KIS_ENV=real)")
	fs.StringVar(&rf.store, "store", "", "where ticks, bars, orders, fills, positions and state are kept: a SQLite file (default DATA-DIR/qb.db),\n"+
		"postgres://user@host:port/db (password from PGPASSWORD), or none (state files only, nothing recorded)")
	fs.StringVar(&rf.dataDir, "data-dir", "data", "folder of the SQLite store, the recorder's spool and the state files")
	fs.Uint64Var(&rf.seed, "seed", 6, "simulator seed: the same seed gives the same market (6: a market where every shipped strategy trades)")
	rf.pace.d = 6 * time.Second
	fs.Var(&rf.pace, "pace", "wall time one simulated trading session takes")
	fs.IntVar(&rf.warmup, "warmup", 40, "simulated sessions replayed instantly at start, so indicators are ready")
	rf.every.d = 10 * time.Second
	fs.Var(&rf.every, "report-every", "how often each strategy's P&L is logged")
	fs.BoolVar(&rf.watch, "watch", true, "reload a strategy when its file changes (--watch=false to turn off)")
	fs.StringVar(&rf.stateDir, "state-dir", "", "folder of each strategy's state files, its on_stop table and checkpoints, kept beside the store (default DATA-DIR/state)")
	sf.register(fs)
	lf.register(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if err := rf.validate(); err != nil {
		return err
	}
	log, err := lf.logger(m)
	if err != nil {
		return err
	}
	if err := sf.harden(); err != nil {
		return err
	}
	return run(ctx, m, log, rf, sf)
}

func (r *runFlags) validate() error {
	switch {
	case !slices.Contains(feedNames(), r.feed):
		return &exitError{code: 2, msg: fmt.Sprintf("run: --feed %q: want one of %v", r.feed, feedNames())}
	case !slices.Contains(brokerNames(), r.broker):
		return &exitError{code: 2, msg: fmt.Sprintf("run: --broker %q: want one of %v", r.broker, brokerNames())}
	case r.broker == "kis" && !r.live:
		return &exitError{code: 2, msg: "run: --broker kis trades real money: add --live (and set KIS_ENV=real) to mean it; --broker kis-paper uses a paper account"}
	case r.dataDir == "":
		return &exitError{code: 2, msg: "run: --data-dir must not be empty"}
	case r.warmup < 0:
		return &exitError{code: 2, msg: "run: --warmup must not be negative"}
	}
	return nil
}

func run(ctx context.Context, m *Main, log zerolog.Logger, rf runFlags, sf strategyFlags) error {
	var w *watch.Watcher
	if rf.watch { // opened before the files are read, so no edit falls between
		var err error
		if w, err = watch.Open(ctx, rf.scripts, watch.Options{Log: log}); err != nil {
			return fmt.Errorf("run: %w", err)
		}
		defer w.Close()
	}
	// The store comes first: its stock_metadata says each symbol's market,
	// which the KIS broker's fills are taxed by too.
	stg, err := openStorage(ctx, rf, log)
	if err != nil {
		return err
	}
	if rf.fees, err = stg.tariff(ctx, sf.fees, log); err != nil {
		return errors.Join(err, stg.close(ctx))
	}
	kx, err := openKIS(ctx, m, rf, log)
	if err != nil {
		return errors.Join(err, stg.close(ctx))
	}
	defer kx.close()
	rf.kis = kx
	err = runWith(ctx, m, log, rf, sf, stg, w)
	return errors.Join(err, stg.close(ctx))
}

// setup is a run ready to start: the strategies, restored, in an engine,
// and the feed.
type setup struct {
	eng    *engine.Engine
	feed   feed
	srcs   []load.Source
	metas  []script.Meta
	base   script.Options
	params load.Params
}

// prepare loads the strategies, restores what the last run left in the
// store (or the state files) and builds the engine and the feed.
func prepare(ctx context.Context, log zerolog.Logger, rf runFlags, sf strategyFlags, stg *storage) (*setup, error) {
	srcs, err := load.Strategies([]string{rf.scripts})
	if err != nil {
		return nil, err
	}
	params, err := load.ParseParams(sf.params)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	su := &setup{srcs: srcs, params: params, base: sf.options()}
	specs, metas, err := load.Specs(srcs, params, su.base, log)
	if err != nil {
		return nil, err
	}
	su.metas = metas
	if err := restoreStates(ctx, stg.states, specs, metas); err != nil {
		return nil, err
	}
	var back restored
	if stg.st != nil {
		if err := stg.recover(ctx); err != nil {
			return nil, err
		}
		if back, err = restoreAccounts(ctx, stg.st, specs, names(metas), sf.cash, log); err != nil {
			return nil, err
		}
	}
	if err := rf.kis.restore(ctx, specs, metas); err != nil {
		return nil, err
	}
	su.eng, err = engine.New(engine.Config{Strategies: specs, Cash: sf.cash, Limits: &sf.risk.l, Fees: rf.fees, Log: log,
		Sink: stg.sink(), Journal: stg.journal(), LastOrderID: back.lastID, NewBroker: rf.kis.newBroker(),
		Checkpoint: stg.states.put})
	if err != nil {
		return nil, err
	}
	if su.feed, err = openFeed(ctx, rf, metas, log); err != nil {
		return nil, err
	}
	// The spill files of the last run reach the store only now that the
	// recorder runs: resume after their ticks too.
	return su, resumeSim(su.feed, rf, metas, later(back.latest, stg.spilledUntil()), log)
}

// runWith runs the engine until ctx ends, then stops it, saves each
// strategy's state, closes the store and prints the summary.
func runWith(ctx context.Context, m *Main, log zerolog.Logger, rf runFlags, sf strategyFlags, stg *storage, w *watch.Watcher) error {
	su, err := prepare(ctx, log, rf, sf, stg)
	if err != nil {
		return err
	}
	eng := su.eng
	if err := eng.Start(); err != nil {
		return err
	}
	first, n := su.feed.warm(eng)
	log.Info().Int("strategies", len(su.metas)).Int("warmup_ticks", n).Str("feed", rf.feed).Str("broker", rf.broker).
		Bool("watch", rf.watch).Msg("running; Ctrl-C stops")
	raw, ticks := make(chan market.Tick, 1024), make(chan market.Tick, 1024)
	feedErr := make(chan error, 1)
	go func() {
		// A feed that fails closes the channel, which ends the live loop.
		if err := su.feed.run(ctx, raw); ctx.Err() == nil {
			feedErr <- err
			close(raw)
		}
	}()
	go stg.tee(ctx, raw, ticks)
	cfg := live.Config{Ticks: ticks, Clock: su.feed.clock(), Report: rf.every.d, Log: log}
	if w != nil {
		rl := reload.New(eng, reload.Config{Dir: rf.scripts, Base: su.base, Params: su.params, Log: log})
		for i, src := range su.srcs {
			rl.Track(src, su.metas[i])
		}
		cfg.Do = reloads(ctx, w, rl)
	}
	cfg.Do = rf.kis.work(ctx, eng, cfg.Do)
	cfg.Do = restarts(ctx, m.Hangup, eng, log, cfg.Do)
	live, err := live.Run(ctx, eng, cfg)
	select {
	case ferr := <-feedErr:
		err = errors.Join(fmt.Errorf("run: feed: %w", ferr), err)
	default:
	}
	stopErr := eng.Stop()
	saveErr := saveStates(ctx, stg, eng.Results())
	// Everything is in the store before a line goes to stdout, which may be
	// a pipe that is already closed (qb run | head).
	saveErr = errors.Join(saveErr, stg.close(ctx))
	results := eng.Results()
	if first.IsZero() { // no warm-up: the run began with the first live tick
		first = firstPoint(results)
	}
	rep := replay.Summarize([]string{"sim"}, first, eng.Now(), n+live, results)
	if werr := rep.WriteSummary(m.Stdout); werr != nil {
		return werr
	}
	return errors.Join(err, stopErr, saveErr)
}

// restarts adds to do, the engine goroutine's work, a restart of every
// stopped strategy at each hangup signal (kill -HUP): the operator's way to
// run a strategy again without changing its file.
func restarts(ctx context.Context, hup <-chan os.Signal, eng *engine.Engine, log zerolog.Logger, do <-chan func()) <-chan func() {
	if hup == nil {
		return do
	}
	restart := func() {
		for _, r := range eng.Results() {
			if r.Removed || !r.Status.Paused {
				continue
			}
			if err := eng.Restart(r.Name); err != nil {
				log.Error().Err(err).Str("strategy", r.Name).Msg("restart refused")
				continue
			}
			log.Info().Str("strategy", r.Name).Str("was", r.Status.String()).Msg("strategy restarted by the operator")
		}
	}
	out := make(chan func())
	go func() {
		for {
			var f func()
			select {
			case g, ok := <-do:
				if !ok {
					do = nil // a source that ended: its case never fires again
					continue
				}
				f = g
			case <-hup:
				f = restart
			case <-ctx.Done():
				return
			}
			select {
			case out <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// reloads turns the watcher's batches into work for the engine's goroutine.
func reloads(ctx context.Context, w *watch.Watcher, rl *reload.Reloader) <-chan func() {
	do := make(chan func())
	go func() {
		for batch := range w.Changes() {
			select {
			case do <- func() { rl.Apply(batch) }:
			case <-ctx.Done():
				return
			}
		}
	}()
	return do
}

// restoreStates hands each strategy its newest state from the last run:
// its on_stop table, or after a crash its last checkpoint.
func restoreStates(ctx context.Context, states *stateStores, specs []engine.Spec, metas []script.Meta) error {
	for i := range specs {
		st, ok, err := states.load(ctx, metas[i].Name)
		if err != nil {
			return fmt.Errorf("run: restore state: %w", err)
		}
		if ok {
			specs[i].State = st
		}
	}
	return nil
}

// saveStates keeps each strategy's on_stop table (or its last checkpoint)
// for the next run, after the checkpoints queued before it.
func saveStates(ctx context.Context, stg *storage, results []engine.Result) error {
	for _, r := range results {
		if r.State != nil {
			stg.states.put(r.Name, r.State)
		}
	}
	var err error
	stg.stateLate, err = stg.states.close(ctx)
	return err
}

// simSymbols lists the simulator's default symbols and then the others the
// strategies trade, each once: a strategy added later by hot reload finds
// the default universe there.
func simSymbols(metas []script.Meta) []market.Symbol {
	var out []market.Symbol
	for _, in := range sim.Instruments() {
		out = append(out, in.Symbol)
	}
	for _, m := range metas {
		for _, s := range m.Symbols {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func names(metas []script.Meta) []string {
	out := make([]string, len(metas))
	for i, m := range metas {
		out[i] = m.Name
	}
	return out
}

// resumeSim starts the simulated market just after the last tick, fill or
// order the store (or the recorder's spill files) holds, so a restarted host finds the market where it
// left it (same seed, same KST day: its working orders still work) and
// never records a second tape over the same times.
func resumeSim(fd feed, rf runFlags, metas []script.Meta, latest time.Time, log zerolog.Logger) error {
	f, ok := fd.(*simFeed)
	if !ok || !latest.After(sim.DefaultStart()) {
		return nil
	}
	s, err := sim.New(sim.Config{Seed: rf.seed, Symbols: instruments(simSymbols(metas)), Start: latest.Add(time.Second)})
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	f.s = s
	log.Info().Time("from", latest.Add(time.Second)).Msg("simulated market resumes after the stored run")
	return nil
}

// firstPoint is the time of the first equity point, which the engine books
// as its clock starts.
func firstPoint(results []engine.Result) time.Time {
	for _, r := range results {
		if len(r.Curve) > 0 {
			return r.Curve[0].Time
		}
	}
	return time.Time{}
}
