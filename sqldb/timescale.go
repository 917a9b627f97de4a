package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// setupTimescale turns ticks and market_data into compressed hypertables with
// retention, and builds 1-minute and 1-day bars from ticks as continuous
// aggregates. When the extension cannot be created the store stays in plain
// PostgreSQL mode, where Prune does the retention. Every step is idempotent and
// re-applies the configured policies, so a changed Options takes effect at the
// next start.
func (s *Postgres) setupTimescale(ctx context.Context, conn *pgx.Conn) error {
	s.mode = ModePostgres
	if s.opts.NoTimescale {
		return nil
	}
	var available bool
	err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')`).Scan(&available)
	if err != nil {
		return fmt.Errorf("timescaledb: check extension: %w", err)
	}
	if !available {
		return nil
	}
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS timescaledb`); err != nil {
		// Installed but not loadable here (not in shared_preload_libraries, or no
		// privilege): plain PostgreSQL still works.
		return nil
	}
	if err := s.timescaleTables(ctx, conn); err != nil {
		return err
	}
	if err := timescaleAggregates(ctx, conn); err != nil {
		return err
	}
	s.mode = ModeTimescale
	return nil
}

// Continuous aggregates refresh the last day (1m) and week (1d); raw ticks must
// outlive those windows or the newest bars would be refreshed from nothing.
const minTickRetention = 8 * 24 * time.Hour

func (s *Postgres) timescaleTables(ctx context.Context, conn *pgx.Conn) error {
	r := s.opts.Retention
	if r.Ticks > 0 && r.Ticks < minTickRetention {
		return fmt.Errorf("timescaledb: tick retention %s is shorter than the %s the bar aggregates refresh", r.Ticks, minTickRetention)
	}
	for _, h := range []hyper{
		// Every column of a table's primary key is a segment-by or order-by
		// column, so compressed chunks keep enforcing it (ON CONFLICT works).
		{"ticks", "symbol", "time, seq", r.Ticks},
		{"market_data", "symbol, interval_type", "time", r.Bars},
	} {
		if err := h.setup(ctx, conn, s.opts.compressAfter()); err != nil {
			return fmt.Errorf("timescaledb: %s: %w", h.table, err)
		}
	}
	return nil
}

type hyper struct {
	table, segmentBy, orderBy string
	retain                    time.Duration
}

func (h hyper) setup(ctx context.Context, conn *pgx.Conn, compressAfter time.Duration) error {
	table, retain := h.table, h.retain
	steps := []struct {
		sql  string
		args []any
	}{
		{`SELECT create_hypertable($1::text::regclass, 'time', if_not_exists => TRUE, migrate_data => TRUE)`, []any{table}},
		{`SELECT remove_compression_policy($1::text::regclass, if_exists => TRUE)`, []any{table}},
		{`SELECT remove_retention_policy($1::text::regclass, if_exists => TRUE)`, []any{table}},
	}
	for _, st := range steps {
		if _, err := conn.Exec(ctx, st.sql, st.args...); err != nil {
			return err
		}
	}
	var enabled bool
	err := conn.QueryRow(ctx, `SELECT compression_enabled FROM timescaledb_information.hypertables
		WHERE hypertable_schema = current_schema() AND hypertable_name = $1`, table).Scan(&enabled)
	if err != nil {
		return fmt.Errorf("read compression setting: %w", err)
	}
	if !enabled {
		// Identifiers cannot be parameters; these are constants.
		_, err := conn.Exec(ctx, `ALTER TABLE `+table+` SET (timescaledb.compress,
			timescaledb.compress_segmentby = '`+h.segmentBy+`', timescaledb.compress_orderby = '`+h.orderBy+`')`)
		if err != nil {
			return fmt.Errorf("enable compression: %w", err)
		}
	}
	if _, err := conn.Exec(ctx, `SELECT add_compression_policy($1::text::regclass, $2::text::interval)`, table, interval(compressAfter)); err != nil {
		return fmt.Errorf("compression policy: %w", err)
	}
	if retain > 0 {
		if _, err := conn.Exec(ctx, `SELECT add_retention_policy($1::text::regclass, $2::text::interval)`, table, interval(retain)); err != nil {
			return fmt.Errorf("retention policy: %w", err)
		}
	}
	return nil
}

// Bars from ticks. The day bucket is aligned to midnight KST like market.Day1.
var aggregates = []struct{ name, bucket, start, end, every string }{
	{"ticks_1m", `time_bucket(INTERVAL '1 minute', time)`, "1 day", "1 minute", "1 minute"},
	{"ticks_1d", `time_bucket(INTERVAL '1 day', time, 'Asia/Seoul')`, "7 days", "1 hour", "1 hour"},
}

func timescaleAggregates(ctx context.Context, conn *pgx.Conn) error {
	for _, a := range aggregates {
		view := `CREATE MATERIALIZED VIEW IF NOT EXISTS ` + a.name + ` WITH (timescaledb.continuous) AS
			SELECT ` + a.bucket + ` AS time, symbol,
				first(price, time) AS open, max(price) AS high, min(price) AS low,
				last(price, time) AS close, sum(volume) AS volume
			FROM ticks GROUP BY 1, 2 WITH NO DATA`
		if _, err := conn.Exec(ctx, view); err != nil {
			return fmt.Errorf("timescaledb: continuous aggregate %s: %w", a.name, err)
		}
		_, err := conn.Exec(ctx, `SELECT add_continuous_aggregate_policy($1::text::regclass,
			start_offset => $2::text::interval, end_offset => $3::text::interval,
			schedule_interval => $4::text::interval, if_not_exists => TRUE)`, a.name, a.start, a.end, a.every)
		if err != nil {
			return fmt.Errorf("timescaledb: refresh policy %s: %w", a.name, err)
		}
	}
	return nil
}

// interval formats d for a ::interval cast.
func interval(d time.Duration) string { return fmt.Sprintf("%d seconds", int64(d/time.Second)) }
