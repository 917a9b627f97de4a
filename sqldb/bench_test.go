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
	b.Run("write-idempotent-all-stored", func(b *testing.B) { // a replay: every row is a duplicate
		st := benchStore(b)
		ticks := makeTicks(benchRows, 0)
		if err := st.WriteTicks(ctx0, ticks); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := st.WriteTicks(ctx0, ticks); err != nil {
				b.Fatal(err)
			}
		}
		reportRows(b)
	})
	b.Run("recorder-copy", func(b *testing.B) { benchRecorderIngest(b, copyStore{benchStore(b)}) })
	b.Run("recorder-idempotent", func(b *testing.B) { benchRecorderIngest(b, recorderStore{benchStore(b)}) })
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

func benchRecorderIngest(b *testing.B, st record.Store) {
	br := newBenchRecorder(b, st)
	ticks := makeTicks(benchRows, 0)
	b.ReportAllocs()
	op := 0
	for b.Loop() {
		nextBatch(ticks, op)
		op++
		br.ingest(ticks)
	}
	reportRows(b)
}

// benchPsql times psql's client-side \copy of the same rows from a CSV file.
func benchPsql(b *testing.B) {
	copyCSV := psqlCopier(b)
	ticks := makeTicks(benchRows, 0)
	op := 0
	for b.Loop() {
		b.StopTimer()
		nextBatch(ticks, op)
		op++
		run := copyCSV(ticks)
		b.StartTimer()
		run()
	}
	reportRows(b)
}

// psqlCopier prepares a fresh schema and returns a function that writes
// ticks to a CSV file and returns the \copy to time.
func psqlCopier(b *testing.B) func([]market.Tick) func() {
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
	file := filepath.Join(b.TempDir(), "ticks.csv")
	return func(ticks []market.Tick) func() {
		writeCSV(b, file, ticks)
		return func() {
			cmd := exec.Command(psql, "-q", "-v", "ON_ERROR_STOP=1", adminURL(), "-c",
				fmt.Sprintf(`\copy ticks (time, symbol, price, volume, bid, ask, seq) FROM '%s' WITH (FORMAT csv)`, file))
			cmd.Env = append(os.Environ(), "PGOPTIONS=-c search_path="+schema)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("psql: %v: %s", err, out)
			}
		}
	}
}

// BenchmarkIngestVsPsql interleaves, in every iteration, psql \copy, the
// recorder over plain COPY and the recorder over the idempotent write, each
// with fresh rows in its own schema, so load on a shared machine hits all
// three alike. It reports each one's rows/s and the two ratios to \copy that
// BENCHMARKS.md tracks (aims: plain >= 0.9, idempotent >= 0.5).
func BenchmarkIngestVsPsql(b *testing.B) {
	copyCSV := psqlCopier(b)
	plain := newBenchRecorder(b, copyStore{benchStore(b)})
	idem := newBenchRecorder(b, recorderStore{benchStore(b)})
	ticks := makeTicks(benchRows, 0)
	var tPsql, tPlain, tIdem time.Duration
	op := 0
	for b.Loop() {
		nextBatch(ticks, op)
		op++
		run := copyCSV(ticks)
		tPsql += timed(run)
		tPlain += timed(func() { plain.ingest(ticks) })
		tIdem += timed(func() { idem.ingest(ticks) })
	}
	rows := float64(op * benchRows)
	b.ReportMetric(rows/tPsql.Seconds(), "psql-rows/s")
	b.ReportMetric(rows/tPlain.Seconds(), "plain-rows/s")
	b.ReportMetric(rows/tIdem.Seconds(), "idempotent-rows/s")
	b.ReportMetric(tPsql.Seconds()/tPlain.Seconds(), "plain/psql")
	b.ReportMetric(tPsql.Seconds()/tIdem.Seconds(), "idempotent/psql")
}

func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

type benchRecorder struct {
	b    *testing.B
	r    *record.Recorder
	sent int64
}

func newBenchRecorder(b *testing.B, st record.Store) *benchRecorder {
	r, err := record.New(record.Config{Store: st, Dir: b.TempDir(), Capacity: 1 << 18, BatchSize: 16384})
	if err != nil {
		b.Fatal(err)
	}
	r.Start(ctx0)
	b.Cleanup(func() {
		if err := r.Close(ctx0); err != nil {
			b.Error(err)
		}
	})
	return &benchRecorder{b: b, r: r}
}

// ingest records ticks and returns once the store has them all.
func (br *benchRecorder) ingest(ticks []market.Tick) {
	for i := range ticks {
		br.r.Tick(&ticks[i])
	}
	br.sent += int64(len(ticks))
	for br.r.Stats().Written < br.sent {
		time.Sleep(100 * time.Microsecond)
	}
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

// BenchmarkSQLiteTickIngest is the embedded default: one transaction of
// INSERT OR IGNORE per batch, directly and through the recorder.
func BenchmarkSQLiteTickIngest(b *testing.B) {
	openSQLite := func(b *testing.B) *sqldb.SQLite {
		st, err := sqldb.OpenSQLite(ctx0, filepath.Join(b.TempDir(), "qb.db"), sqldb.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(st.Close)
		return st
	}
	b.Run("write", func(b *testing.B) {
		st := openSQLite(b)
		benchDirect(b, func(ticks []market.Tick) error { return st.WriteTicks(ctx0, ticks) })
	})
	b.Run("recorder", func(b *testing.B) { benchRecorderIngest(b, recorderStore{openSQLite(b)}) })
}
