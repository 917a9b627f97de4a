package stats

import (
	"math"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func kst(day, hour, minute int) time.Time {
	return time.Date(2024, time.January, day, hour, minute, 0, 0, market.Seoul)
}

// series builds points one hour apart from kst(2, 9, 0).
func series(equity ...int64) []Point {
	out := make([]Point, len(equity))
	for i, e := range equity {
		out[i] = Point{Time: kst(2, 9, 0).Add(time.Duration(i) * time.Hour), Equity: e}
	}
	return out
}

func near(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want)) }

func TestReturnAndCAGR(t *testing.T) {
	start := kst(2, 9, 0)
	twoYears := start.Add(time.Duration(2 * year)) // 730.5 days
	for _, tc := range []struct {
		name        string
		eq          []Point
		total, cagr float64
	}{
		{"no points", nil, 0, 0},
		{"one point", []Point{{start, 100}}, 0, 0},
		// 121/100 − 1 = 0.21; over 2 years of 365.25 days: 1.21^(1/2) − 1 = 0.1.
		{"two years", []Point{{start, 100}, {twoYears, 121}}, 0.21, 0.1},
		// 81/100 − 1 = −0.19; 0.81^(1/2) − 1 = −0.1.
		{"two years down", []Point{{start, 100}, {twoYears, 81}}, -0.19, -0.1},
		// Half a year (182.625 days): 1.1^2 − 1 = 0.21.
		{"half year", []Point{{start, 100}, {start.Add(time.Duration(year / 2)), 110}}, 0.1, 0.21},
		// Everything lost: total −1, CAGR −1 by definition.
		{"wiped out", []Point{{start, 100}, {twoYears, 0}}, -1, -1},
		// Same instant: no span to annualise over.
		{"zero span", []Point{{start, 100}, {start, 120}}, 0.2, 0},
		// 2^(525960) overflows float64: CAGR 0, not +Inf.
		{"one minute double", []Point{{start, 100}, {start.Add(time.Minute), 200}}, 1, 0},
		// A first equity of 0 has no return.
		{"zero start", []Point{{start, 0}, {twoYears, 100}}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.eq, nil)
			if !near(r.TotalReturn, tc.total) || !near(r.CAGR, tc.cagr) {
				t.Errorf("total, CAGR = %v, %v; want %v, %v", r.TotalReturn, r.CAGR, tc.total, tc.cagr)
			}
		})
	}
}

func TestMaxDrawdown(t *testing.T) {
	h := time.Hour
	for _, tc := range []struct {
		name  string
		eq    []Point
		depth float64
		dur   time.Duration
	}{
		{"no points", nil, 0, 0},
		{"one point", series(100), 0, 0},
		{"rising", series(100, 110, 120), 0, 0},
		{"flat", series(100, 100, 100), 0, 0},
		// Peak 120 at 1h, trough 90: 30/120 = 0.25, back to 120 at 3h: 2h.
		// The later fall 130 → 104 is 26/130 = 0.2, shallower, never recovered.
		{"recovered is deepest", series(100, 120, 90, 120, 130, 104, 117), 0.25, 2 * h},
		// 100 → 80 = 0.2 and never back above 100: peak at 0h to the end at 2h.
		{"never recovered", series(100, 80, 90), 0.2, 2 * h},
		// Two falls of 10/100 = 0.1: the earlier one (0h → 2h) is reported.
		{"tie keeps earlier", series(100, 90, 100, 90, 95, 96), 0.1, 2 * h},
		// Equity stays at the peak until 1h, so the drawdown starts there: 50/100, 1h → 3h.
		{"peak renewed by equal point", series(100, 100, 50, 100), 0.5, 2 * h},
		// 200 → 150 is 0.25 over 0h → 4h; 150 → 100 at 3h is 100/200 = 0.5 within it.
		{"deepest point inside one fall", series(200, 150, 180, 100, 250), 0.5, 4 * h},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.eq, nil)
			if !near(r.MaxDrawdown, tc.depth) || r.MaxDrawdownDuration != tc.dur {
				t.Errorf("drawdown = %v over %v, want %v over %v", r.MaxDrawdown, r.MaxDrawdownDuration, tc.depth, tc.dur)
			}
		})
	}
}

// threeDays closes 1 100, 990 and 1 089 after a base of 1 000: daily returns
// +0.1, −0.1, +0.1. The point at 15:00 UTC on 2 January is 00:00 KST on the
// 3rd: grouped by UTC date it would close the 2nd and change every return.
func threeDays() []Point {
	utc := func(d, h int) time.Time { return time.Date(2024, time.January, d, h, 0, 0, 0, time.UTC) }
	return []Point{
		{kst(2, 9, 0), 1000},
		{kst(2, 12, 0), 1050},
		{kst(2, 15, 30), 1100}, // close of the 2nd: 1100/1000 − 1 = 0.1
		{utc(2, 15), 5000},     // 3 January 00:00 KST, not its close
		{kst(3, 15, 30), 990},  // close of the 3rd: 990/1100 − 1 = −0.1
		{kst(4, 9, 0), 1000},
		{kst(4, 15, 30), 1089}, // close of the 4th: 1089/990 − 1 = 0.1
	}
}

func TestSharpeSortino(t *testing.T) {
	for _, tc := range []struct {
		name            string
		eq              []Point
		rf              float64
		days            int
		sharpe, sortino float64
	}{
		// r = 0.1, −0.1, 0.1; mean 1/30; deviations 1/15, −2/15, 1/15; sample
		// variance (1/225 + 4/225 + 1/225)/2 = 1/75, sd = 0.2/√3.
		// Sharpe = (1/30)/(0.2/√3) × √252 = √3/6 × √252 = √756/6 = 4.58257569495584.
		// Downside: only −0.1 below 0: DD = √(0.01/3) = 0.1/√3.
		// Sortino = (1/30)/(0.1/√3) × √252 = √756/3 = 9.16515138991168.
		{"three days", threeDays(), 0, 3, 4.58257569495584, 9.16515138991168},
		// RiskFree 0.252 a year is 0.001 a day: excess mean 1/30 − 0.001 = 0.0323333…
		// Sharpe = 0.0323333…/(0.2/√3) × √252 = 4.445098424107164.
		// Excess returns 0.099, −0.101, 0.099: DD = √(0.101²/3) = 0.0583123…
		// Sortino = 0.0323333…/0.0583123… × √252 = 8.80217509724191.
		{"three days with risk-free", threeDays(), 0.252, 3, 4.445098424107164, 8.80217509724191},
		// Flat: sd = 0 and nothing below 0.
		{"flat", []Point{{kst(2, 9, 0), 100}, {kst(3, 15, 0), 100}, {kst(4, 15, 0), 100}}, 0, 2, 0, 0},
		// Every day up: DD = 0, Sortino undefined → 0; Sharpe defined.
		// r = 0.1, 0.2: mean 0.15, sd = √(0.0025·2/1) = 0.0707107; 0.15/0.0707107·√252 = 33.67491648096547.
		{"never down", []Point{{kst(2, 9, 0), 100}, {kst(2, 15, 0), 110}, {kst(3, 15, 0), 132}}, 0, 2, 33.67491648096547, 0},
		// One point alone on the 2nd is only the base; one close after it: one return, too few.
		{"one return", []Point{{kst(2, 9, 0), 100}, {kst(3, 15, 0), 90}}, 0, 1, 0, 0},
		{"one day", []Point{{kst(2, 9, 0), 100}, {kst(2, 10, 0), 90}, {kst(2, 15, 0), 120}}, 0, 1, 0, 0},
		{"one point", []Point{{kst(2, 9, 0), 100}}, 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Options{RiskFree: tc.rf}.Compute(tc.eq, nil)
			if r.Days != tc.days || !near(r.Sharpe, tc.sharpe) || !near(r.Sortino, tc.sortino) {
				t.Errorf("days, Sharpe, Sortino = %d, %v, %v; want %d, %v, %v",
					r.Days, r.Sharpe, r.Sortino, tc.days, tc.sharpe, tc.sortino)
			}
		})
	}
}
