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
	risk        riskFlags
}

func replayCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("replay")
	var (
		data, strategies []string
		report           string
		sf               strategyFlags
		lf               logFlags
	)
	fs.StringArrayVar(&data, "data", nil, "CSV file of ticks or bars (repeatable; see docs/data-format.md)")
	fs.StringArrayVar(&strategies, "strategy", nil, "strategy file or folder of them (repeatable)")
	fs.StringVar(&report, "report", "", "write the JSON report to this file")
	sf.register(fs)
	lf.register(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if len(data) == 0 || len(strategies) == 0 {
		return &exitError{code: 2, msg: "replay: --data and --strategy are required"}
	}
	log, err := lf.logger(m)
	if err != nil {
		return err
	}
	params, err := load.ParseParams(sf.params)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	srcs, err := load.Strategies(strategies)
	if err != nil {
		return err
	}
	cfg := replay.Config{
		Data: data, Strategies: srcs, Params: params, Cash: sf.cash,
		Budget: sf.budget.d, MaxFailures: sf.maxFailures, Log: log, Limits: &sf.risk.l,
	}
	if m.Terminal {
		cfg.Progress = m.Stderr
	}
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
