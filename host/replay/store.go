package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Store holds recorded market data; sqldb's stores are ones.
type Store interface {
	// Ticks yields the ticks of symbols with from <= time < to, by time,
	// then symbol, then seq.
	Ticks(ctx context.Context, symbols []market.Symbol, from, to time.Time) iter.Seq2[market.Tick, error]
	// Bars yields the bars of timeframe tf starting in [from, to), by
	// start, then symbol.
	Bars(ctx context.Context, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) iter.Seq2[market.Bar, error]
}

// ReadStore reads the tape OpenStore streams into a slice.
func ReadStore(ctx context.Context, st Store, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) ([]market.Tick, error) {
	src, err := OpenStore(ctx, st, symbols, tf, from, to)
	if err != nil {
		return nil, err
	}
	return Collect(src)
}

// OpenStore streams one tape from a store, as OpenTapes does from files:
// each symbol's stored ticks in [from, to), or, for a symbol with no ticks
// there, its bars of timeframe tf turned into ticks by BarTicks. The same
// data imported from files replays to the same report (`qb import` sets
// seq to the row order). A symbol listed twice is replayed once.
//
// It asks the store, a symbol at a time, for a first tick, then reads the
// ticks of the symbols that have some in one query and the bars of the
// others in another, both by time: two queries open at once, however many
// symbols, and memory bounded by the symbols, not the tape.
func OpenStore(ctx context.Context, st Store, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) (Source, error) {
	var ticks, bars []market.Symbol
	for _, sym := range symbols {
		if slices.Contains(ticks, sym) || slices.Contains(bars, sym) {
			continue
		}
		has, err := hasTicks(ctx, st, sym, from, to)
		if err != nil {
			return nil, err
		}
		if has {
			ticks = append(ticks, sym)
		} else {
			bars = append(bars, sym)
		}
	}
	m := newMerge()
	// The two feeders hold different symbols, so their order never
	// decides a tie.
	if len(ticks) > 0 {
		next, stop := iter.Pull2(st.Ticks(ctx, ticks, from, to))
		m.feeders.push(newFeeder(&storeTicks{next: next, stop: stop}, 0))
	}
	if len(bars) > 0 {
		next, stop := iter.Pull2(st.Bars(ctx, bars, tf, from, to))
		m.feeders.push(newFeeder(&storeBars{next: next, stop: stop}, 1))
	}
	return m, nil
}

// hasTicks says whether the store holds a tick of sym in [from, to).
func hasTicks(ctx context.Context, st Store, sym market.Symbol, from, to time.Time) (bool, error) {
	for _, err := range st.Ticks(ctx, []market.Symbol{sym}, from, to) {
		if err != nil {
			return false, fmt.Errorf("replay %s from the store: %w", sym, err)
		}
		return true, nil
	}
	return false, nil
}

// storeTicks reads a store's ticks, a tick a row.
type storeTicks struct {
	next func() (market.Tick, error, bool)
	stop func()
}

func (s *storeTicks) row(buf []market.Tick) ([]market.Tick, time.Time, market.Symbol, error) {
	t, err, ok := s.next()
	switch {
	case !ok:
		return buf, time.Time{}, "", io.EOF
	case err != nil:
		return buf, time.Time{}, "", fmt.Errorf("replay from the store: %w", err)
	}
	return append(buf, t), t.Time, t.Symbol, nil
}

func (s *storeTicks) Close() error { s.stop(); return nil }

// storeBars reads a store's bars as ticks, four a row.
type storeBars struct {
	next func() (market.Bar, error, bool)
	stop func()
}

func (s *storeBars) row(buf []market.Tick) ([]market.Tick, time.Time, market.Symbol, error) {
	b, err, ok := s.next()
	switch {
	case !ok:
		return buf, time.Time{}, "", io.EOF
	case err != nil:
		return buf, time.Time{}, "", fmt.Errorf("replay from the store: %w", err)
	}
	return BarTicks(&b, buf), b.Timeframe.Start(b.Start), b.Symbol, nil
}

func (s *storeBars) Close() error { s.stop(); return nil }

// Peek returns src's first tick, and a Source that yields it again, then
// the rest of src; io.EOF when src is empty.
func Peek(src Source) (market.Tick, Source, error) {
	p := &peeked{Source: src}
	err := src.Next(&p.first)
	if errors.Is(err, io.EOF) {
		return market.Tick{}, src, io.EOF
	}
	p.held = err == nil
	return p.first, p, err
}

type peeked struct {
	Source
	first market.Tick
	held  bool
}

func (p *peeked) Next(t *market.Tick) error {
	if p.held {
		*t, p.held = p.first, false
		return nil
	}
	return p.Source.Next(t)
}
