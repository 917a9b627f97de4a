package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/qbtrading/qb/lib/market"
)

// insertBatch runs one prepared statement n times in one transaction: one
// fsync for the whole batch, all or nothing.
func (s *SQLite) insertBatch(ctx context.Context, query string, n int, args func(i int) []any) error {
	if n == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, args(i)...); err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
	}
	return tx.Commit()
}

// WriteTicks stores ticks, skipping any already stored (same symbol, time and
// seq). All or none of the batch is written; an invalid tick fails it with a
// *market.FieldError before any I/O.
func (s *SQLite) WriteTicks(ctx context.Context, ticks []market.Tick) error {
	if err := checkTicks(ticks); err != nil {
		return fmt.Errorf("write ticks: %w", err)
	}
	err := s.insertBatch(ctx, `INSERT OR IGNORE INTO ticks (time, symbol, price, volume, bid, ask, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, len(ticks), func(i int) []any {
		t := &ticks[i]
		return []any{micros(t.Time), string(t.Symbol), t.Price, t.Volume, t.Bid, t.Ask, t.Seq}
	})
	if err != nil {
		return fmt.Errorf("write %d ticks: %w", len(ticks), err)
	}
	return nil
}

// WriteBars stores bars in market_data, skipping any already stored.
func (s *SQLite) WriteBars(ctx context.Context, bars []market.Bar) error {
	if err := checkBars(bars); err != nil {
		return fmt.Errorf("write bars: %w", err)
	}
	err := s.insertBatch(ctx, `INSERT OR IGNORE INTO market_data
		(time, symbol, interval_type, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		len(bars), func(i int) []any {
			b := &bars[i]
			return []any{micros(b.Start), string(b.Symbol), b.Timeframe.String(), b.Open, b.High, b.Low, b.Close, b.Volume}
		})
	if err != nil {
		return fmt.Errorf("write %d bars: %w", len(bars), err)
	}
	return nil
}

// WriteFills stores fills in trades, skipping any already stored (same order,
// time, quantity and price).
func (s *SQLite) WriteFills(ctx context.Context, fills []market.Fill) error {
	if err := checkFills(fills); err != nil {
		return fmt.Errorf("write fills: %w", err)
	}
	err := s.insertBatch(ctx, `INSERT OR IGNORE INTO trades
		(order_id, strategy, symbol, side, qty, price, fee, tax, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(fills), func(i int) []any {
			f := &fills[i]
			return []any{f.OrderID, f.Strategy, string(f.Symbol), f.Side.String(), f.Qty, f.Price, f.Fee, f.Tax, micros(f.Time)}
		})
	if err != nil {
		return fmt.Errorf("write %d fills: %w", len(fills), err)
	}
	return nil
}

// SaveFill stores one fill; storing the same fill again is a no-op.
func (s *SQLite) SaveFill(ctx context.Context, f market.Fill) error {
	if err := s.WriteFills(ctx, []market.Fill{f}); err != nil {
		return fmt.Errorf("save fill (order %d): %w", f.OrderID, err)
	}
	return nil
}

// SaveOrder inserts o, or updates the stored copy when the host has seen it
// before. Call it before the order goes to a broker and after every change.
func (s *SQLite) SaveOrder(ctx context.Context, o market.Order) error {
	if err := checkOrder(&o); err != nil {
		return fmt.Errorf("save order: %w", err)
	}
	var updated sql.NullInt64
	if !o.Updated.IsZero() {
		updated = sql.NullInt64{Int64: micros(o.Updated), Valid: true}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO orders
		(id, strategy, symbol, side, type, qty, price, status, filled_qty, reason, created, updated, sessions, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET qty = excluded.qty, price = excluded.price,
			status = excluded.status, filled_qty = excluded.filled_qty,
			reason = excluded.reason, updated = excluded.updated`,
		o.ID, o.Strategy, string(o.Symbol), o.Side.String(), o.Type.String(), o.Qty, o.Price,
		o.Status.String(), o.FilledQty, o.Reason, micros(o.Created), updated, o.Lifetime(), o.Seq)
	if err != nil {
		return fmt.Errorf("save order %d: %w", o.ID, err)
	}
	return nil
}

const sqliteNow = `CAST(unixepoch('subsec') * 1000000 AS INTEGER)`

// SavePosition stores the account's position in p.Symbol, replacing the
// previous one.
func (s *SQLite) SavePosition(ctx context.Context, account string, p market.Position) error {
	if err := checkPosition(account, &p); err != nil {
		return fmt.Errorf("save position: %w", err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO positions (account, symbol, qty, cost, realized, updated)
		VALUES (?, ?, ?, ?, ?, `+sqliteNow+`)
		ON CONFLICT (account, symbol) DO UPDATE SET qty = excluded.qty, cost = excluded.cost,
			realized = excluded.realized, updated = excluded.updated`,
		account, string(p.Symbol), p.Qty, p.Cost, p.Realized)
	if err != nil {
		return fmt.Errorf("save position %s/%s: %w", account, p.Symbol, err)
	}
	return nil
}

// SaveStrategyState stores the JSON a strategy handed over, byte for byte.
func (s *SQLite) SaveStrategyState(ctx context.Context, strategy string, state []byte) error {
	if err := checkState(strategy, state); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO strategy_state (strategy, state, updated)
		VALUES (?, ?, `+sqliteNow+`)
		ON CONFLICT (strategy) DO UPDATE SET state = excluded.state, updated = excluded.updated`,
		strategy, string(state))
	if err != nil {
		return fmt.Errorf("save state of %s: %w", strategy, err)
	}
	return nil
}
