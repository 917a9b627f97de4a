package sqldb_test

// The recorder (host/record) against the real stores: the store side of the
// promise "nothing lost, nothing doubled". Only the test joins host and sqldb,
// as cmd does.

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// recorderStore adapts a Store to record.Store, the way cmd wires them.
type recorderStore struct{ sqldb.Store }

func (s recorderStore) WriteEvents(ctx context.Context, events []record.Event) error {
	out := make([]sqldb.Event, len(events))
	for i, e := range events {
		out[i] = sqldb.Event{Time: e.Time, Component: e.Component, Level: e.Level, Message: e.Message, Details: e.Details}
	}
	return s.LogEvents(ctx, out)
}

func startRecorder(t *testing.T, st record.Store, dir string, capacity, batch int) *record.Recorder {
	t.Helper()
	r, err := record.New(record.Config{Store: st, Dir: dir, Capacity: capacity, BatchSize: batch,
		FlushInterval: 10 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(context.Background())
	return r
}

func closeRecorder(t *testing.T, r *record.Recorder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close recorder: %v", err)
	}
}

// The database kills the store's connections again and again while ticks
// stream in: every tick is stored exactly once.
func TestRecorderSurvivesKilledConnections(t *testing.T) {
	st, schema := openPostgres(t, sqldb.Options{})
	r := startRecorder(t, recorderStore{st}, t.TempDir(), 1<<17, 1000)
	ticks := makeTicks(60000, 1)

	killer := adminConn(t)
	defer killer.Close(ctx0)
	var killed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(15 * time.Millisecond):
			}
			var n int64
			err := killer.QueryRow(ctx0, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid)
				FROM pg_stat_activity WHERE application_name = $1) AS k`, schema).Scan(&n)
			if err != nil {
				t.Errorf("terminate: %v", err)
				return
			}
			killed.Add(n)
		}
	})
	for i := range ticks {
		r.Tick(&ticks[i])
		if i%2000 == 1999 {
			time.Sleep(20 * time.Millisecond) // spread the stream over the kills
		}
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	closeRecorder(t, r)

	if killed.Load() == 0 {
		t.Fatal("no store connection was terminated: the test proved nothing")
	}
	sameTicks(t, collectTicks(t, st, nil, day0, day0.Add(time.Hour)), ticks)
	s := r.Stats()
	t.Logf("terminated %d connections; recorder stats %+v", killed.Load(), s)
	if s.Lost != 0 || s.Written != int64(len(ticks)) {
		t.Fatalf("stats = %+v", s)
	}
}

// lockTicks holds an exclusive lock on the ticks table, so every write blocks,
// until the returned function releases it.
func lockTicks(t *testing.T, target string) (release func()) {
	t.Helper()
	conn, err := pgx.Connect(ctx0, target)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx0, `LOCK TABLE ticks IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			_ = tx.Rollback(ctx0)
			_ = conn.Close(ctx0)
		})
	}
	t.Cleanup(release)
	return release
}

// A blocked database fills the recorder's buffer; the overflow goes to a spill
// file, which is replayed once the database answers.
func TestRecorderSpillReplayedAfterBlockedStore(t *testing.T) {
	target, _ := pgTarget(t)
	st := open(t, target, sqldb.Options{})
	release := lockTicks(t, target)
	dir := t.TempDir()
	r := startRecorder(t, recorderStore{st}, dir, 1000, 100)
	ticks := makeTicks(20000, 1)
	for i := range ticks {
		r.Tick(&ticks[i])
	}
	files, _ := filepath.Glob(filepath.Join(dir, "spill-*.jsonl"))
	if s := r.Stats(); s.Spilled < 15000 || len(files) == 0 {
		t.Fatalf("with the table locked: spilled %d, files %v; want most ticks in a spill file", s.Spilled, files)
	}
	release()
	closeRecorder(t, r)
	sameTicks(t, collectTicks(t, st, nil, day0, day0.Add(time.Hour)), ticks)
	if s := r.Stats(); s.Replayed < 15000 || s.Lost != 0 {
		t.Fatalf("stats = %+v", s)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "spill-*.jsonl")); len(files) != 0 {
		t.Fatalf("spill files left: %v", files)
	}
}

// The database stays blocked through shutdown: the host stops with its ticks
// on disk, and the next run stores them once, before the new ones.
func TestRecorderSpillReplayedAfterRestart(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		dir := t.TempDir()
		ticks := makeTicks(5000, 1)
		blocked := recorderStore{&failingStore{st}}
		r := startRecorder(t, blocked, dir, 500, 100)
		for i := range ticks[:4000] {
			r.Tick(&ticks[i])
		}
		ctx, cancel := context.WithTimeout(ctx0, 200*time.Millisecond)
		defer cancel()
		if err := r.Close(ctx); err == nil {
			t.Fatal("Close with the store down reported success")
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		t.Logf("run 1: %+v, files %v", r.Stats(), files)
		r2 := startRecorder(t, recorderStore{st}, dir, 500, 100)
		for i := range ticks[4000:] {
			r2.Tick(&ticks[4000+i])
		}
		closeRecorder(t, r2)
		t.Logf("run 2: %+v", r2.Stats())
		sameTicks(t, collectTicks(t, st, nil, day0, day0.Add(time.Hour)), ticks)
	})
}

// failingStore is a store whose tick writes fail, as when the server is gone.
type failingStore struct{ sqldb.Store }

func (failingStore) WriteTicks(context.Context, []market.Tick) error { return errStoreDown }

var errStoreDown = errors.New("store down")

// The journal's feeder rides out killed connections: the order saved
// after the database killed every connection reaches the store, with no
// error to the host.
func TestDurableSurvivesKilledConnections(t *testing.T) {
	st, schema := openPostgres(t, sqldb.Options{})
	r, err := record.New(record.Config{Store: recorderStore{st}, Durable: st, Dir: t.TempDir(),
		MinBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(ctx0)
	mustDo(t, r.SaveOrder(ctx0, newOrder(1)))
	waitFor(t, "the first order stored", func() bool { // the pool now holds a connection
		open, err := st.OpenOrders(ctx0)
		return err == nil && len(open) == 1
	})
	killer := adminConn(t)
	defer killer.Close(ctx0)
	var n int64
	err = killer.QueryRow(ctx0, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid)
		FROM pg_stat_activity WHERE application_name = $1) AS k`, schema).Scan(&n)
	if err != nil || n == 0 {
		t.Fatalf("terminated %d connections: %v", n, err)
	}
	ctx, cancel := context.WithTimeout(ctx0, 10*time.Second)
	defer cancel()
	o := newOrder(1)
	mustDo(t, o.Accept(day0.Add(time.Second)))
	mustDo(t, r.SaveOrder(ctx, o))
	closeRecorder(t, r) // returns once the store has the journal
	open, err := st.OpenOrders(ctx0)
	mustDo(t, err)
	if len(open) != 1 || open[0].Status != market.OrderAccepted {
		t.Fatalf("open orders = %+v", open)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
