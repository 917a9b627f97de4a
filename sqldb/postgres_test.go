package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

func openPostgres(t *testing.T, opts sqldb.Options) (*sqldb.Postgres, string) {
	t.Helper()
	target, schema := pgTarget(t)
	st, err := sqldb.OpenPostgres(context.Background(), target, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(st.Close)
	return st, schema
}

// The plain COPY path is all or nothing: a batch holding a stored tick fails
// whole and leaves the table as it was.
func TestCopyTicksRefusesDuplicates(t *testing.T) {
	st, _ := openPostgres(t, sqldb.Options{})
	ticks := makeTicks(500, 1)
	if n, err := st.CopyTicks(ctx0, ticks); err != nil || n != 500 {
		t.Fatalf("CopyTicks = %d, %v", n, err)
	}
	if _, err := st.CopyTicks(ctx0, ticks[400:]); err == nil {
		t.Fatal("CopyTicks of stored ticks succeeded, want a unique violation")
	}
	bars := []market.Bar{{Symbol: "005930", Timeframe: market.Min1, Start: day0, Open: 1, High: 1, Low: 1, Close: 1}}
	if n, err := st.CopyBars(ctx0, bars); err != nil || n != 1 {
		t.Fatalf("CopyBars = %d, %v", n, err)
	}
	if n := queryInt(t, st, `SELECT count(*) FROM ticks`); n != 500 {
		t.Fatalf("ticks = %d, want 500", n)
	}
}

// TimescaleDB mode: hypertables with compression and the bar aggregates.
func TestTimescale(t *testing.T) {
	conn := adminConn(t)
	var available bool
	err := conn.QueryRow(ctx0, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')`).Scan(&available)
	conn.Close(ctx0)
	if err != nil {
		t.Fatal(err)
	}
	if !available {
		t.Skip("timescaledb extension is not installed on this PostgreSQL server; " +
			"run docker-compose.dev.yml (timescale/timescaledb image) and point QB_TEST_POSTGRES at it to run this test")
	}
	st, _ := openPostgres(t, sqldb.Options{Retention: sqldb.Retention{Ticks: 30 * 24 * time.Hour}})
	if st.Mode() != sqldb.ModeTimescale {
		t.Skipf("timescaledb is installed but cannot be created here (mode %s): is it in shared_preload_libraries?", st.Mode())
	}
	checks := []struct {
		query string
		want  int64
	}{
		{`SELECT count(*) FROM timescaledb_information.hypertables
			WHERE hypertable_schema = current_schema() AND compression_enabled`, 2},
		{`SELECT count(*) FROM timescaledb_information.continuous_aggregates
			WHERE view_schema = current_schema()`, 2},
		{`SELECT count(*) FROM timescaledb_information.jobs j
			WHERE j.hypertable_schema = current_schema() AND j.proc_name = 'policy_retention'`, 1},
	}
	for _, c := range checks {
		if got := queryInt(t, st, c.query); got != c.want {
			t.Errorf("%s = %d, want %d", c.query, got, c.want)
		}
	}
	// Idempotent writes still work on a hypertable, and a second start re-applies policies.
	mustDo(t, st.WriteTicks(ctx0, makeTicks(100, 1)))
	mustDo(t, st.WriteTicks(ctx0, makeTicks(100, 1)))
	if n := queryInt(t, st, `SELECT count(*) FROM ticks`); n != 100 {
		t.Fatalf("ticks = %d, want 100", n)
	}
}
