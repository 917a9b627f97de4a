package stats

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// TradingDays is the number of KRX trading days in a year that Sharpe and
// Sortino annualise by (×√252) and that divides the annual risk-free rate.
const TradingDays = 252

// Point is the account's equity (cash plus positions at the last price, in
// won) at one instant.
type Point struct {
	Time   time.Time
	Equity int64
}

// Options changes how Compute annualises.
type Options struct {
	// RiskFree is the annual risk-free rate as a fraction (0.035 is 3.5 %).
	// Sharpe and Sortino subtract RiskFree / TradingDays from each daily
	// return. The zero value means a risk-free rate of 0.
	RiskFree float64
}

// Report holds the statistics of one equity series and its fills. The
// package comment defines each figure and its degenerate cases.
type Report struct {
	StartEquity int64 `json:"start_equity"` // first point's equity, won
	EndEquity   int64 `json:"end_equity"`   // last point's equity, won

	TotalReturn float64 `json:"total_return"`
	CAGR        float64 `json:"cagr"`

	MaxDrawdown         float64       `json:"max_drawdown"`             // positive fraction of the peak
	MaxDrawdownDuration time.Duration `json:"max_drawdown_duration_ns"` // peak to recovery, or to the end

	Days    int     `json:"days"` // daily returns behind Sharpe and Sortino
	Sharpe  float64 `json:"sharpe"`
	Sortino float64 `json:"sortino"`

	RoundTrips   int     `json:"round_trips"`
	Wins         int     `json:"wins"`
	Losses       int     `json:"losses"`
	WinRate      float64 `json:"win_rate"`
	ProfitFactor float64 `json:"profit_factor"`
	GrossProfit  int64   `json:"gross_profit"` // sum of winning trips' P&L, won
	GrossLoss    int64   `json:"gross_loss"`   // sum of losing trips' P&L, won, ≤ 0
	AvgWin       float64 `json:"avg_win"`      // won per winning trip
	AvgLoss      float64 `json:"avg_loss"`     // won per losing trip, ≤ 0
	OpenTrips    int     `json:"open_trips"`   // symbols still held after the last fill

	Exposure float64 `json:"exposure"`

	Fills int   `json:"fills"` // fills counted (invalid ones skipped)
	Fees  int64 `json:"fees"`  // won, over the counted fills
	Taxes int64 `json:"taxes"` // won, over the counted fills
}

// Compute returns the statistics of equity and fills with a risk-free rate
// of 0. See the package comment for the definitions.
func Compute(equity []Point, fills []market.Fill) Report {
	return Options{}.Compute(equity, fills)
}

// Compute returns the statistics of equity and fills under o.
func (o Options) Compute(equity []Point, fills []market.Fill) Report {
	var r Report
	if len(equity) > 0 {
		first, last := equity[0], equity[len(equity)-1]
		r.StartEquity, r.EndEquity = first.Equity, last.Equity
		r.TotalReturn = totalReturn(first.Equity, last.Equity)
		r.CAGR = cagr(first, last)
		r.MaxDrawdown, r.MaxDrawdownDuration = maxDrawdown(equity)
		rets := dailyReturns(equity)
		r.Days = len(rets)
		r.Sharpe, r.Sortino = sharpeSortino(rets, o.RiskFree/TradingDays)
	}
	t := walkFills(fills, window(equity))
	t.fill(&r)
	return r
}
