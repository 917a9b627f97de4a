package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

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
		src              storeSource
		sf               strategyFlags
		lf               logFlags
	)
	fs.StringArrayVar(&data, "data", nil, "CSV file of ticks or bars (repeatable; see docs/data-format.md)")
	fs.StringArrayVar(&strategies, "strategy", nil, "strategy file or folder of them (repeatable)")
	src.register(fs)
	fs.StringVar(&report, "report", "", "write the JSON report to this file")
	fs.BoolVar(&watchFiles, "watch", false, "replay again and reprint the summary each time a strategy file changes")
	sf.register(fs)
	lf.register(fs)
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
		Script: sf.options(), Log: log,
	}
	if m.Terminal {
		cfg.Progress = m.Stderr
	}
	if src.store != "" {
		if err := src.read(ctx, &cfg, log); err != nil {
			return err
		}
	}
	if cfg.Fees, err = sf.fees.tariff(src.stocks, log); err != nil {
		return err
	}
	if !watchFiles {
		return replayOnce(ctx, m, cfg, strategies, report)
	}
	return replayWatch(ctx, m, cfg, strategies, report)
}

// replayOnce loads the strategies, replays and prints the summary.
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
		return writeReport(report, rep)
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
