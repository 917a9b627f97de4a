package replay

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/sim"
)

// simSource generates n simulated trades: a tape that is in no file and
// never whole in memory.
type simSource struct {
	sim  *sim.Sim
	left int
}

func newSimSource(tb testing.TB, n int) *simSource {
	tb.Helper()
	s, err := sim.New(sim.Config{Seed: 7})
	if err != nil {
		tb.Fatal(err)
	}
	return &simSource{sim: s, left: n}
}

func (s *simSource) Next(t *market.Tick) error {
	if s.left == 0 {
		return io.EOF
	}
	*t = s.sim.Next()
	s.left--
	return nil
}

func (s *simSource) Close() error { return nil }

// sampled passes a source through, sampling the heap every 64Ki ticks.
type sampled struct {
	Source
	n    int
	peak uint64
}

func (s *sampled) Next(t *market.Tick) error {
	if s.n%(1<<16) == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s.peak = max(s.peak, ms.HeapAlloc)
	}
	s.n++
	return s.Source.Next(t)
}

// luaSources writes src, formatted with a name, to n files and loads them.
func luaSources(tb testing.TB, src string, n int) []load.Source {
	tb.Helper()
	dir := tb.TempDir()
	var paths []string
	for i := range n {
		name := fmt.Sprintf("s%d", i)
		p := filepath.Join(dir, name+".lua")
		if err := os.WriteFile(p, []byte(fmt.Sprintf(src, name)), 0o644); err != nil {
			tb.Fatal(err)
		}
		paths = append(paths, p)
	}
	srcs, err := load.Strategies(paths)
	if err != nil {
		tb.Fatal(err)
	}
	return srcs
}

// replayBounded replays src through a bar strategy, checks the summary
// counts n ticks and the heap stayed under bound.
func replayBounded(t *testing.T, data []string, src Source, n int, bound uint64) {
	t.Helper()
	runtime.GC()
	s := &sampled{Source: src}
	rep, err := Run(context.Background(), Config{
		Data: data, Source: s, Strategies: luaSources(t, maCrossLua, 1), Log: zerolog.Nop(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ticks != n {
		t.Errorf("summary counts %d ticks, want %d", rep.Ticks, n)
	}
	if s.peak > bound {
		t.Errorf("heap reached %d MiB replaying %d ticks, want under %d MiB", s.peak>>20, n, bound>>20)
	}
	t.Logf("%d ticks, peak heap %d MiB", n, s.peak>>20)
}

// A replay holds none of its tape beyond what the source buffers: two
// million ticks (a slice of them alone is over 200 MiB) replay through a
// bar strategy with the heap under a fixed bound, and the summary still
// knows the tape's length.
func TestStreamingReplayMemoryIsBounded(t *testing.T) {
	n := 2_000_000
	if testing.Short() {
		n = 200_000
	}
	replayBounded(t, []string{"sim"}, newSimSource(t, n), n, 64<<20)
}

// Files stream too: one of five symbols in time order, and one of the
// same symbols one after another, which gets a reader per symbol. Their
// 200k ticks would take over 20 MiB in a slice; the replay stays under 16.
func TestStreamingFilesMemoryIsBounded(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	dir := t.TempDir()
	sorted, grouped := filepath.Join(dir, "sorted.csv"), filepath.Join(dir, "grouped.csv")
	writeSimCSV(t, sorted, 7, n, false)
	writeSimCSV(t, grouped, 8, n, true)
	src, err := OpenTapes([]string{sorted, grouped})
	if err != nil {
		t.Fatal(err)
	}
	replayBounded(t, []string{sorted, grouped}, src, 2*n, 16<<20)
}

// writeSimCSV writes n simulated ticks of seed to path, in time order or
// grouped by symbol.
func writeSimCSV(t *testing.T, path string, seed uint64, n int, grouped bool) {
	t.Helper()
	s, err := sim.New(sim.Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	tape := make([]market.Tick, n)
	for i := range tape {
		tape[i] = s.Next()
	}
	if grouped {
		slices.SortStableFunc(tape, func(a, b market.Tick) int { return cmp.Compare(a.Symbol, b.Symbol) })
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "time,symbol,price,volume")
	for i := range tape {
		tk := &tape[i]
		fmt.Fprintf(w, "%s,%s,%d,%d\n", tk.Time.Format(time.RFC3339Nano), tk.Symbol, tk.Price, tk.Volume)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkStreamingReplay replays a million generated ticks through Run
// from a Source, as qb replay streams files: one op is the whole tape.
func BenchmarkStreamingReplay(b *testing.B) {
	srcs := luaSources(b, maCrossLua, 1)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		src := newSimSource(b, tapeTicks)
		b.StartTimer()
		if _, err := Run(context.Background(), Config{Data: []string{"sim"}, Source: src, Strategies: srcs, Log: zerolog.Nop()}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*tapeTicks/b.Elapsed().Seconds(), "ticks/s")
	b.ReportMetric(0, "ns/op")
}
