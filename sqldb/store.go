package sqldb

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// Mode says which storage engine a store runs on; the caller logs it once at start.
type Mode string

// Storage modes.
const (
	ModeTimescale Mode = "timescaledb" // PostgreSQL with hypertables, compression and retention policies
	ModePostgres  Mode = "postgres"    // plain PostgreSQL; retention by Prune
	ModeSQLite    Mode = "sqlite"      // embedded file; retention by Prune
)

// Event is one row of system_logs: a structured event from a component.
type Event struct {
	Time      time.Time
	Component string // "engine", "feed", "recorder", ...
	Level     string // "debug", "info", "warn", "error"
	Message   string
	Details   json.RawMessage // a JSON value, or nil
}

// Performance is one strategy's statistics for one trading day.
type Performance struct {
	Strategy    string
	Day         time.Time // the KST date; the clock part is ignored
	Return      float64   // daily return, 0.01 = 1%
	WinRate     float64
	Sharpe      float64
	MaxDrawdown float64 // fraction of the peak, 0.1 = 10%
}

// Stock is one row of stock_metadata.
type Stock struct {
	Code         market.Symbol
	Name         string
	Market       string // KOSPI, KOSDAQ, ...
	Sector       string
	ListedShares int64
	Listed       time.Time // the KST day first listed on KRX; zero when unknown
}

// RiskPoint is one row of risk_metrics.
type RiskPoint struct {
	Time           time.Time
	PortfolioValue int64   // won
	VaR95          float64 // one-day 95% value at risk, won
	MaxDrawdown    float64 // fraction of the peak
}

// Store is the method set both the PostgreSQL and the SQLite store provide.
// The host declares the few methods it needs as its own small interfaces;
// this one exists for cmd, which picks a store from a URL with Open.
type Store interface {
	Mode() Mode
	Close()
	MigrationStatus(ctx context.Context) ([]MigrationStatus, error)

	// Market data; idempotent: a row already stored is skipped.
	WriteTicks(ctx context.Context, ticks []market.Tick) error
	WriteBars(ctx context.Context, bars []market.Bar) error
	Ticks(ctx context.Context, symbols []market.Symbol, from, to time.Time) iter.Seq2[market.Tick, error]
	Bars(ctx context.Context, symbols []market.Symbol, tf market.Timeframe, from, to time.Time) iter.Seq2[market.Bar, error]
	Prune(ctx context.Context, now time.Time) (int64, error)

	// Trading state, written synchronously before the host acts on it.
	SaveOrder(ctx context.Context, o market.Order) error
	SaveFill(ctx context.Context, f market.Fill) error
	SavePosition(ctx context.Context, account string, p market.Position) error
	SaveStrategyState(ctx context.Context, strategy string, state []byte) error
	OpenOrders(ctx context.Context) ([]market.Order, error)
	MaxOrderID(ctx context.Context) (int64, error)
	MaxOrderSeqs(ctx context.Context) (map[string]int64, error)
	Fills(ctx context.Context, strategy string, from, to time.Time) ([]market.Fill, error)
	Positions(ctx context.Context, account string) ([]market.Position, error)
	Accounts(ctx context.Context) ([]string, error)
	LoadStrategyState(ctx context.Context, strategy string) ([]byte, bool, error)

	// Reporting tables.
	LogEvent(ctx context.Context, e Event) error
	LogEvents(ctx context.Context, events []Event) error
	SavePerformance(ctx context.Context, p Performance) error
	SaveStock(ctx context.Context, s Stock) error
	Stocks(ctx context.Context) ([]Stock, error) // every row of stock_metadata, by code
	SaveRisk(ctx context.Context, r RiskPoint) error
}

// Retention says how long market data is kept. Zero keeps it forever.
type Retention struct {
	Ticks time.Duration
	Bars  time.Duration
}

// Options configure a store. The zero value is usable.
type Options struct {
	Retention Retention
	// CompressAfter is the age at which TimescaleDB compresses chunks of
	// ticks and market_data (default 7 days). Ignored without TimescaleDB.
	CompressAfter time.Duration
	// NoTimescale skips trying to create the timescaledb extension.
	NoTimescale bool
}

func (o Options) compressAfter() time.Duration {
	if o.CompressAfter <= 0 {
		return 7 * 24 * time.Hour
	}
	return o.CompressAfter
}
