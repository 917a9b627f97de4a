package record_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
)

func newRecorder(t *testing.T, st record.Store, dir string, capacity, batch int) *record.Recorder {
	t.Helper()
	r, err := record.New(record.Config{Store: st, Dir: dir, Capacity: capacity, BatchSize: batch,
		FlushInterval: 5 * time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func closeWithin(t *testing.T, r *record.Recorder, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return r.Close(ctx)
}

func wantTicksInOrder(t *testing.T, got []market.Tick, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("store has %d ticks, want %d", len(got), n)
	}
	for i := range got {
		g, w := got[i], tick(i)
		if !g.Time.Equal(w.Time) {
			t.Fatalf("tick %d at %v, want %v (order lost?)", i, g.Time, w.Time)
		}
		g.Time = w.Time // a spill file keeps the instant, not the zone's name
		if g != w {
			t.Fatalf("tick %d = %+v, want %+v (order lost?)", i, g, w)
		}
	}
}

func spillFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "spill-*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEverythingReachesTheStoreInOrder(t *testing.T) {
	st := &memStore{failFirst: 3} // and survives a few failed writes
	r := newRecorder(t, st, t.TempDir(), 1024, 100)
	r.Start(context.Background())
	for i := range 5000 {
		tk := tick(i)
		r.Tick(&tk)
		if i%1000 == 0 {
			r.Bar(&market.Bar{Symbol: "005930", Timeframe: market.Min1, Start: tk.Time, Open: 1, High: 1, Low: 1, Close: 1})
			r.Event(record.Event{Time: tk.Time, Component: "test", Level: "info", Message: "mark"})
		}
		if i%200 == 0 {
			time.Sleep(time.Millisecond) // let the writer take several batches
		}
	}
	if err := closeWithin(t, r, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	wantTicksInOrder(t, st.gotTicks(), 5000)
	if len(st.bars) != 5 || len(st.events) != 5 {
		t.Fatalf("bars %d, events %d; want 5 each", len(st.bars), len(st.events))
	}
	s := r.Stats()
	if s.Recorded != 5010 || s.Written != 5010 || s.Retries < 3 || s.Lost != 0 {
		t.Fatalf("stats = %+v", s)
	}
}

// A blocked store fills the buffer: records go to a spill file, and once the
// store answers again the file is replayed in order and removed.
func TestSpillFileReplayedWhenStoreReturns(t *testing.T) {
	gate := make(chan struct{})
	st := &memStore{gate: gate}
	dir := t.TempDir()
	r := newRecorder(t, st, dir, 100, 10)
	r.Start(context.Background())
	for i := range 1000 {
		tk := tick(i)
		r.Tick(&tk) // must not block although the store does
	}
	if s := r.Stats(); s.Spilled < 800 {
		t.Fatalf("spilled %d records, want most of 1000 (buffer holds 100)", s.Spilled)
	}
	if len(spillFiles(t, dir)) == 0 {
		t.Fatal("no spill file on disk while the store is blocked")
	}
	close(gate)
	if err := closeWithin(t, r, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	wantTicksInOrder(t, st.gotTicks(), 1000)
	if s := r.Stats(); s.Replayed == 0 || s.Written != 1000 {
		t.Fatalf("stats = %+v", s)
	}
	if f := spillFiles(t, dir); len(f) != 0 {
		t.Fatalf("spill files left after replay: %v", f)
	}
}

// The store stays down through Close: nothing is lost, the next run replays.
func TestSpillSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	down := &memStore{down: true}
	r := newRecorder(t, down, dir, 100, 10)
	r.Start(context.Background())
	for i := range 500 {
		tk := tick(i)
		r.Tick(&tk)
		for i == 50 && r.Stats().Retries == 0 {
			time.Sleep(time.Millisecond) // a batch is in flight, then the ring fills up behind it
		}
	}
	err := closeWithin(t, r, 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "spill file") {
		t.Fatalf("Close with the store down = %v, want an error about spill files", err)
	}
	if len(spillFiles(t, dir)) == 0 {
		t.Fatal("no spill files after closing with the store down")
	}
	up := &memStore{}
	r2 := newRecorder(t, up, dir, 100, 10)
	r2.Start(context.Background())
	for i := 500; i < 600; i++ { // new records come after the old ones
		tk := tick(i)
		r2.Tick(&tk)
	}
	if err := closeWithin(t, r2, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	wantTicksInOrder(t, up.gotTicks(), 600)
	if f := spillFiles(t, dir); len(f) != 0 {
		t.Fatalf("spill files left: %v", f)
	}
}

// kill -9 can tear the last line of a spill file: the rest is replayed.
func TestTornSpillLineIsSkipped(t *testing.T) {
	dir := t.TempDir()
	content := `{"t":{"Time":"2026-03-03T09:00:00+09:00","Symbol":"005930","Price":70000,"Volume":1,"Bid":0,"Ask":0,"Seq":0}}
{"t":{"Time":"2026-03-03T09:00:00.001+09:00","Symbol":"005930","Price":70001,"Volume":1,"Bid":0,"Ask":0,"Seq":1}}
{"t":{"Time":"2026-03-03T09:00:00.002+09:00","Sym`
	if err := os.WriteFile(filepath.Join(dir, "spill-00000001-0000000000000000.jsonl"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	st := &memStore{}
	r := newRecorder(t, st, dir, 100, 10)
	r.Start(context.Background())
	if err := closeWithin(t, r, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	wantTicksInOrder(t, st.gotTicks(), 2)
}

func TestRecordAfterCloseIsCounted(t *testing.T) {
	r := newRecorder(t, &memStore{}, t.TempDir(), 10, 5)
	r.Start(context.Background())
	if err := closeWithin(t, r, time.Second); err != nil {
		t.Fatal(err)
	}
	tk := tick(0)
	r.Tick(&tk)
	if s := r.Stats(); s.Lost != 1 {
		t.Fatalf("Lost = %d, want 1", s.Lost)
	}
}

// Two hosts sharing a data directory must not replay (and delete) each
// other's spill files.
func TestSpillDirectoryHasOneOwner(t *testing.T) {
	dir := t.TempDir()
	first := newRecorder(t, &memStore{}, dir, 10, 5)
	if _, err := record.New(record.Config{Store: &memStore{}, Dir: dir}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second recorder on %s: err = %v, want 'in use'", dir, err)
	}
	first.Start(context.Background())
	if err := closeWithin(t, first, time.Second); err != nil {
		t.Fatal(err)
	}
	second := newRecorder(t, &memStore{}, dir, 10, 5) // free again after Close
	if err := closeWithin(t, second, time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  record.Config
		want string
	}{
		{"no store", record.Config{Dir: t.TempDir()}, "Store"},
		{"no dir", record.Config{Store: &memStore{}}, "Dir"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := record.New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New = %v, want an error naming %s", err, c.want)
			}
		})
	}
}

// The engine's hot path: recording a tick allocates nothing.
func TestTickDoesNotAllocate(t *testing.T) {
	r := newRecorder(t, &memStore{}, t.TempDir(), 1<<16, 1<<16)
	tk := tick(1)
	if n := testing.AllocsPerRun(1000, func() { r.Tick(&tk) }); n != 0 {
		t.Fatalf("Tick allocates %.1f times per call", n)
	}
}

// discard is a Store that accepts everything at once.
type discard struct{}

func (discard) WriteTicks(context.Context, []market.Tick) error   { return nil }
func (discard) WriteBars(context.Context, []market.Bar) error     { return nil }
func (discard) WriteEvents(context.Context, []record.Event) error { return nil }

// BenchmarkTickOverload records as fast as one core can, far above any feed:
// the writer falls behind and most records take the spill path (reported as
// "spilled"). BenchmarkTick in buffer_bench_test.go is the normal path.
func BenchmarkTickOverload(b *testing.B) {
	r, err := record.New(record.Config{Store: discard{}, Dir: b.TempDir(), Capacity: 1 << 16})
	if err != nil {
		b.Fatal(err)
	}
	r.Start(context.Background())
	tk := tick(1)
	b.ReportAllocs()
	for b.Loop() {
		r.Tick(&tk)
	}
	b.StopTimer()
	if err := r.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(r.Stats().Spilled), "spilled")
}

// One invalid tick must neither block the stream nor take its batch down.
func TestInvalidRecordIsSetAside(t *testing.T) {
	st := &memStore{}
	dir := t.TempDir()
	r := newRecorder(t, st, dir, 1000, 100)
	r.Start(context.Background())
	bad := tick(50)
	bad.Price = 0
	for i := range 300 {
		tk := tick(i)
		if i == 50 {
			tk = bad
		}
		r.Tick(&tk)
	}
	if err := closeWithin(t, r, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	got := st.gotTicks()
	if len(got) != 299 || got[49] != tick(49) || got[50] != tick(51) {
		t.Fatalf("store has %d ticks (want 299, all but the bad one, in order)", len(got))
	}
	if s := r.Stats(); s.Rejected != 1 || s.Written != 299 || s.Lost != 0 {
		t.Fatalf("stats = %+v", s)
	}
	b, err := os.ReadFile(filepath.Join(dir, "rejected-00000001.jsonl"))
	if err != nil || strings.Count(string(b), "\n") != 1 || !strings.Contains(string(b), `"Price":0`) {
		t.Fatalf("rejected file = %q, %v; want the one bad tick", b, err)
	}
}
