package tape

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// InferRows is how many records InferTimeframe reads at most.
const InferRows = 1000

// InferTimeframe reads the first records of a bar file (at most InferRows)
// and returns the timeframe of its bars: 1d when every bar starts at
// midnight KST (date-only times), else the smallest positive gap between
// consecutive starts of one symbol on the same KST day, which must be a
// supported timeframe. It fails for a tick file, for intraday times
// without such a gap (a single bar a day, say), and for a smallest gap
// that is no timeframe (2m): the timeframe must then be given.
func InferTimeframe(r io.Reader, name string, opt Options) (market.Timeframe, error) {
	tr, err := NewReader(r, name, opt)
	if err != nil {
		return 0, err
	}
	if tr.Kind() != Bars {
		return 0, &Error{Name: name, Err: fmt.Errorf("holds %s, not bars: no timeframe to infer", tr.Kind())}
	}
	last := make(map[market.Symbol]time.Time)
	var gap time.Duration // smallest positive same-day gap; 0 for none
	dateOnly := true
	for n := 0; n < InferRows; n++ {
		if err := tr.next(Bars); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return 0, err
		}
		sym, err := tr.symbol()
		if err != nil {
			return 0, err
		}
		at, err := tr.time()
		if err != nil {
			return 0, err
		}
		at = at.In(market.Seoul)
		if h, m, s := at.Clock(); h != 0 || m != 0 || s != 0 || at.Nanosecond() != 0 {
			dateOnly = false
		}
		if prev, ok := last[sym]; ok && sameDay(prev, at) {
			if d := at.Sub(prev); d > 0 && (gap == 0 || d < gap) {
				gap = d
			}
		}
		last[sym] = at
	}
	switch {
	case len(last) == 0:
		return 0, &Error{Name: name, Err: errors.New("no bars to infer a timeframe from")}
	case dateOnly:
		return market.Day1, nil
	case gap == 0:
		return 0, &Error{Name: name, Err: errors.New("cannot infer the bars' timeframe: no two bars of a symbol on the same day in the first rows; give it (--timeframe)")}
	}
	tf := market.Timeframe(gap)
	if !tf.Valid() || tf == market.Day1 {
		return 0, &Error{Name: name, Err: fmt.Errorf("cannot infer the bars' timeframe: the smallest gap between bars, %s, is not one of 1s, 1m, 3m, 5m, 10m, 15m, 30m, 1h; give it (--timeframe)", gap)}
	}
	return tf, nil
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
