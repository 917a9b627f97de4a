package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/sim"
)

// checkDays is how many simulated trading days a checked script runs over:
// enough for daily indicators of the usual lengths to become ready.
const checkDays = 30

func checkCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("check")
	var sf strategyFlags
	sf.register(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if err := sf.harden(); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return &exitError{code: 2, msg: "check: name at least one strategy file or folder"}
	}
	files, err := load.Find(fs.Args())
	if err != nil {
		return err
	}
	params, err := load.ParseParams(sf.params)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	problems := 0
	for _, f := range files {
		if err := checkFile(ctx, m.Stdout, f, params, sf); err != nil {
			problems++
			fmt.Fprintln(m.Stdout, err)
		}
	}
	if problems > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("check: %d of %d files have problems", problems, len(files))}
	}
	return nil
}

// checkFile compiles one file, checks its contract and runs it over a short
// simulated tape. It prints a line for a good file and returns the first
// problem (as file:line: message) for a bad one.
func checkFile(ctx context.Context, w io.Writer, file string, params load.Params, sf strategyFlags) error {
	srcs, err := load.Compile([]string{file})
	if err != nil {
		return err
	}
	meta, err := load.Inspect(srcs[0])
	if err != nil {
		return err
	}
	opt := sf.options()
	opt.Params, opt.ModuleDir, opt.Log = params.For(meta), srcs[0].ModuleDir, zerolog.Nop()
	res, err := runChecked(ctx, srcs[0], opt, meta, sf)
	if err != nil {
		return err
	}
	if last := res.Status.Last; last != nil {
		return last
	}
	fmt.Fprintf(w, "ok %s: %s, %d symbols, %s bars, %d fills over %d simulated days\n",
		file, meta.Name, len(meta.Symbols), meta.Timeframe, len(res.Fills), checkDays)
	return nil
}

func runChecked(ctx context.Context, src load.Source, opt script.Options, meta script.Meta, sf strategyFlags) (engine.Result, error) {
	fees, err := sf.fees.tariff(nil, zerolog.Nop())
	if err != nil {
		return engine.Result{}, err
	}
	eng, err := engine.New(engine.Config{
		Strategies: []engine.Spec{{Program: src.Program, Options: opt}},
		Limits:     &sf.risk.l,
		Fees:       fees,
		Log:        zerolog.Nop(),
	})
	if err != nil {
		return engine.Result{}, err
	}
	if err := eng.Start(); err != nil {
		return engine.Result{}, err
	}
	s, err := sim.New(sim.Config{Seed: 1, Symbols: instruments(meta.Symbols), TickInterval: time.Minute})
	if err != nil {
		return engine.Result{}, fmt.Errorf("check: %w", err)
	}
	end := sim.DefaultStart().AddDate(0, 0, checkDays*7/5)
	for t := s.Next(); t.Time.Before(end); t = s.Next() {
		if ctx.Err() != nil {
			return engine.Result{}, ctx.Err()
		}
		eng.Process(&t)
	}
	eng.Advance(end)
	if err := eng.Stop(); err != nil {
		return engine.Result{}, err
	}
	return eng.Results()[0], nil
}

// instruments simulates each symbol: the default instrument where there is
// one, else a 50,000-won stock.
func instruments(syms []market.Symbol) []sim.Instrument {
	out := make([]sim.Instrument, 0, len(syms))
	for _, s := range syms {
		in, ok := sim.Lookup(s)
		if !ok {
			in = sim.Instrument{Symbol: s, Name: string(s), Price: 50_000}
		}
		out = append(out, in)
	}
	return out
}
