package sqldb_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/record"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// benchRows ticks go in per benchmark operation.
const benchRows = 100_000

// nextBatch renumbers ticks so every operation inserts new rows.
func nextBatch(ticks []market.Tick, op int) {
	for i := range ticks {
		ticks[i].Seq = int64(op*benchRows + i)
	}
}

func reportRows(b *testing.B) {
	b.ReportMetric(float64(b.N*benchRows)/b.Elapsed().Seconds(), "rows/s")
}

// copyStore sends the recorder's ticks through the plain COPY path.
type copyStore struct{ *sqldb.Postgres }

func (s copyStore) WriteTicks(ctx context.Context, t []market.Tick) error {
	_, err := s.CopyTicks(ctx, t)
	return err
}

func (s copyStore) WriteEvents(context.Context, []record.Event) error { return nil }

// BenchmarkTickIngest compares, on the same rows and server: a direct COPY,
// the idempotent write, the recorder over each, and `psql \copy` (the
// ratio in BENCHMARKS.md). Run with: make bench BENCH=TickIngest PKGS=./sqldb
func BenchmarkTickIngest(b *testing.B) {
	b.Run("copy", func(b *testing.B) {
		st := benchStore(b)
		benchDirect(b, func(ticks []market.Tick) error { _, err := st.CopyTicks(ctx0, ticks); return err })
	})
	b.Run("write-idempotent", func(b *testing.B) {
		st := benchStore(b)
		benchDirect(b, func(ticks []market.Tick) error { return st.WriteTicks(ctx0, ticks) })
	})
	b.Run("recorder-copy", func(b *testing.B) { benchRecorder(b, copyStore{benchStore(b)}) })
	b.Run("recorder-idempotent", func(b *testing.B) { benchRecorder(b, recorderStore{benchStore(b)}) })
	b.Run("psql-copy", benchPsql)
}

func benchStore(b *testing.B) *sqldb.Postgres {
	target, _ := pgTarget(b)
	st, err := sqldb.OpenPostgres(ctx0, target, sqldb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	return st
}

func benchDirect(b *testing.B, write func([]market.Tick) error) {
	ticks := makeTicks(benchRows, 0)
	b.ReportAllocs()
	op := 0
	for b.Loop() {
		nextBatch(ticks, op)
		op++
		if err := write(ticks); err != nil {
			b.Fatal(err)
		}
	}
	reportRows(b)
}

func benchRecorder(b *testing.B, st record.Store) {
	r, err := record.New(record.Config{Store: st, Dir: b.TempDir(), Capacity: 1 << 18, BatchSize: 16384})
	if err != nil {
		b.Fatal(err)
	}
	r.Start(ctx0)
	ticks := makeTicks(benchRows, 0)
	b.ReportAllocs()
	op := 0
	for b.Loop() {
		nextBatch(ticks, op)
		op++
		for i := range ticks {
			r.Tick(&ticks[i])
		}
		for r.Stats().Written < int64(op*benchRows) { // the rows are in the database
			time.Sleep(100 * time.Microsecond)
		}
	}
	reportRows(b)
	if err := r.Close(ctx0); err != nil {
		b.Fatal(err)
	}
	if s := r.Stats(); s.Spilled != 0 || s.Retries != 0 {
		b.Logf("recorder stats %+v", s)
	}
}

// benchPsql times psql's client-side \copy of the same rows from a CSV file.
func benchPsql(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Skip("psql not on PATH")
	}
	target, schema := pgTarget(b)
	st, err := sqldb.OpenPostgres(ctx0, target, sqldb.Options{}) // creates the tables
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	ticks := makeTicks(benchRows, 0)
	file := filepath.Join(b.TempDir(), "ticks.csv")
	op := 0
	for b.Loop() {
		b.StopTimer()
		nextBatch(ticks, op)
		op++
		writeCSV(b, file, ticks)
		cmd := exec.Command(psql, "-q", "-v", "ON_ERROR_STOP=1", adminURL(), "-c",
			fmt.Sprintf(`\copy ticks (time, symbol, price, volume, bid, ask, seq) FROM '%s' WITH (FORMAT csv)`, file))
		cmd.Env = append(os.Environ(), "PGOPTIONS=-c search_path="+schema)
		b.StartTimer()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("psql: %v: %s", err, out)
		}
	}
	reportRows(b)
}

func writeCSV(b *testing.B, path string, ticks []market.Tick) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	var buf []byte
	for i := range ticks {
		t := &ticks[i]
		buf = t.Time.AppendFormat(buf[:0], time.RFC3339Nano)
		buf = append(buf, ',')
		buf = append(buf, t.Symbol...)
		for _, v := range []int64{t.Price, t.Volume, t.Bid, t.Ask, t.Seq} {
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, v, 10)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}
