package replay

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Store holds recorded market data; sqldb's stores are ones.
type Store interface {
	// Ticks yields the ticks of symbols with from <= time < to, by time.
	Ticks(ctx context.Context, symbols []market.Symbol, from, to time.Time) iter.Seq2[market.Tick, error]
	// Bars yields the bars of timeframe tf starting in [from, to), by start.
	Bars(ctx context.Context, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) iter.Seq2[market.Bar, error]
}

// ReadStore reads one tape from a store, as ReadTapes does from files: each
// symbol's stored ticks in [from, to), or, for a symbol with no ticks
// there, its bars of timeframe tf turned into ticks by BarTicks. The same
// data imported from files replays to the same report.
func ReadStore(ctx context.Context, st Store, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) ([]market.Tick, error) {
	tapes := make([][]market.Tick, 0, len(symbols))
	for _, sym := range symbols {
		one := []market.Symbol{sym}
		var tape []market.Tick
		for t, err := range st.Ticks(ctx, one, from, to) {
			if err != nil {
				return nil, fmt.Errorf("replay %s from the store: %w", sym, err)
			}
			tape = append(tape, t)
		}
		if len(tape) == 0 {
			for b, err := range st.Bars(ctx, one, tf, from, to) {
				if err != nil {
					return nil, fmt.Errorf("replay %s from the store: %w", sym, err)
				}
				tape = BarTicks(&b, tape)
			}
		}
		tapes = append(tapes, tape)
	}
	return mergeTapes(tapes), nil
}
