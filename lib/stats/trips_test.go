package stats

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

const (
	symA = market.Symbol("005930")
	symB = market.Symbol("000660")
)

// at is k hours after the window start kst(2, 9, 0).
func at(k int) time.Time { return kst(2, 9, 0).Add(time.Duration(k) * time.Hour) }

func fill(k int, sym market.Symbol, side market.Side, qty, price, fee, tax int64) market.Fill {
	return market.Fill{Symbol: sym, Side: side, Qty: qty, Price: price, Fee: fee, Tax: tax, Time: at(k)}
}

// tenHours is an equity window from at(0) to at(10).
func tenHours() []Point { return []Point{{at(0), 1_000_000}, {at(10), 1_000_000}} }

// tripFills: three closed round trips and one left open.
//
//	A: buy 10@1000 fee 15 (−10 015), buy 10@1200 fee 18 (−12 018),
//	   sell 5@1300 fee 10 tax 12 (+6 478), sell 15@1100 fee 25 tax 30 (+16 445)
//	   P&L = −10 015 − 12 018 + 6 478 + 16 445 = 890. By average cost: 20 shares
//	   cost 22 000; the sells realise (6 500 − 5 500) + (16 500 − 16 500) = 1 000,
//	   less fees 68 and taxes 42 = 890.
//	B: buy 3@50 000 fee 75 (−150 075), sell 3@49 000 fee 73 tax 88 (+146 839): −3 236.
//	A: buy 1@1000, sell 1@1000, no costs: 0, neither win nor loss.
//	B: buy 1@50 000 at 9h, still open.
func tripFills() []market.Fill {
	return []market.Fill{
		fill(1, symA, market.Buy, 10, 1000, 15, 0),
		fill(2, symA, market.Buy, 10, 1200, 18, 0),
		fill(3, symA, market.Sell, 5, 1300, 10, 12),
		fill(4, symA, market.Sell, 15, 1100, 25, 30),
		fill(5, symB, market.Buy, 3, 50_000, 75, 0),
		fill(6, symB, market.Sell, 3, 49_000, 73, 88),
		fill(7, symA, market.Buy, 1, 1000, 0, 0),
		fill(8, symA, market.Sell, 1, 1000, 0, 0),
		fill(9, symB, market.Buy, 1, 50_000, 0, 0),
	}
}

func TestRoundTrips(t *testing.T) {
	r := Compute(tenHours(), tripFills())
	got := []any{r.RoundTrips, r.Wins, r.Losses, r.GrossProfit, r.GrossLoss, r.OpenTrips, r.Fills, r.Fees, r.Taxes}
	// Fees 15+18+10+25+75+73 = 216; taxes 12+30+88 = 130.
	want := []any{3, 1, 1, int64(890), int64(-3236), 1, 9, int64(216), int64(130)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trips, wins, losses, profit, loss, open, fills, fees, taxes = %v, want %v", got, want)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"win rate", r.WinRate, 1.0 / 3},                // 1 win of 3 trips
		{"profit factor", r.ProfitFactor, 890.0 / 3236}, // 0.27503090234857847
		{"avg win", r.AvgWin, 890},
		{"avg loss", r.AvgLoss, -3236},
		// Held 1h→4h (A), 5h→6h (B), 7h→8h (A), 9h→10h (B, to the window's end): 6h of 10h.
		{"exposure", r.Exposure, 0.6},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestTripStatsDegenerate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fills []market.Fill
		want  [4]float64 // win rate, profit factor, avg win, avg loss
	}{
		{"no fills", nil, [4]float64{0, 0, 0, 0}},
		{"only open", []market.Fill{fill(1, symA, market.Buy, 1, 1000, 0, 0)}, [4]float64{0, 0, 0, 0}},
		// One win of 100 − 10 = 90, no loss: profit factor undefined → 0.
		{"only wins", []market.Fill{
			fill(1, symA, market.Buy, 1, 1000, 5, 0),
			fill(2, symA, market.Sell, 1, 1100, 5, 0),
		}, [4]float64{1, 0, 90, 0}},
		// One loss of −100 − 10 = −110: win rate 0, profit factor 0/110 = 0.
		{"only losses", []market.Fill{
			fill(1, symA, market.Buy, 1, 1000, 5, 0),
			fill(2, symA, market.Sell, 1, 900, 5, 0),
		}, [4]float64{0, 0, 0, -110}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tenHours(), tc.fills)
			got := [4]float64{r.WinRate, r.ProfitFactor, r.AvgWin, r.AvgLoss}
			if got != tc.want {
				t.Errorf("win rate, PF, avg win, avg loss = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExposure(t *testing.T) {
	for _, tc := range []struct {
		name  string
		eq    []Point
		fills []market.Fill
		want  float64
	}{
		// A held 1h→4h, B 2h→6h: the union 1h→6h, 5h of 10h; overlap is not counted twice.
		{"overlapping symbols", tenHours(), []market.Fill{
			fill(1, symA, market.Buy, 1, 1000, 0, 0),
			fill(2, symB, market.Buy, 1, 1000, 0, 0),
			fill(4, symA, market.Sell, 1, 1000, 0, 0),
			fill(6, symB, market.Sell, 1, 1000, 0, 0),
		}, 0.5},
		// Bought 2h before the window: held from its start, 0h→3h of 10h.
		{"held before window", tenHours(), []market.Fill{
			fill(-2, symA, market.Buy, 1, 1000, 0, 0),
			fill(3, symA, market.Sell, 1, 1000, 0, 0),
		}, 0.3},
		// A partial sell keeps the position open: 1h→8h.
		{"partial sell", tenHours(), []market.Fill{
			fill(1, symA, market.Buy, 2, 1000, 0, 0),
			fill(4, symA, market.Sell, 1, 1000, 0, 0),
			fill(8, symA, market.Sell, 1, 1000, 0, 0),
		}, 0.7},
		{"bought after window", tenHours(), []market.Fill{fill(12, symA, market.Buy, 1, 1000, 0, 0)}, 0},
		{"always held", tenHours(), []market.Fill{fill(0, symA, market.Buy, 1, 1000, 0, 0)}, 1},
		{"no equity", nil, []market.Fill{fill(1, symA, market.Buy, 1, 1000, 0, 0)}, 0},
		{"one point", []Point{{at(0), 100}}, []market.Fill{fill(0, symA, market.Buy, 1, 1000, 0, 0)}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Compute(tc.eq, tc.fills).Exposure; !near(got, tc.want) {
				t.Errorf("exposure = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTripsMatchPosition replays long, irregular fill sequences and checks
// that the round trips' P&L adds up to what market.Position realises less
// fees and taxes, to the won.
func TestTripsMatchPosition(t *testing.T) {
	var fills []market.Fill
	pos := market.Position{Symbol: symA}
	var costs int64
	x := uint64(1)
	next := func(n int64) int64 { x = x*6364136223846793005 + 1442695040888963407; return int64(x>>33) % n }
	for k := 0; k < 5000; k++ {
		f := fill(k, symA, market.Buy, 1+next(50), 1000+10*next(100), next(30), 0)
		if pos.Qty > 0 && next(2) == 0 {
			f.Side, f.Qty, f.Tax = market.Sell, 1+next(pos.Qty), next(20)
			if next(4) == 0 {
				f.Qty = pos.Qty // close the trip
			}
		}
		if err := pos.Apply(&f); err != nil {
			t.Fatal(err)
		}
		costs += f.Fee + f.Tax
		fills = append(fills, f)
	}
	if pos.Qty > 0 { // end flat so every fill belongs to a closed trip
		f := fill(5000, symA, market.Sell, pos.Qty, 1000, 0, 0)
		if err := pos.Apply(&f); err != nil {
			t.Fatal(err)
		}
		fills = append(fills, f)
	}
	r := Compute(nil, fills)
	if r.RoundTrips < 10 || r.OpenTrips != 0 {
		t.Fatalf("round trips %d, open %d: the sequence should close many trips and end flat", r.RoundTrips, r.OpenTrips)
	}
	if got, want := r.GrossProfit+r.GrossLoss, pos.Realized-costs; got != want {
		t.Errorf("sum of trip P&L = %d, Position realised − costs = %d", got, want)
	}
}

func TestSkipsBadFills(t *testing.T) {
	good := tripFills()
	bad := append([]market.Fill{}, good[:2]...)
	bad = append(bad,
		fill(2, symA, market.Sell, 0, 1000, 0, 0),     // qty 0: invalid
		fill(2, symB, market.Sell, 5, 1000, 0, 0),     // sells B, none held
		fill(2, symA, market.Sell, 21, 1000, 1000, 0), // more than the 20 A held
	)
	bad = append(bad, good[2:]...)
	if got, want := Compute(tenHours(), bad), Compute(tenHours(), good); got != want {
		t.Errorf("with bad fills:\n%+v\nwithout:\n%+v", got, want)
	}
}

// TestDegenerateIsJSON: every figure of a degenerate report is finite, so
// the report marshals (encoding/json refuses NaN and ±Inf).
func TestDegenerateIsJSON(t *testing.T) {
	for _, tc := range []struct {
		name  string
		eq    []Point
		fills []market.Fill
	}{
		{"empty", nil, nil},
		{"one point", []Point{{at(0), 100}}, nil},
		{"zero equity", series(0, 0, 0), nil},
		{"flat", series(100, 100, 100), nil},
		{"wiped out", series(100, 0, 0), nil},
		{"same instant", []Point{{at(0), 100}, {at(0), 200}}, tripFills()},
		{"overflowing CAGR", []Point{{at(0), 1}, {at(0).Add(time.Second), math.MaxInt64}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Options{RiskFree: 0.03}.Compute(tc.eq, tc.fills)
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("marshal %+v: %v", r, err)
			}
		})
	}
}
