package tape

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/qbtrading/qb/lib/market"
)

// ReadBars reads every bar of a bar file. name is used in errors.
func ReadBars(r io.Reader, name string, opt Options) ([]market.Bar, error) {
	tr, err := NewReader(r, name, opt)
	if err != nil {
		return nil, err
	}
	var bars []market.Bar
	for {
		var b market.Bar
		err := tr.NextBar(&b)
		if errors.Is(err, io.EOF) {
			return bars, nil
		}
		if err != nil {
			return nil, err
		}
		bars = append(bars, b)
	}
}

// ReadTicks reads every tick of a tick file. name is used in errors.
func ReadTicks(r io.Reader, name string, opt Options) ([]market.Tick, error) {
	tr, err := NewReader(r, name, opt)
	if err != nil {
		return nil, err
	}
	var ticks []market.Tick
	for {
		var t market.Tick
		err := tr.NextTick(&t)
		if errors.Is(err, io.EOF) {
			return ticks, nil
		}
		if err != nil {
			return nil, err
		}
		ticks = append(ticks, t)
	}
}

// SymbolFromPath returns the symbol a file is named for: the base name up
// to its first dot, so "data/005930.csv" and "005930.ticks.csv" give
// 005930.
func SymbolFromPath(path string) (market.Symbol, error) {
	base := filepath.Base(path)
	stem, _, _ := strings.Cut(base, ".")
	sym, err := market.ParseSymbol(stem)
	if err != nil {
		return "", fmt.Errorf("symbol from file name %q: %w", base, err)
	}
	return sym, nil
}
