package replay

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/tape"
)

// ReadTape reads one CSV file of ticks or bars as ticks (bars through
// BarTicks). A file without a symbol column takes its symbol from its name
// (005930.csv).
func ReadTape(path string) ([]market.Tick, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read data: %w", err)
	}
	defer f.Close()
	var opt tape.Options
	if sym, err := tape.SymbolFromPath(path); err == nil {
		opt.Symbol = sym
	}
	r, err := tape.NewReader(f, path, opt)
	if err != nil {
		return nil, err
	}
	if r.Kind() == tape.Bars {
		return readBars(r)
	}
	return readTicks(r)
}

func readTicks(r *tape.Reader) ([]market.Tick, error) {
	var out []market.Tick
	for {
		var t market.Tick
		err := r.NextTick(&t)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
}

func readBars(r *tape.Reader) ([]market.Tick, error) {
	var out []market.Tick
	for {
		var b market.Bar
		err := r.NextBar(&b)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = BarTicks(&b, out)
	}
}

// ReadTapes reads every file and merges them into one tape ordered by time.
func ReadTapes(paths []string) ([]market.Tick, error) {
	tapes := make([][]market.Tick, 0, len(paths))
	for _, p := range paths {
		t, err := ReadTape(p)
		if err != nil {
			return nil, err
		}
		tapes = append(tapes, t)
	}
	return mergeTapes(tapes), nil
}
