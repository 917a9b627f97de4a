package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/qbtrading/qb/host/replay"
	"github.com/qbtrading/qb/host/watch"
	"github.com/qbtrading/qb/lib/market"
)

// replayWatch replays once, then again each time a file under the
// strategies' folders changes, until ctx ends. A broken script is reported
// and the watch goes on, so a user can fix it and save again.
func replayWatch(ctx context.Context, m *Main, cfg replay.Config, strategies []string, report string) error {
	if cfg.Source != nil { // --store: read the tape once, whole, for every replay
		tape, err := replay.Collect(cfg.Source)
		if err != nil {
			return err
		}
		cfg.Tape, cfg.Source = tape, nil
	} else {
		// Each replay streams the files again, in bounded memory; a pass
		// first ends the watch on data no script change can fix.
		if err := checkData(cfg.Data, cfg.Timeframe); err != nil {
			return err
		}
	}
	cfg.Progress = nil
	changes, err := watchFolders(ctx, strategies)
	if err != nil {
		return err
	}
	for {
		if err := replayOnce(ctx, m, cfg, strategies, report); err != nil {
			fmt.Fprintln(m.Stdout, "replay:", err)
		}
		fmt.Fprintln(m.Stdout, "watching for changes; Ctrl-C stops")
		select {
		case <-ctx.Done():
			return nil
		case batch, ok := <-changes:
			if !ok {
				return nil
			}
			for _, c := range batch {
				fmt.Fprintf(m.Stdout, "\n%s %s\n", c.Kind, c.Path)
			}
		}
	}
}

// watchFolders watches the folder of every strategy path and merges their
// batches into one channel.
func watchFolders(ctx context.Context, paths []string) (<-chan []watch.Change, error) {
	var dirs []string
	for _, p := range paths {
		dir := p
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			dir = filepath.Dir(p)
		}
		if !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	out := make(chan []watch.Change)
	for _, dir := range dirs {
		w, err := watch.Open(ctx, dir, watch.Options{})
		if err != nil {
			return nil, fmt.Errorf("replay --watch: %w", err)
		}
		go func() {
			for batch := range w.Changes() {
				select {
				case out <- batch:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	return out, nil
}

// checkData reads the files through to their end as a replay would.
func checkData(paths []string, tf market.Timeframe) error {
	src, _, err := replay.OpenFiles(paths, tf)
	if err != nil {
		return err
	}
	defer src.Close()
	var t market.Tick
	for {
		err := src.Next(&t)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
