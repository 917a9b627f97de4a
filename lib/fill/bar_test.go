package fill

import (
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// barPoint is a print made from a daily bar with range low..high; open
// marks the bar's first price.
func barPoint(at time.Duration, price, low, high int64, open bool) step {
	s := prt(at, price, 1000)
	s.tick.From = market.BarPoint{Frame: market.Day1, Low: low, High: high, Open: open}
	return s
}

// On ticks made from a bar, no fill is priced outside the bar, and the
// bar's open acts as the opening auction. Prices are worked by hand: the
// KRX tick below 50,000 won is 50 won, 100 won from 50,000 to 200,000.
func TestBarFills(t *testing.T) {
	cfg := Config{SlippageTicks: 1}
	tests := []struct {
		name  string
		steps []step
		want  []fl
	}{
		{"market buy: open plus a tick", []step{
			mkt(1, market.Buy, 10, 0), barPoint(time.Minute, 70_000, 69_000, 71_000, true)},
			[]fl{{1, 10, 70_100, 0, 0}}},
		{"market buy at the day's high: no slippage past it", []step{
			mkt(1, market.Buy, 10, 0), barPoint(time.Minute, 71_000, 69_000, 71_000, true)},
			[]fl{{1, 10, 71_000, 0, 0}}},
		{"market sell at the day's low: no slippage past it", []step{
			mkt(1, market.Sell, 10, 0), barPoint(time.Minute, 49_950, 49_950, 52_000, true)},
			[]fl{{1, 10, 49_950, 0, 0}}},
		{"limit buy the open gaps through: fills at the open", []step{
			lmt(1, market.Buy, 10, 70_000, 0), barPoint(time.Minute, 68_000, 67_000, 69_000, true)},
			[]fl{{1, 10, 68_000, 0, 0}}},
		{"limit sell the open gaps through: fills at the open", []step{
			lmt(1, market.Sell, 10, 70_000, 0), barPoint(time.Minute, 72_000, 71_000, 73_000, true)},
			[]fl{{1, 10, 72_000, 0, 0}}},
		{"limit buy the bar trades through later: fills at the limit", []step{
			lmt(1, market.Buy, 10, 70_000, 0),
			barPoint(time.Minute, 71_000, 69_000, 72_000, true),
			barPoint(2*time.Minute, 69_000, 69_000, 72_000, false)},
			[]fl{{1, 10, 70_000, 0, 0}}},
		{"limit buy at the bar's low: touched, not traded through", []step{
			lmt(1, market.Buy, 10, 69_000, 0),
			barPoint(time.Minute, 71_000, 69_000, 72_000, true),
			barPoint(2*time.Minute, 69_000, 69_000, 72_000, false)},
			nil},
		// An order placed after the open (from on_fill, say) with a limit
		// the bar never traded at: the bar's later points go through it,
		// but every trade of the bar was inside 70,800..71,500, so the fill
		// is at the worst of those for the trader, not at the limit.
		{"limit sell below the bar's low fills at the low", []step{
			barPoint(time.Minute, 71_000, 70_800, 71_500, true),
			lmt(1, market.Sell, 10, 70_000, time.Minute),
			barPoint(2*time.Minute, 71_500, 70_800, 71_500, false)},
			[]fl{{1, 10, 70_800, 0, 0}}},
		{"limit buy above the bar's high fills at the high", []step{
			barPoint(time.Minute, 71_000, 70_800, 71_500, true),
			lmt(1, market.Buy, 10, 72_000, time.Minute),
			barPoint(2*time.Minute, 70_800, 70_800, 71_500, false)},
			[]fl{{1, 10, 71_500, 0, 0}}},
		{"the open takes an order placed at its own time", []step{
			mkt(1, market.Buy, 10, time.Minute), barPoint(time.Minute, 70_000, 69_000, 71_000, true)},
			[]fl{{1, 10, 70_100, 0, 0}}},
		{"a later point of the bar does not", []step{
			mkt(1, market.Buy, 10, time.Minute), barPoint(time.Minute, 70_000, 69_000, 71_000, false)},
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, got := run(t, cfg, tc.steps)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("fills %v, want %v", got, tc.want)
			}
		})
	}
}
