package tape

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says whether a file holds ticks or bars.
type Kind int

// The kinds of file a Reader reads.
const (
	Bars Kind = iota + 1
	Ticks
)

func (k Kind) String() string {
	switch k {
	case Bars:
		return "bars"
	case Ticks:
		return "ticks"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// col identifies a column qb knows.
type col int

const (
	colTime col = iota
	colSymbol
	colOpen
	colHigh
	colLow
	colClose
	colVolume
	colPrice
	colBid
	colAsk
	colSeq
	numCols
)

// colNames maps lower-case header names to columns.
var colNames = map[string]col{
	"time": colTime, "date": colTime, "datetime": colTime,
	"symbol": colSymbol, "code": colSymbol,
	"open": colOpen, "high": colHigh, "low": colLow, "close": colClose,
	"volume": colVolume, "price": colPrice, "bid": colBid, "ask": colAsk, "seq": colSeq,
}

// layout is where each known column sits in a record (-1: absent) and
// its name as the file spells it, for error messages.
type layout struct {
	kind  Kind
	index [numCols]int
	name  [numCols]string
	width int // fields a record needs to hold every present column
}

// headerless is the layout of a file without a header.
func headerless() layout {
	l := layout{kind: Bars}
	for i := range l.index {
		l.index[i] = -1
	}
	for i, c := range []col{colTime, colOpen, colHigh, colLow, colClose, colVolume} {
		l.index[c], l.name[c] = i, []string{"date", "open", "high", "low", "close", "volume"}[i]
	}
	l.width = 6
	return l
}

// parseHeader maps a header record to a layout and decides the kind.
func parseHeader(rec []string) (layout, error) {
	var l layout
	for i := range l.index {
		l.index[i] = -1
	}
	for i, f := range rec {
		c, ok := colNames[strings.ToLower(strings.TrimSpace(f))]
		if !ok {
			continue
		}
		if l.index[c] >= 0 {
			return l, fmt.Errorf("header: columns %q and %q are the same column", l.name[c], f)
		}
		l.index[c], l.name[c] = i, f
		l.width = i + 1
	}
	kind, err := l.decideKind()
	l.kind = kind
	return l, err
}

func (l *layout) decideKind() (Kind, error) {
	price := l.index[colPrice] >= 0
	ohlc := l.index[colOpen] >= 0 || l.index[colHigh] >= 0 || l.index[colLow] >= 0 || l.index[colClose] >= 0
	switch {
	case price && ohlc:
		return 0, errors.New("header: has both price and open/high/low/close: cannot tell ticks from bars")
	case price:
		return Ticks, l.require("ticks", colTime, colPrice, colVolume)
	case ohlc:
		return Bars, l.require("bars", colTime, colOpen, colHigh, colLow, colClose, colVolume)
	}
	return 0, errors.New("header: no price column (ticks) and no open, high, low, close columns (bars)")
}

var reqNames = [numCols]string{colTime: "time", colOpen: "open", colHigh: "high", colLow: "low",
	colClose: "close", colVolume: "volume", colPrice: "price"}

func (l *layout) require(what string, cols ...col) error {
	for _, c := range cols {
		if l.index[c] < 0 {
			return fmt.Errorf("header: no %s column, which %s need", reqNames[c], what)
		}
	}
	return nil
}
