package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LogEvent appends one row to system_logs.
func (s *Postgres) LogEvent(ctx context.Context, e Event) error {
	return s.LogEvents(ctx, []Event{e})
}

// LogEvents appends events to system_logs in one round trip. Text that
// PostgreSQL would refuse (invalid UTF-8, NUL, details that are not JSON) is
// cleaned rather than failing the batch. Events have no
// natural key, so a retried batch can repeat rows; they are a log, not state.
func (s *Postgres) LogEvents(ctx context.Context, events []Event) error {
	_, err := s.pool.CopyFrom(ctx, pgx.Identifier{"system_logs"},
		[]string{"time", "component", "level", "message", "details"},
		pgx.CopyFromSlice(len(events), func(i int) ([]any, error) {
			e := &events[i]
			return []any{e.Time, cleanText(e.Component), cleanText(e.Level), cleanText(e.Message), cleanDetails(e.Details)}, nil
		}))
	if err != nil {
		return fmt.Errorf("log %d events: %w", len(events), err)
	}
	return nil
}

// SavePerformance stores a strategy's statistics for one day, replacing any
// earlier figures for that day.
func (s *Postgres) SavePerformance(ctx context.Context, p Performance) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO strategy_performance
		(strategy, day, daily_return, win_rate, sharpe, max_drawdown) VALUES ($1, $2::date, $3, $4, $5, $6)
		ON CONFLICT (strategy, day) DO UPDATE SET daily_return = EXCLUDED.daily_return,
			win_rate = EXCLUDED.win_rate, sharpe = EXCLUDED.sharpe, max_drawdown = EXCLUDED.max_drawdown`,
		p.Strategy, dayString(p.Day), p.Return, p.WinRate, p.Sharpe, p.MaxDrawdown)
	if err != nil {
		return fmt.Errorf("save performance of %s: %w", p.Strategy, err)
	}
	return nil
}

// SaveStock stores or replaces a row of stock_metadata.
func (s *Postgres) SaveStock(ctx context.Context, st Stock) error {
	var listed *string // NULL when unknown
	if !st.Listed.IsZero() {
		d := dayString(st.Listed)
		listed = &d
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO stock_metadata (code, name, market, sector, listed_shares, listed)
		VALUES ($1, $2, $3, $4, $5, $6::date)
		ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, market = EXCLUDED.market,
			sector = EXCLUDED.sector, listed_shares = EXCLUDED.listed_shares, listed = EXCLUDED.listed`,
		string(st.Code), st.Name, st.Market, st.Sector, st.ListedShares, listed)
	if err != nil {
		return fmt.Errorf("save stock %s: %w", st.Code, err)
	}
	return nil
}

// Stocks returns every row of stock_metadata, ordered by code.
func (s *Postgres) Stocks(ctx context.Context) ([]Stock, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, name, market, sector, listed_shares, coalesce(listed::text, '')
		FROM stock_metadata ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("read stocks: %w", err)
	}
	defer rows.Close()
	return scanStocks(rows)
}

// SaveRisk stores or replaces the risk figures at r.Time.
func (s *Postgres) SaveRisk(ctx context.Context, r RiskPoint) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO risk_metrics (time, portfolio_value, var_95, max_drawdown)
		VALUES ($1, $2, $3, $4) ON CONFLICT (time) DO UPDATE SET portfolio_value = EXCLUDED.portfolio_value,
			var_95 = EXCLUDED.var_95, max_drawdown = EXCLUDED.max_drawdown`,
		r.Time, r.PortfolioValue, r.VaR95, r.MaxDrawdown)
	if err != nil {
		return fmt.Errorf("save risk at %s: %w", r.Time.Format(time.RFC3339), err)
	}
	return nil
}

// Prune deletes ticks and bars older than the configured retention and returns
// how many rows went. With TimescaleDB the retention policies do this and
// Prune does nothing; the host may call it periodically in every mode.
func (s *Postgres) Prune(ctx context.Context, now time.Time) (int64, error) {
	if s.mode == ModeTimescale {
		return 0, nil
	}
	var total int64
	for _, t := range []struct {
		table  string
		retain time.Duration
	}{{"ticks", s.opts.Retention.Ticks}, {"market_data", s.opts.Retention.Bars}} {
		if t.retain <= 0 {
			continue
		}
		tag, err := s.pool.Exec(ctx, `DELETE FROM `+t.table+` WHERE time < $1`, now.Add(-t.retain))
		if err != nil {
			return total, fmt.Errorf("prune %s: %w", t.table, err)
		}
		total += tag.RowsAffected()
	}
	return total, nil
}
