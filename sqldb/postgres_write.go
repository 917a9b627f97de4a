package sqldb

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/qbtrading/qb/lib/market"
)

// Staging tables for idempotent bulk writes of batches that hold rows already
// stored: COPY (fast, but fails on a duplicate) lands here, then one
// INSERT … ON CONFLICT DO NOTHING moves the rows. They are per connection (created when the pool connects) and emptied
// at every commit.
const pgStaging = `
CREATE TEMP TABLE IF NOT EXISTS ticks_in (
	time timestamptz, symbol text, price bigint, volume bigint, bid bigint, ask bigint, seq bigint
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS bars_in (
	time timestamptz, symbol text, interval_type text,
	open bigint, high bigint, low bigint, close bigint, volume bigint
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS trades_in (
	order_id bigint, strategy text, symbol text, side text,
	qty bigint, price bigint, fee bigint, tax bigint, time timestamptz
) ON COMMIT DELETE ROWS`

var (
	tickCols  = []string{"time", "symbol", "price", "volume", "bid", "ask", "seq"}
	barCols   = []string{"time", "symbol", "interval_type", "open", "high", "low", "close", "volume"}
	tradeCols = []string{"order_id", "strategy", "symbol", "side", "qty", "price", "fee", "tax", "time"}
)

// tickSource feeds ticks to COPY. Values hands pgx pointers into the slice,
// which box without allocating, and reuses one values array for every row.
type tickSource struct {
	ticks []market.Tick
	i     int
	vals  [7]any
}

func tickRows(ticks []market.Tick) pgx.CopyFromSource { return &tickSource{ticks: ticks} }

// Next advances to the next tick.
func (s *tickSource) Next() bool { s.i++; return s.i <= len(s.ticks) }

// Err reports nothing: a slice cannot fail.
func (s *tickSource) Err() error { return nil }

// Values returns the current tick's columns.
func (s *tickSource) Values() ([]any, error) {
	t := &s.ticks[s.i-1]
	s.vals = [7]any{&t.Time, (*string)(&t.Symbol), &t.Price, &t.Volume, &t.Bid, &t.Ask, &t.Seq}
	return s.vals[:], nil
}

func barRows(bars []market.Bar) pgx.CopyFromSource {
	return pgx.CopyFromSlice(len(bars), func(i int) ([]any, error) {
		b := &bars[i]
		return []any{b.Start, string(b.Symbol), b.Timeframe.String(), b.Open, b.High, b.Low, b.Close, b.Volume}, nil
	})
}

func tradeRows(fills []market.Fill) pgx.CopyFromSource {
	return pgx.CopyFromSlice(len(fills), func(i int) ([]any, error) {
		f := &fills[i]
		return []any{f.OrderID, f.Strategy, string(f.Symbol), f.Side.String(), f.Qty, f.Price, f.Fee, f.Tax, f.Time}, nil
	})
}

// WriteTicks stores ticks, skipping any already stored (same symbol, time and
// seq), so a batch may be retried after any error. All or none of the batch is
// written; an invalid tick fails it with a *market.FieldError before any I/O.
func (s *Postgres) WriteTicks(ctx context.Context, ticks []market.Tick) error {
	if err := checkTicks(ticks); err != nil {
		return fmt.Errorf("write ticks: %w", err)
	}
	if err := s.stageAndMerge(ctx, "ticks", tickCols, func() pgx.CopyFromSource { return tickRows(ticks) }, len(ticks)); err != nil {
		return fmt.Errorf("write %d ticks: %w", len(ticks), err)
	}
	return nil
}

// WriteBars stores bars in market_data, skipping any already stored (same
// start, symbol and timeframe).
func (s *Postgres) WriteBars(ctx context.Context, bars []market.Bar) error {
	if err := checkBars(bars); err != nil {
		return fmt.Errorf("write bars: %w", err)
	}
	if err := s.stageAndMerge(ctx, "market_data", barCols, func() pgx.CopyFromSource { return barRows(bars) }, len(bars)); err != nil {
		return fmt.Errorf("write %d bars: %w", len(bars), err)
	}
	return nil
}

// WriteFills stores fills in trades, skipping any already stored (same order,
// time, quantity and price).
func (s *Postgres) WriteFills(ctx context.Context, fills []market.Fill) error {
	if err := checkFills(fills); err != nil {
		return fmt.Errorf("write fills: %w", err)
	}
	if err := s.stageAndMerge(ctx, "trades", tradeCols, func() pgx.CopyFromSource { return tradeRows(fills) }, len(fills)); err != nil {
		return fmt.Errorf("write %d fills: %w", len(fills), err)
	}
	return nil
}

const uniqueViolation = "23505" // SQLSTATE unique_violation

var staging = map[string]string{"ticks": "ticks_in", "market_data": "bars_in", "trades": "trades_in"}

// stageAndMerge writes rows idempotently in one transaction. New rows (the
// usual case) go straight in with COPY inside a savepoint; only when that hits
// a row already stored (a retry, a replay, a re-import) is the savepoint
// rolled back and the batch sent the slow way: COPY into the staging table,
// then INSERT … ON CONFLICT DO NOTHING.
func (s *Postgres) stageAndMerge(ctx context.Context, table string, cols []string, src func() pgx.CopyFromSource, n int) error {
	if n == 0 {
		return nil
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
			_, err := sp.CopyFrom(ctx, pgx.Identifier{table}, cols, src())
			return err
		})
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != uniqueViolation {
			return err
		}
		stage := staging[table]
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols, src()); err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO `+table+` (`+columnList(cols)+`) SELECT `+columnList(cols)+
			` FROM `+stage+` ON CONFLICT DO NOTHING`)
		return err
	})
}

func columnList(cols []string) string {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(quoted, ", ")
}

// CopyTicks appends ticks with a plain COPY: the fastest path, for loading
// data known to be new (an import into an empty range). A tick already stored
// fails the whole batch with a unique violation; use WriteTicks to skip those.
func (s *Postgres) CopyTicks(ctx context.Context, ticks []market.Tick) (int64, error) {
	n, err := s.pool.CopyFrom(ctx, pgx.Identifier{"ticks"}, tickCols, tickRows(ticks))
	if err != nil {
		return n, fmt.Errorf("copy %d ticks: %w", len(ticks), err)
	}
	return n, nil
}

// CopyBars is CopyTicks for bars.
func (s *Postgres) CopyBars(ctx context.Context, bars []market.Bar) (int64, error) {
	n, err := s.pool.CopyFrom(ctx, pgx.Identifier{"market_data"}, barCols, barRows(bars))
	if err != nil {
		return n, fmt.Errorf("copy %d bars: %w", len(bars), err)
	}
	return n, nil
}
