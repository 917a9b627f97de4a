package replay

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/tape"
)

// Ties in time go by symbol, whatever the file order, then keep file and
// row order: the order a store returns the same rows in.
func TestMergeOrdersTiesBySymbolThenFileAndRow(t *testing.T) {
	at := time.Date(2024, 3, 4, 9, 0, 0, 0, market.Seoul)
	tk := func(sec int, sym market.Symbol, price int64) market.Tick {
		return market.Tick{Time: at.Add(time.Duration(sec) * time.Second), Symbol: sym, Price: price, Volume: 1}
	}
	naver := []market.Tick{tk(0, "035420", 1), tk(0, "035420", 2), tk(1, "035420", 3)}
	samsung := []market.Tick{tk(0, "005930", 4), tk(1, "005930", 5), tk(1, "005930", 6)}
	for _, tc := range []struct {
		name  string
		tapes [][]market.Tick
	}{
		{"files in symbol order", [][]market.Tick{samsung, naver}},
		{"files in reverse symbol order", [][]market.Tick{naver, samsung}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mergeTapes(tc.tapes)
			want := []int64{4, 1, 2, 5, 6, 3}
			if len(got) != len(want) {
				t.Fatalf("%d ticks, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].Price != want[i] {
					t.Fatalf("tick %d is %s price %d, want price %d (order %v)", i, got[i].Symbol, got[i].Price, want[i], prices(got))
				}
			}
		})
	}
}

func prices(ts []market.Tick) []int64 {
	out := make([]int64, len(ts))
	for i := range ts {
		out[i] = ts[i].Price
	}
	return out
}

// sortTapes is the slice merge replay used before it streamed, kept as the
// reference the streaming merge must agree with.
func sortTapes(tapes [][]market.Tick) []market.Tick {
	var out []market.Tick
	for _, t := range tapes {
		out = append(out, t...)
	}
	slices.SortStableFunc(out, func(a, b market.Tick) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.Symbol, b.Symbol)
	})
	return out
}

// readTapeRef reads a whole file as replay did before it streamed.
func readTapeRef(t *testing.T, path string) []market.Tick {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var opt tape.Options
	if sym, err := tape.SymbolFromPath(path); err == nil {
		opt.Symbol = sym
	}
	r, err := tape.NewReader(f, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []market.Tick
	for {
		var err error
		if r.Kind() == tape.Bars {
			var b market.Bar
			if err = r.NextBar(&b); err == nil {
				out = BarTicks(&b, out)
			}
		} else {
			var tk market.Tick
			if err = r.NextTick(&tk); err == nil {
				out = append(out, tk)
			}
		}
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Random files of ticks and bars, with and without a symbol column, their
// symbols in time order, one after another or interleaved at random, with
// many equal times within and across files: the streaming merge gives the
// tape the slice merge gave.
func TestStreamingMergeMatchesSliceMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	for round := range 60 {
		dir := t.TempDir()
		var paths []string
		var ref [][]market.Tick
		for file := range 1 + rng.IntN(5) {
			p := randomFile(t, rng, filepath.Join(dir, fmt.Sprint(file)))
			paths = append(paths, p)
			ref = append(ref, readTapeRef(t, p))
		}
		want := sortTapes(ref)
		got, err := ReadTapes(paths)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d ticks, want %d", round, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("round %d, tick %d: got %+v, want %+v", round, i, got[i], want[i])
			}
		}
		sorted := func(tp []market.Tick) bool {
			return slices.IsSortedFunc(tp, func(a, b market.Tick) int { return a.Time.Compare(b.Time) })
		}
		if !all(ref, sorted) {
			continue // mergeTapes takes tapes in time order, as a store's are
		}
		if got := mergeTapes(ref); !slices.Equal(got, want) {
			t.Fatalf("round %d: mergeTapes differs from the slice merge", round)
		}
	}
}

func all[T any](s []T, f func(T) bool) bool {
	for _, x := range s {
		if !f(x) {
			return false
		}
	}
	return true
}

var testSymbols = []market.Symbol{"005930", "000660", "035420"}

// randomFile writes a random CSV file in dir and returns its path.
func randomFile(t *testing.T, rng *rand.Rand, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bars, symCol := rng.IntN(2) == 0, rng.IntN(3) > 0
	syms := testSymbols[:1+rng.IntN(len(testSymbols))]
	name := "mixed.csv"
	if !symCol {
		syms = []market.Symbol{testSymbols[rng.IntN(len(testSymbols))]}
		name = string(syms[0]) + ".csv"
	}
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, market.Seoul)
	// Per symbol, rows in time order: [time, row text].
	type row struct {
		at   time.Time
		text string
	}
	per := make([][]row, len(syms))
	price := int64(1000 + rng.IntN(1000))
	for i, sym := range syms {
		prefix := ""
		if symCol {
			prefix = "," + string(sym)
		}
		if bars {
			for d := range 5 {
				if rng.IntN(3) == 0 {
					continue
				}
				at := day.AddDate(0, 0, d)
				price += 10
				per[i] = append(per[i], row{at, fmt.Sprintf("%s%s,%d,%d,%d,%d,%d", at.Format(time.DateOnly), prefix,
					price, price+20, price-20, price+5, 4+rng.IntN(100))})
			}
			continue
		}
		instants := []time.Duration{9 * time.Hour, 9*time.Hour + time.Second, 11*time.Hour + 10*time.Minute, 13*time.Hour + 20*time.Minute, 15*time.Hour + 30*time.Minute}
		var ats []time.Time
		for range rng.IntN(12) {
			ats = append(ats, day.AddDate(0, 0, rng.IntN(3)).Add(instants[rng.IntN(len(instants))]))
		}
		slices.SortFunc(ats, time.Time.Compare)
		for _, at := range ats {
			price++
			per[i] = append(per[i], row{at, fmt.Sprintf("%s%s,%d,%d", at.Format(time.RFC3339), prefix, price, 1+rng.IntN(50))})
		}
	}
	var rows []row
	switch rng.IntN(3) {
	case 0: // one symbol after another
		for _, p := range per {
			rows = append(rows, p...)
		}
	case 1: // interleaved at random, each symbol in its order
		for {
			var left []int
			for i := range per {
				if len(per[i]) > 0 {
					left = append(left, i)
				}
			}
			if len(left) == 0 {
				break
			}
			i := left[rng.IntN(len(left))]
			rows, per[i] = append(rows, per[i][0]), per[i][1:]
		}
	default: // in time order overall
		for _, p := range per {
			rows = append(rows, p...)
		}
		slices.SortStableFunc(rows, func(a, b row) int { return a.at.Compare(b.at) })
	}
	header := "time,price,volume"
	if bars {
		header = "time,open,high,low,close,volume"
	}
	if symCol {
		header = strings.Replace(header, "time", "time,symbol", 1)
	}
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, r := range rows {
		b.WriteString(r.text + "\n")
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sliceRows reads a tape in memory, a tick a row.
type sliceRows struct{ sliceSource }

func (s *sliceRows) row(buf []market.Tick) ([]market.Tick, time.Time, market.Symbol, error) {
	var t market.Tick
	if err := s.Next(&t); err != nil {
		return buf, time.Time{}, "", err
	}
	return append(buf, t), t.Time, t.Symbol, nil
}

// mergeTapes merges tapes, each in time order per symbol and overall, as
// OpenTapes merges files.
func mergeTapes(tapes [][]market.Tick) []market.Tick {
	m := newMerge()
	for i, t := range tapes {
		m.feeders.push(newFeeder(&sliceRows{sliceSource{tape: t}}, i))
	}
	out, _ := Collect(m) // slices do not fail
	return out
}
