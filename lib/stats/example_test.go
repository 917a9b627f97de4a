package stats_test

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/stats"
)

// One round trip over three days: bought 10 shares at 10,000 won, sold at
// 11,000, 1,000 won of fees and taxes in all: a trip P&L of 9,000 won. It
// was held 52 of the 54 hours between the first and last equity points.
func ExampleCompute() {
	day := func(d, h int) time.Time { return time.Date(2024, time.January, d, h, 0, 0, 0, market.Seoul) }
	equity := []stats.Point{
		{Time: day(2, 9), Equity: 1_000_000},
		{Time: day(2, 15), Equity: 999_500},   // bought; the fee is spent
		{Time: day(3, 15), Equity: 1_004_500}, // marked at 10,500
		{Time: day(4, 15), Equity: 1_009_000}, // sold at 11,000
	}
	fills := []market.Fill{
		{Symbol: "005930", Side: market.Buy, Qty: 10, Price: 10_000, Fee: 500, Time: day(2, 10)},
		{Symbol: "005930", Side: market.Sell, Qty: 10, Price: 11_000, Fee: 300, Tax: 200, Time: day(4, 14)},
	}
	if err := stats.Validate(equity, fills); err != nil {
		fmt.Println(err)
		return
	}
	r := stats.Compute(equity, fills)
	fmt.Printf("return %.4f, drawdown %.4f, trips %d, win rate %.2f, avg win %.0f won\n",
		r.TotalReturn, r.MaxDrawdown, r.RoundTrips, r.WinRate, r.AvgWin)
	fmt.Printf("exposure %.4f, fees %d, taxes %d\n", r.Exposure, r.Fees, r.Taxes)
	// Output:
	// return 0.0090, drawdown 0.0005, trips 1, win rate 1.00, avg win 9000 won
	// exposure 0.9630, fees 800, taxes 200
}
