package sqldb

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/qbtrading/qb/lib/market"
)

// pgSymbolFilter restricts a query to $1's symbols, when there are any. Two
// texts rather than one "all or these" condition, so that each gets its own
// plan: the (symbol, time) index for a few symbols, the time index for all.
func pgSymbolFilter(symbols []market.Symbol) string {
	if len(symbols) == 0 {
		return `cardinality($1::text[]) = 0 AND`
	}
	return `symbol = ANY($1::text[]) AND`
}

// Ticks yields the stored ticks of symbols (all symbols when empty) with
// from <= time < to, ordered by time, then symbol, then seq: the same order on
// every call, so a replay is deterministic. Stop early by breaking the loop.
func (s *Postgres) Ticks(ctx context.Context, symbols []market.Symbol, from, to time.Time) iter.Seq2[market.Tick, error] {
	return func(yield func(market.Tick, error) bool) {
		rows, err := s.pool.Query(ctx, `SELECT time, symbol, price, volume, bid, ask, seq FROM ticks
			WHERE `+pgSymbolFilter(symbols)+` time >= $2 AND time < $3
			ORDER BY time, symbol, seq`, symbolStrings(symbols), from, to)
		if err != nil {
			yield(market.Tick{}, fmt.Errorf("read ticks: %w", err))
			return
		}
		defer rows.Close()
		var t market.Tick
		var sym string
		for rows.Next() {
			if err := rows.Scan(&t.Time, &sym, &t.Price, &t.Volume, &t.Bid, &t.Ask, &t.Seq); err != nil {
				yield(market.Tick{}, fmt.Errorf("read ticks: %w", err))
				return
			}
			t.Time, t.Symbol = kst(t.Time), market.Symbol(sym)
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
func (s *Postgres) Bars(ctx context.Context, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) iter.Seq2[market.Bar, error] {
	return func(yield func(market.Bar, error) bool) {
		rows, err := s.pool.Query(ctx, `SELECT time, symbol, open, high, low, close, volume FROM market_data
			WHERE `+pgSymbolFilter(symbols)+` interval_type = $2 AND time >= $3 AND time < $4
			ORDER BY time, symbol`, symbolStrings(symbols), tf.String(), from, to)
		if err != nil {
			yield(market.Bar{}, fmt.Errorf("read bars: %w", err))
			return
		}
		defer rows.Close()
		b := market.Bar{Timeframe: tf}
		var sym string
		for rows.Next() {
			if err := rows.Scan(&b.Start, &sym, &b.Open, &b.High, &b.Low, &b.Close, &b.Volume); err != nil {
				yield(market.Bar{}, fmt.Errorf("read bars: %w", err))
				return
			}
			b.Start, b.Symbol = kst(b.Start), market.Symbol(sym)
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
func (s *Postgres) Fills(ctx context.Context, strategy string, from, to time.Time) ([]market.Fill, error) {
	rows, err := s.pool.Query(ctx, `SELECT order_id, strategy, symbol, side, qty, price, fee, tax, time FROM trades
		WHERE ($1 = '' OR strategy = $1) AND time >= $2 AND time < $3 ORDER BY time, id`, strategy, from, to)
	if err != nil {
		return nil, fmt.Errorf("read fills: %w", err)
	}
	var out []market.Fill
	var f market.Fill
	var sym, side string
	_, err = pgx.ForEachRow(rows, []any{&f.OrderID, &f.Strategy, &sym, &side, &f.Qty, &f.Price, &f.Fee, &f.Tax, &f.Time},
		func() error {
			var err error
			f.Symbol, f.Time = market.Symbol(sym), kst(f.Time)
			f.Side, err = market.ParseSide(side)
			out = append(out, f)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read fills: %w", err)
	}
	return out, nil
}

// Positions returns the account's positions by symbol.
func (s *Postgres) Positions(ctx context.Context, account string) ([]market.Position, error) {
	rows, err := s.pool.Query(ctx, `SELECT symbol, qty, cost, realized FROM positions
		WHERE account = $1 ORDER BY symbol`, account)
	if err != nil {
		return nil, fmt.Errorf("read positions of %s: %w", account, err)
	}
	var out []market.Position
	var p market.Position
	var sym string
	_, err = pgx.ForEachRow(rows, []any{&sym, &p.Qty, &p.Cost, &p.Realized}, func() error {
		p.Symbol = market.Symbol(sym)
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read positions of %s: %w", account, err)
	}
	return out, nil
}

// Accounts lists the accounts holding stored positions, sorted.
func (s *Postgres) Accounts(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT account FROM positions ORDER BY account`)
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	return out, nil
}
