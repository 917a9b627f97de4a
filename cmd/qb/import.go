package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/tape"
	"github.com/qbtrading/qb/sqldb"
)

// importChunk is how many rows go to the store in one write.
const importChunk = 16384

func importCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("import")
	var (
		store, dataDir, tf string
		metadata           []string
		lf                 logFlags
	)
	fs.StringVar(&store, "store", "", "the store: a SQLite file (default DATA-DIR/qb.db) or postgres://user@host:port/db (password from PGPASSWORD)")
	fs.StringVar(&dataDir, "data-dir", "data", "folder of the default SQLite store")
	fs.StringVar(&tf, "timeframe", "1d", "timeframe of the bars in bar files")
	fs.StringArrayVar(&metadata, "metadata", nil, "symbol listing to store in stock_metadata (CSV: "+krx.ListingHeader+
		"; or KIS kospi_code.mst/kosdaq_code.mst) (repeatable)")
	lf.register(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() == 0 && len(metadata) == 0 {
		return &exitError{code: 2, msg: "import: name at least one CSV file of ticks or bars, or a --metadata file"}
	}
	timeframe, err := market.ParseTimeframe(tf)
	if err != nil {
		return &exitError{code: 2, msg: fmt.Sprintf("import: --timeframe: %v", err)}
	}
	log, err := lf.logger(m)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, storeTarget(store, dataDir), log)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer st.Close()
	for _, path := range metadata {
		n, err := importMetadata(ctx, st, path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		fmt.Fprintf(m.Stdout, "%s: %d stocks\n", path, n)
	}
	for _, path := range fs.Args() {
		n, kind, err := importFile(ctx, st, path, timeframe)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		fmt.Fprintf(m.Stdout, "%s: %d %s\n", path, n, kind)
	}
	return nil
}

// importFile streams one CSV file into the store in chunks. Writes are
// idempotent, so importing a file again adds nothing. A tick file without
// a seq column gets each tick's row number as its seq: the store keys
// ticks by (symbol, time, seq), and two trades in the same second must
// stay two.
func importFile(ctx context.Context, st sqldb.Store, path string, tf market.Timeframe) (int, tape.Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	opt := tape.Options{Timeframe: tf}
	if sym, err := tape.SymbolFromPath(path); err == nil {
		opt.Symbol = sym
	}
	r, err := tape.NewReader(f, path, opt)
	if err != nil {
		return 0, 0, err
	}
	if r.Kind() == tape.Bars {
		n, err := importBars(ctx, st, r)
		return n, tape.Bars, err
	}
	n, err := importTicks(ctx, st, r)
	return n, tape.Ticks, err
}

func importTicks(ctx context.Context, st sqldb.Store, r *tape.Reader) (int, error) {
	buf := make([]market.Tick, 0, importChunk)
	n := 0
	for {
		var t market.Tick
		err := r.NextTick(&t)
		if err != nil && !errors.Is(err, io.EOF) {
			return n, err
		}
		if err == nil {
			n++
			if t.Seq == 0 {
				t.Seq = int64(n)
			}
			buf = append(buf, t)
		}
		if len(buf) == importChunk || (errors.Is(err, io.EOF) && len(buf) > 0) {
			if werr := st.WriteTicks(ctx, buf); werr != nil {
				return n, werr
			}
			buf = buf[:0]
		}
		if err != nil {
			return n, nil
		}
	}
}

func importBars(ctx context.Context, st sqldb.Store, r *tape.Reader) (int, error) {
	buf := make([]market.Bar, 0, importChunk)
	n := 0
	for {
		var b market.Bar
		err := r.NextBar(&b)
		if err != nil && !errors.Is(err, io.EOF) {
			return n, err
		}
		if err == nil {
			n++
			buf = append(buf, b)
		}
		if len(buf) == importChunk || (errors.Is(err, io.EOF) && len(buf) > 0) {
			if werr := st.WriteBars(ctx, buf); werr != nil {
				return n, werr
			}
			buf = buf[:0]
		}
		if err != nil {
			return n, nil
		}
	}
}
