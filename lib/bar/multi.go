package bar

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Multi builds bars of several timeframes for one symbol from the same
// ticks. Each timeframe has its own Builder, rules and Stats.
type Multi struct {
	builders []*Builder
}

// NewMulti returns a Multi for sym with one Builder per timeframe, in the
// order given; closed bars come out in that order.
func NewMulti(sym market.Symbol, tfs ...market.Timeframe) *Multi {
	m := &Multi{builders: make([]*Builder, len(tfs))}
	for i, tf := range tfs {
		m.builders[i] = NewBuilder(sym, tf)
	}
	return m
}

// Add gives t to every Builder and appends the bars it closed to dst.
func (m *Multi) Add(t *market.Tick, dst []market.Bar) []market.Bar {
	for _, b := range m.builders {
		if closed, ok := b.Add(t); ok {
			dst = append(dst, closed)
		}
	}
	return dst
}

// Advance moves every Builder's clock to now and appends the bars that
// closed to dst.
func (m *Multi) Advance(now time.Time, dst []market.Bar) []market.Bar {
	for _, b := range m.builders {
		if closed, ok := b.Advance(now); ok {
			dst = append(dst, closed)
		}
	}
	return dst
}

// Flush closes every forming bar and appends them to dst.
func (m *Multi) Flush(dst []market.Bar) []market.Bar {
	for _, b := range m.builders {
		if closed, ok := b.Flush(); ok {
			dst = append(dst, closed)
		}
	}
	return dst
}

// Builder returns the Builder of timeframe tf, or nil.
func (m *Multi) Builder(tf market.Timeframe) *Builder {
	for _, b := range m.builders {
		if b.tf == tf {
			return b
		}
	}
	return nil
}
