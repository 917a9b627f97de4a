package sqldb

import (
	"context"
	"fmt"
	"time"
)

// LogEvent appends one row to system_logs.
func (s *SQLite) LogEvent(ctx context.Context, e Event) error {
	return s.LogEvents(ctx, []Event{e})
}

// LogEvents appends events to system_logs in one transaction.
func (s *SQLite) LogEvents(ctx context.Context, events []Event) error {
	err := s.insertBatch(ctx, `INSERT INTO system_logs (time, component, level, message, details)
		VALUES (?, ?, ?, ?, ?)`, len(events), func(i int) []any {
		e := &events[i]
		return []any{micros(e.Time), cleanText(e.Component), cleanText(e.Level), cleanText(e.Message), cleanDetails(e.Details)}
	})
	if err != nil {
		return fmt.Errorf("log %d events: %w", len(events), err)
	}
	return nil
}

// SavePerformance stores a strategy's statistics for one day, replacing any
// earlier figures for that day.
func (s *SQLite) SavePerformance(ctx context.Context, p Performance) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO strategy_performance
		(strategy, day, daily_return, win_rate, sharpe, max_drawdown) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (strategy, day) DO UPDATE SET daily_return = excluded.daily_return,
			win_rate = excluded.win_rate, sharpe = excluded.sharpe, max_drawdown = excluded.max_drawdown`,
		p.Strategy, dayString(p.Day), p.Return, p.WinRate, p.Sharpe, p.MaxDrawdown)
	if err != nil {
		return fmt.Errorf("save performance of %s: %w", p.Strategy, err)
	}
	return nil
}

// SaveStock stores or replaces a row of stock_metadata.
func (s *SQLite) SaveStock(ctx context.Context, st Stock) error {
	listed := ""
	if !st.Listed.IsZero() {
		listed = dayString(st.Listed)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO stock_metadata (code, name, market, sector, listed_shares, listed)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, market = excluded.market,
			sector = excluded.sector, listed_shares = excluded.listed_shares, listed = excluded.listed`,
		string(st.Code), st.Name, st.Market, st.Sector, st.ListedShares, listed)
	if err != nil {
		return fmt.Errorf("save stock %s: %w", st.Code, err)
	}
	return nil
}

// Stocks returns every row of stock_metadata, ordered by code.
func (s *SQLite) Stocks(ctx context.Context) ([]Stock, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, market, sector, listed_shares, listed
		FROM stock_metadata ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("read stocks: %w", err)
	}
	defer rows.Close()
	return scanStocks(rows)
}

// SaveRisk stores or replaces the risk figures at r.Time.
func (s *SQLite) SaveRisk(ctx context.Context, r RiskPoint) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO risk_metrics (time, portfolio_value, var_95, max_drawdown)
		VALUES (?, ?, ?, ?) ON CONFLICT (time) DO UPDATE SET portfolio_value = excluded.portfolio_value,
			var_95 = excluded.var_95, max_drawdown = excluded.max_drawdown`,
		micros(r.Time), r.PortfolioValue, r.VaR95, r.MaxDrawdown)
	if err != nil {
		return fmt.Errorf("save risk at %s: %w", r.Time.Format(time.RFC3339), err)
	}
	return nil
}

// Prune deletes ticks and bars older than the configured retention and returns
// how many rows went. The host calls it periodically.
func (s *SQLite) Prune(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, t := range []struct {
		table  string
		retain time.Duration
	}{{"ticks", s.opts.Retention.Ticks}, {"market_data", s.opts.Retention.Bars}} {
		if t.retain <= 0 {
			continue
		}
		res, err := s.db.ExecContext(ctx, `DELETE FROM `+t.table+` WHERE time < ?`, micros(now.Add(-t.retain)))
		if err != nil {
			return total, fmt.Errorf("prune %s: %w", t.table, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
