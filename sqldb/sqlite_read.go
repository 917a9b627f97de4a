package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// symbolsJSON passes a symbol filter as one parameter for json_each; "[]" means all.
func symbolsJSON(syms []market.Symbol) string {
	b, _ := json.Marshal(symbolStrings(syms)) // []string always marshals
	return string(b)
}

// sqliteSymbolFilter restricts a query to the JSON array parameter's symbols,
// when there are any; two texts so that each gets its own plan.
func sqliteSymbolFilter(symbols []market.Symbol) string {
	if len(symbols) == 0 {
		return `? = '[]' AND`
	}
	return `symbol IN (SELECT value FROM json_each(?)) AND`
}

// Ticks yields the stored ticks of symbols (all when empty) with
// from <= time < to, ordered by time, then symbol, then seq.
func (s *SQLite) Ticks(ctx context.Context, symbols []market.Symbol, from, to time.Time) iter.Seq2[market.Tick, error] {
	return func(yield func(market.Tick, error) bool) {
		js := symbolsJSON(symbols)
		rows, err := s.db.QueryContext(ctx, `SELECT time, symbol, price, volume, bid, ask, seq FROM ticks
			WHERE `+sqliteSymbolFilter(symbols)+` time >= ? AND time < ?
			ORDER BY time, symbol, seq`, js, micros(from), micros(to))
		if err != nil {
			yield(market.Tick{}, fmt.Errorf("read ticks: %w", err))
			return
		}
		defer rows.Close()
		var t market.Tick
		var us int64
		var sym string
		for rows.Next() {
			if err := rows.Scan(&us, &sym, &t.Price, &t.Volume, &t.Bid, &t.Ask, &t.Seq); err != nil {
				yield(market.Tick{}, fmt.Errorf("read ticks: %w", err))
				return
			}
			t.Time, t.Symbol = fromMicros(us), market.Symbol(sym)
			if !yield(t, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(market.Tick{}, fmt.Errorf("read ticks: %w", err))
		}
	}
}

// Bars yields the stored bars of timeframe tf for symbols (all when empty)
// starting in [from, to), ordered by start, then symbol.
func (s *SQLite) Bars(ctx context.Context, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) iter.Seq2[market.Bar, error] {
	return func(yield func(market.Bar, error) bool) {
		js := symbolsJSON(symbols)
		rows, err := s.db.QueryContext(ctx, `SELECT time, symbol, open, high, low, close, volume FROM market_data
			WHERE `+sqliteSymbolFilter(symbols)+` interval_type = ? AND time >= ? AND time < ?
			ORDER BY time, symbol`, js, tf.String(), micros(from), micros(to))
		if err != nil {
			yield(market.Bar{}, fmt.Errorf("read bars: %w", err))
			return
		}
		defer rows.Close()
		b := market.Bar{Timeframe: tf}
		var us int64
		var sym string
		for rows.Next() {
			if err := rows.Scan(&us, &sym, &b.Open, &b.High, &b.Low, &b.Close, &b.Volume); err != nil {
				yield(market.Bar{}, fmt.Errorf("read bars: %w", err))
				return
			}
			b.Start, b.Symbol = fromMicros(us), market.Symbol(sym)
			if !yield(b, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(market.Bar{}, fmt.Errorf("read bars: %w", err))
		}
	}
}

// Fills returns the strategy's fills (every strategy's when empty) with
// from <= time < to, in time order.
func (s *SQLite) Fills(ctx context.Context, strategy string, from, to time.Time) ([]market.Fill, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT order_id, strategy, symbol, side, qty, price, fee, tax, time
		FROM trades WHERE (? = '' OR strategy = ?) AND time >= ? AND time < ? ORDER BY time, id`,
		strategy, strategy, micros(from), micros(to))
	if err != nil {
		return nil, fmt.Errorf("read fills: %w", err)
	}
	defer rows.Close()
	var out []market.Fill
	for rows.Next() {
		var f market.Fill
		var sym, side string
		var us int64
		if err := rows.Scan(&f.OrderID, &f.Strategy, &sym, &side, &f.Qty, &f.Price, &f.Fee, &f.Tax, &us); err != nil {
			return nil, fmt.Errorf("read fills: %w", err)
		}
		if f.Side, err = market.ParseSide(side); err != nil {
			return nil, fmt.Errorf("read fills: %w", err)
		}
		f.Symbol, f.Time = market.Symbol(sym), fromMicros(us)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read fills: %w", err)
	}
	return out, nil
}

// OpenOrders returns the orders not yet final (new, accepted, partially
// filled) by id.
func (s *SQLite) OpenOrders(ctx context.Context) ([]market.Order, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+orderCols+` FROM orders
		WHERE status IN ('new', 'accepted', 'partially_filled') ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("open orders: %w", err)
	}
	defer rows.Close()
	var out []market.Order
	for rows.Next() {
		var r orderRow
		var created int64
		var updated sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Strategy, &r.Symbol, &r.Side, &r.Type, &r.Qty, &r.Price,
			&r.Status, &r.FilledQty, &r.Reason, &created, &updated, &r.Sessions, &r.Seq); err != nil {
			return nil, fmt.Errorf("open orders: %w", err)
		}
		r.Created = fromMicros(created)
		if updated.Valid {
			u := fromMicros(updated.Int64)
			r.Updated = &u
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

// MaxOrderID returns the highest order id stored (0 when none).
func (s *SQLite) MaxOrderID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM orders`).Scan(&id); err != nil {
		return 0, fmt.Errorf("max order id: %w", err)
	}
	return id, nil
}

// MaxOrderSeqs returns each strategy's highest order number (Seq) stored.
func (s *SQLite) MaxOrderSeqs(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, maxSeqsQuery)
	if err != nil {
		return nil, fmt.Errorf("max order seqs: %w", err)
	}
	defer rows.Close()
	return scanMaxSeqs(rows)
}

// Positions returns the account's positions by symbol.
func (s *SQLite) Positions(ctx context.Context, account string) ([]market.Position, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT symbol, qty, cost, realized FROM positions
		WHERE account = ? ORDER BY symbol`, account)
	if err != nil {
		return nil, fmt.Errorf("read positions of %s: %w", account, err)
	}
	defer rows.Close()
	var out []market.Position
	for rows.Next() {
		var p market.Position
		var sym string
		if err := rows.Scan(&sym, &p.Qty, &p.Cost, &p.Realized); err != nil {
			return nil, fmt.Errorf("read positions of %s: %w", account, err)
		}
		p.Symbol = market.Symbol(sym)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read positions of %s: %w", account, err)
	}
	return out, nil
}

// Accounts lists the accounts holding stored positions, sorted.
func (s *SQLite) Accounts(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT account FROM positions ORDER BY account`)
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("read accounts: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	return out, nil
}

// LoadStrategyState returns the state last saved for strategy; ok is false
// when there is none.
func (s *SQLite) LoadStrategyState(ctx context.Context, strategy string) (state []byte, ok bool, err error) {
	var text string
	err = s.db.QueryRowContext(ctx, `SELECT state FROM strategy_state WHERE strategy = ?`, strategy).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load state of %s: %w", strategy, err)
	}
	return []byte(text), true, nil
}
