package sqldb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/qbtrading/qb/lib/market"
)

// SaveOrder inserts o, or updates the stored copy (status, fills, reason,
// price) when the host has seen it before. Call it before the order goes to a
// broker and after every state change.
func (s *Postgres) SaveOrder(ctx context.Context, o market.Order) error {
	if err := checkOrder(&o); err != nil {
		return fmt.Errorf("save order: %w", err)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO orders
		(id, strategy, symbol, side, type, qty, price, status, filled_qty, reason, created, updated, sessions, seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET qty = EXCLUDED.qty, price = EXCLUDED.price,
			status = EXCLUDED.status, filled_qty = EXCLUDED.filled_qty,
			reason = EXCLUDED.reason, updated = EXCLUDED.updated`,
		o.ID, o.Strategy, string(o.Symbol), o.Side.String(), o.Type.String(), o.Qty, o.Price,
		o.Status.String(), o.FilledQty, o.Reason, o.Created, nullTime(o.Updated), o.Lifetime(), o.Seq)
	if err != nil {
		return fmt.Errorf("save order %d: %w", o.ID, err)
	}
	return nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// SaveFill stores one fill; storing the same fill again is a no-op.
func (s *Postgres) SaveFill(ctx context.Context, f market.Fill) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("save fill (order %d): %w", f.OrderID, err)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO trades (order_id, strategy, symbol, side, qty, price, fee, tax, time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
		f.OrderID, f.Strategy, string(f.Symbol), f.Side.String(), f.Qty, f.Price, f.Fee, f.Tax, f.Time)
	if err != nil {
		return fmt.Errorf("save fill (order %d): %w", f.OrderID, err)
	}
	return nil
}

// SavePosition stores the account's position in p.Symbol, replacing the
// previous one.
func (s *Postgres) SavePosition(ctx context.Context, account string, p market.Position) error {
	if err := checkPosition(account, &p); err != nil {
		return fmt.Errorf("save position: %w", err)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO positions (account, symbol, qty, cost, realized, updated)
		VALUES ($1, $2, $3, $4, $5, now())
		ON CONFLICT (account, symbol) DO UPDATE SET qty = EXCLUDED.qty, cost = EXCLUDED.cost,
			realized = EXCLUDED.realized, updated = EXCLUDED.updated`,
		account, string(p.Symbol), p.Qty, p.Cost, p.Realized)
	if err != nil {
		return fmt.Errorf("save position %s/%s: %w", account, p.Symbol, err)
	}
	return nil
}

// SaveStrategyState stores the JSON a strategy handed over, byte for byte.
func (s *Postgres) SaveStrategyState(ctx context.Context, strategy string, state []byte) error {
	if err := checkState(strategy, state); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO strategy_state (strategy, state, updated) VALUES ($1, $2::text::json, now())
		ON CONFLICT (strategy) DO UPDATE SET state = EXCLUDED.state, updated = EXCLUDED.updated`,
		strategy, string(state))
	if err != nil {
		return fmt.Errorf("save state of %s: %w", strategy, err)
	}
	return nil
}

// LoadStrategyState returns the state last saved for strategy; ok is false
// when there is none.
func (s *Postgres) LoadStrategyState(ctx context.Context, strategy string) (state []byte, ok bool, err error) {
	var text string
	err = s.pool.QueryRow(ctx, `SELECT state::text FROM strategy_state WHERE strategy = $1`, strategy).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load state of %s: %w", strategy, err)
	}
	return []byte(text), true, nil
}

const orderCols = `id, strategy, symbol, side, type, qty, price, status, filled_qty, reason, created, updated, sessions, seq`

// OpenOrders returns the orders not yet final (new, accepted, partially
// filled) by id. After a crash a "new" order may or may not have reached the
// broker: the host asks the broker before resending it.
func (s *Postgres) OpenOrders(ctx context.Context) ([]market.Order, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+orderCols+` FROM orders
		WHERE status IN ('new', 'accepted', 'partially_filled') ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("open orders: %w", err)
	}
	defer rows.Close()
	var out []market.Order
	for rows.Next() {
		var r orderRow
		if err := rows.Scan(&r.ID, &r.Strategy, &r.Symbol, &r.Side, &r.Type, &r.Qty, &r.Price,
			&r.Status, &r.FilledQty, &r.Reason, &r.Created, &r.Updated, &r.Sessions, &r.Seq); err != nil {
			return nil, fmt.Errorf("open orders: %w", err)
		}
		o, err := r.order(kst)
		if err != nil {
			return nil, fmt.Errorf("open orders: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open orders: %w", err)
	}
	return out, nil
}

// MaxOrderID returns the highest order id stored (0 when none), so a
// restarted host numbers new orders after it.
func (s *Postgres) MaxOrderID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM orders`).Scan(&id); err != nil {
		return 0, fmt.Errorf("max order id: %w", err)
	}
	return id, nil
}

// MaxOrderSeqs returns each strategy's highest order number (Seq) stored,
// so a restarted strategy numbers its new orders after it.
func (s *Postgres) MaxOrderSeqs(ctx context.Context) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, maxSeqsQuery)
	if err != nil {
		return nil, fmt.Errorf("max order seqs: %w", err)
	}
	defer rows.Close()
	return scanMaxSeqs(rows)
}
