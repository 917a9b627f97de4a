package replay

import (
	"cmp"
	"context"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// memStore is a Store in memory, in the orders sqldb's stores return.
type memStore struct {
	ticks []market.Tick
	bars  []market.Bar
}

func (s *memStore) Ticks(_ context.Context, syms []market.Symbol, from, to time.Time) iter.Seq2[market.Tick, error] {
	var out []market.Tick
	for _, t := range s.ticks {
		if slices.Contains(syms, t.Symbol) && !t.Time.Before(from) && t.Time.Before(to) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b market.Tick) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Symbol, b.Symbol), cmp.Compare(a.Seq, b.Seq))
	})
	return func(yield func(market.Tick, error) bool) {
		for _, t := range out {
			if !yield(t, nil) {
				return
			}
		}
	}
}

func (s *memStore) Bars(_ context.Context, syms []market.Symbol, tf market.Timeframe, from, to time.Time) iter.Seq2[market.Bar, error] {
	var out []market.Bar
	for _, b := range s.bars {
		if slices.Contains(syms, b.Symbol) && b.Timeframe == tf && !b.Start.Before(from) && b.Start.Before(to) {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b market.Bar) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Symbol, b.Symbol))
	})
	return func(yield func(market.Bar, error) bool) {
		for _, b := range out {
			if !yield(b, nil) {
				return
			}
		}
	}
}

// readStoreRef is ReadStore as it was before it streamed: the reference.
func readStoreRef(t *testing.T, st Store, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) []market.Tick {
	ctx := context.Background()
	var tapes [][]market.Tick
	for _, sym := range symbols {
		one := []market.Symbol{sym}
		var tape []market.Tick
		for tk, err := range st.Ticks(ctx, one, from, to) {
			if err != nil {
				t.Fatal(err)
			}
			tape = append(tape, tk)
		}
		if len(tape) == 0 {
			for b, err := range st.Bars(ctx, one, tf, from, to) {
				if err != nil {
					t.Fatal(err)
				}
				tape = BarTicks(&b, tape)
			}
		}
		tapes = append(tapes, tape)
	}
	return sortTapes(tapes)
}

// Symbols with ticks and symbols with only bars, many at equal times:
// the streamed tape is the one ReadStore collected before.
func TestOpenStoreMatchesPerSymbolRead(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, market.Seoul)
	instants := []time.Duration{9 * time.Hour, 11*time.Hour + 10*time.Minute, 13*time.Hour + 20*time.Minute, 15*time.Hour + 30*time.Minute}
	for round := range 40 {
		st := &memStore{}
		price := int64(1000)
		for _, sym := range testSymbols {
			if rng.IntN(2) == 0 {
				for seq := range rng.IntN(20) {
					price++
					at := day.AddDate(0, 0, rng.IntN(3)).Add(instants[rng.IntN(len(instants))])
					st.ticks = append(st.ticks, market.Tick{Time: at, Symbol: sym, Price: price, Volume: 1, Seq: int64(seq)})
				}
			}
			for d := range 3 {
				if rng.IntN(3) > 0 {
					price += 10
					st.bars = append(st.bars, market.Bar{Symbol: sym, Timeframe: market.Day1, Start: day.AddDate(0, 0, d),
						Open: price, High: price + 20, Low: price - 20, Close: price + 5, Volume: 10})
				}
			}
		}
		syms := slices.Clone(testSymbols)
		rng.Shuffle(len(syms), func(i, j int) { syms[i], syms[j] = syms[j], syms[i] })
		from, to := day, day.AddDate(0, 0, 3)
		want := readStoreRef(t, st, syms, market.Day1, from, to)
		got, err := ReadStore(context.Background(), st, syms, market.Day1, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: got prices %v, want %v", round, prices(got), prices(want))
		}
	}
}
