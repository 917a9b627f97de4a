package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/pflag"

	"github.com/qbtrading/qb/host/replay"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// storeSource is qb replay's market data from a store instead of files.
type storeSource struct {
	store, symbols, from, to, timeframe string
	stocks                              []sqldb.Stock // the store's stock_metadata, read with the tape
}

func (s *storeSource) register(fs *pflag.FlagSet) {
	fs.StringVar(&s.store, "store", "", "replay from this store instead of --data: a SQLite file or postgres://user@host:port/db")
	fs.StringVar(&s.symbols, "symbols", "", "with --store: the symbols to replay, comma-separated (005930,035420)")
	fs.StringVar(&s.from, "from", "", "with --store: the first KST day to replay, YYYY-MM-DD")
	fs.StringVar(&s.to, "to", "", "with --store: the last KST day to replay, YYYY-MM-DD (included)")
	fs.StringVar(&s.timeframe, "timeframe", "", "the bars' timeframe (1s, 1m, ... 1d): with --data, of the bar files (default: inferred from each file's first rows); with --store, the bars to replay for a symbol with no stored ticks (default 1d)")
}

// check reports a missing or conflicting source.
func (s *storeSource) check(data, strategies []string) error {
	switch {
	case len(strategies) == 0 || (len(data) == 0 && s.store == ""):
		return &exitError{code: 2, msg: "replay: --data (or --store) and --strategy are required"}
	case len(data) > 0 && s.store != "":
		return &exitError{code: 2, msg: "replay: --data and --store: give one source"}
	case s.store != "" && (s.symbols == "" || s.from == "" || s.to == ""):
		return &exitError{code: 2, msg: "replay: --store needs --symbols, --from and --to"}
	}
	return nil
}

// dataTimeframe is --timeframe for --data files: 0, to infer it per file,
// when not given.
func (s *storeSource) dataTimeframe() (market.Timeframe, error) {
	if s.timeframe == "" {
		return 0, nil
	}
	tf, err := market.ParseTimeframe(s.timeframe)
	if err != nil {
		return 0, &exitError{code: 2, msg: "replay: --timeframe: " + err.Error()}
	}
	return tf, nil
}

// window parses the flags into symbols, a timeframe and [from, to).
func (s *storeSource) window() ([]market.Symbol, market.Timeframe, time.Time, time.Time, error) {
	var syms []market.Symbol
	for _, f := range strings.Split(s.symbols, ",") {
		sym := market.Symbol(strings.TrimSpace(f))
		if err := sym.Validate(); err != nil {
			return nil, 0, time.Time{}, time.Time{}, fmt.Errorf("--symbols: %w", err)
		}
		syms = append(syms, sym)
	}
	tf, err := s.dataTimeframe()
	if err != nil {
		return nil, 0, time.Time{}, time.Time{}, err
	}
	if tf == 0 {
		tf = market.Day1 // a store's bars are daily unless told
	}
	from, err := time.ParseInLocation(time.DateOnly, s.from, market.Seoul)
	if err != nil {
		return nil, 0, time.Time{}, time.Time{}, fmt.Errorf("--from %q: want YYYY-MM-DD", s.from)
	}
	to, err := time.ParseInLocation(time.DateOnly, s.to, market.Seoul)
	if err != nil {
		return nil, 0, time.Time{}, time.Time{}, fmt.Errorf("--to %q: want YYYY-MM-DD", s.to)
	}
	if to.Before(from) {
		return nil, 0, time.Time{}, time.Time{}, fmt.Errorf("--to %s is before --from %s", s.to, s.from)
	}
	return syms, tf, from, to.AddDate(0, 0, 1), nil
}

// read opens the store and sets cfg.Source to stream the tape from it;
// closing the source closes the store.
func (s *storeSource) read(ctx context.Context, cfg *replay.Config, log zerolog.Logger) error {
	syms, tf, from, to, err := s.window()
	if err != nil {
		return &exitError{code: 2, msg: "replay: " + err.Error()}
	}
	st, err := openStore(ctx, s.store, log)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if s.stocks, err = st.Stocks(ctx); err != nil {
		st.Close()
		return fmt.Errorf("replay: %w", err)
	}
	src, err := replay.OpenStore(ctx, st, syms, tf, from, to)
	if err != nil {
		st.Close()
		return err
	}
	src = &storeTape{Source: src, st: st}
	_, src, err = replay.Peek(src)
	if errors.Is(err, io.EOF) {
		src.Close()
		return fmt.Errorf("replay: the store %s holds no ticks or %s bars of %s from %s to %s",
			redact(s.store), tf, s.symbols, s.from, s.to)
	}
	if err != nil {
		src.Close()
		return err
	}
	cfg.Source = src
	cfg.Data = []string{fmt.Sprintf("%s symbols=%s from=%s to=%s", redact(s.store), s.symbols, s.from, s.to)}
	return nil
}

// storeTape is a tape streamed from a store that it closes with itself.
type storeTape struct {
	replay.Source
	st sqldb.Store
}

func (t *storeTape) Close() error {
	err := t.Source.Close()
	t.st.Close()
	return err
}
