package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/replay"
)

// strategyFlags are the flags that say how strategies run, shared by run,
// replay and check.
type strategyFlags struct {
	params      []string
	cash        int64
	budget      durationFlag
	maxFailures int
	memory      sizeFlag
	callMemory  sizeFlag
	memoryCap   sizeFlag
	risk        riskFlags
	fees        feeFlags
}

func replayCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("replay")
	var (
		data, strategies []string
		report           string
		watchFiles       bool
		quiet            bool
		src              storeSource
		sf               strategyFlags
		lf               logFlags
	)
	fs.StringArrayVar(&data, "data", nil, "CSV file of ticks or bars (repeatable; see docs/data-format.md)")
	fs.StringArrayVar(&strategies, "strategy", nil, "strategy file or folder of them (repeatable)")
	src.register(fs)
	fs.StringVar(&report, "report", "", "write the JSON report to this file")
	fs.BoolVar(&watchFiles, "watch", false, "replay again and reprint the summary each time a strategy file changes")
	fs.BoolVar(&quiet, "quiet", false, "no progress line on stderr (it is drawn only when stderr is a terminal)")
	sf.register(fs)
	lf.register(fs)
	flagUsage := fs.Usage
	fs.Usage = func() {
		flagUsage()
		fmt.Fprint(m.Stdout, replayHelp)
	}
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if err := src.check(data, strategies); err != nil {
		return err
	}
	if err := sf.harden(); err != nil {
		return err
	}
	log, err := lf.logger(m)
	if err != nil {
		return err
	}
	params, err := load.ParseParams(sf.params)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	cfg := replay.Config{
		Data: data, Params: params, Cash: sf.cash, Limits: &sf.risk.l,
		Script: sf.options(), Log: log, Clock: replayClock,
	}
	if cfg.Timeframe, err = src.dataTimeframe(); err != nil {
		return err
	}
	if m.Terminal && !quiet {
		cfg.Progress = m.Stderr
	}
	if src.store != "" {
		if err := src.read(ctx, &cfg, log); err != nil {
			return err
		}
	}
	if cfg.Fees, err = sf.fees.tariff(src.stocks, log); err != nil {
		if cfg.Source != nil {
			cfg.Source.Close()
		}
		return err
	}
	if !watchFiles {
		return replayOnce(ctx, m, cfg, strategies, report)
	}
	return replayWatch(ctx, m, cfg, strategies, report)
}

// replayClock is the wall clock of qb replay's progress line; tests replace it.
var replayClock = time.Now

// replayHelp follows the flags in qb replay --help.
const replayHelp = `
Data files are described in docs/data-format.md.

Exit status:
  0  the replay ran and every strategy ran without an error
  1  the replay could not run: unreadable data, a script that does not compile
     or breaks the contract, an unknown --param, an unreachable store
  2  usage: an unknown flag, a missing or conflicting source
  3  the replay ran, but at least one strategy failed: a hook raised an error
     or overran its time or memory budget (on_start and on_stop included).
     The summary and the --report cover every strategy; a failing one has
     its error in the status column and the report's "error" field.
With --watch, a failure is printed and the watch goes on; Ctrl-C exits 0.

Progress: a replay that takes more than a couple of seconds redraws one line
on stderr, when stderr is a terminal: ticks done, ticks per second and the
simulated time (KST). Files and stores are streamed, so their length is not
known ahead and the line shows no ETA. --quiet turns it off; it is never
part of stdout or the --report, and is off with --watch.
`

// exitFailed is qb replay's exit status when the replay ran to the end but
// at least one strategy failed: its summary and report are written, the
// failing strategies marked, so one bad script costs the others nothing.
// 0 is a clean run, 1 a replay that could not run, 2 a usage error.
const exitFailed = 3

// replayOnce loads the strategies, replays, prints the summary and writes
// the report, then returns an exitFailed error if a strategy failed.
func replayOnce(ctx context.Context, m *Main, cfg replay.Config, strategies []string, report string) error {
	srcs, err := load.Strategies(strategies)
	if err != nil {
		return err
	}
	cfg.Strategies = srcs
	rep, err := replay.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if err := rep.WriteSummary(m.Stdout); err != nil {
		return err
	}
	if report != "" {
		if err := writeReport(report, rep); err != nil {
			return err
		}
	}
	if failed := rep.Failed(); len(failed) > 0 {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("%d of %d strategies failed: %s (the status column says why)",
			len(failed), len(rep.Strategies), strings.Join(failed, ", "))}
	}
	return nil
}

func writeReport(path string, rep *replay.Report) error {
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
