package krx

import (
	"math"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func TestTickSizeBandEdges(t *testing.T) {
	for _, tc := range []struct{ price, tick int64 }{
		{-5, 1}, {0, 1}, {1, 1}, {1_999, 1},
		{2_000, 5}, {2_001, 5}, {4_999, 5},
		{5_000, 10}, {19_999, 10},
		{20_000, 50}, {49_999, 50},
		{50_000, 100}, {65_850, 100}, {199_999, 100},
		{200_000, 500}, {499_999, 500},
		{500_000, 1_000}, {1_234_000, 1_000}, {math.MaxInt64, 1_000},
	} {
		if got := TickSize(tc.price); got != tc.tick {
			t.Errorf("TickSize(%d) = %d, want %d", tc.price, got, tc.tick)
		}
	}
}

func TestRounding(t *testing.T) {
	for _, tc := range []struct {
		p, down, up int64
		on          bool
	}{
		{-3, 0, 1, false},
		{0, 0, 1, false},
		{1, 1, 1, true},
		{1_999, 1_999, 1_999, true},
		{2_000, 2_000, 2_000, true},
		{2_003, 2_000, 2_005, false},
		{4_998, 4_995, 5_000, false}, // rounding up lands on the next band's first price
		{5_005, 5_000, 5_010, false},
		{19_995, 19_990, 20_000, false},
		{20_010, 20_000, 20_050, false},
		{49_990, 49_950, 50_000, false},
		{65_850, 65_800, 65_900, false},
		{199_950, 199_900, 200_000, false},
		{200_100, 200_000, 200_500, false},
		{499_999, 499_500, 500_000, false},
		{500_500, 500_000, 501_000, false},
		{math.MaxInt64, math.MaxInt64 - 807, math.MaxInt64 - 807, false},
	} {
		if got := RoundDown(tc.p); got != tc.down {
			t.Errorf("RoundDown(%d) = %d, want %d", tc.p, got, tc.down)
		}
		if got := RoundUp(tc.p); got != tc.up {
			t.Errorf("RoundUp(%d) = %d, want %d", tc.p, got, tc.up)
		}
		if got := OnGrid(tc.p); got != tc.on {
			t.Errorf("OnGrid(%d) = %v, want %v", tc.p, got, tc.on)
		}
	}
}

func TestAddTicks(t *testing.T) {
	for _, tc := range []struct {
		p    int64
		n    int
		want int64
	}{
		{70_000, 0, 70_000},
		{65_850, 0, 65_850}, // n = 0 leaves even an off-grid price alone
		{70_000, 1, 70_100},
		{70_000, -3, 69_700},
		{1_999, 1, 2_000},
		{1_999, 2, 2_005},
		{2_000, -1, 1_999},
		{2_005, -2, 1_999},
		{4_995, 3, 5_020},      // 5_000, 5_010, 5_020
		{49_950, 2, 50_100},    // 50_000, 50_100
		{50_000, -2, 49_900},   // 49_950, 49_900
		{199_900, 3, 201_000},  // 200_000, 200_500, 201_000
		{500_000, -1, 499_500}, // the first step down uses the lower band's tick
		{1_990, 1_000, 8_900},  // 10 to 2_000, 600 to 5_000, then 390 × 10 = 3_900 more
		{8_900, -1_000, 1_990}, // and back
		{65_850, 1, 65_900},    // snapping to the grid counts as the first tick
		{65_850, 2, 66_000},
		{65_850, -1, 65_800},
		{3, -5, 1}, // never below 1 won
		{1, -1, 1},
		{0, 1, 1},
		{math.MaxInt64 - 807, 1, math.MaxInt64 - 807}, // saturates at the top
	} {
		if got := AddTicks(tc.p, tc.n); got != tc.want {
			t.Errorf("AddTicks(%d, %d) = %d, want %d", tc.p, tc.n, got, tc.want)
		}
	}
}

// TestAddTicksMatchesStepping checks the band-jumping arithmetic against a
// walk of one tick at a time across every band boundary.
func TestAddTicksMatchesStepping(t *testing.T) {
	p := int64(1)
	for i := 1; p < 600_000; i++ {
		p += TickSize(p)
		if got := AddTicks(1, i); got != p {
			t.Fatalf("AddTicks(1, %d) = %d, stepping gives %d", i, got, p)
		}
		if got := AddTicks(p, -i); got != 1 {
			t.Fatalf("AddTicks(%d, %d) = %d, want 1", p, -i, got)
		}
	}
}

// The tick table follows the date and the market: KRX unified and cut it
// on 2023-01-25 (1,000–2,000 won from 5 to 1, 10,000–20,000 from 50 to
// 10, 100,000–200,000 from 500 to 100); before, KOSDAQ stopped at 100 won.
func TestGridOn(t *testing.T) {
	before := time.Date(2023, 1, 24, 15, 30, 0, 0, market.Seoul)
	after := time.Date(2023, 1, 25, 9, 0, 0, 0, market.Seoul)
	tests := []struct {
		at    time.Time
		m     Market
		price int64
		tick  int64
	}{
		{before, KOSPI, 999, 1},
		{before, KOSPI, 1_500, 5},
		{after, KOSPI, 1_500, 1},
		{before, KOSPI, 9_990, 10},
		{before, KOSPI, 15_000, 50},
		{after, KOSPI, 15_000, 10},
		{before, KOSPI, 99_900, 100},
		{before, KOSPI, 150_000, 500},
		{after, KOSPI, 150_000, 100},
		{before, KOSPI, 600_000, 1_000},
		{before, KOSDAQ, 150_000, 100},
		{before, KOSDAQ, 600_000, 100},
		{before, KONEX, 600_000, 100},
		{after, KOSDAQ, 600_000, 1_000},
		{before, UnknownMarket, 150_000, 500},
	}
	for _, tc := range tests {
		if got := GridOn(tc.at, tc.m).TickSize(tc.price); got != tc.tick {
			t.Errorf("GridOn(%s, %s).TickSize(%d) = %d, want %d", tc.at.Format(time.DateOnly), tc.m, tc.price, got, tc.tick)
		}
	}
	// Moving along the 2016 KOSPI grid across the 100,000 boundary: 99,900
	// + 1 tick = 100,000, + 1 more = 100,500; 100,000 − 1 tick = 99,900.
	g := GridOn(before, KOSPI)
	if got := g.AddTicks(99_900, 2); got != 100_500 {
		t.Errorf("AddTicks(99,900, 2) = %d, want 100,500", got)
	}
	if got := g.AddTicks(100_000, -1); got != 99_900 {
		t.Errorf("AddTicks(100,000, −1) = %d, want 99,900", got)
	}
	// Limits on the old grid: base 120,000 × 1.3 = 156,000 (on the 500 grid),
	// × 0.7 = 84,000 (on the 100 grid).
	if l := g.PriceLimits(120_000); l.Upper != 156_000 || l.Lower != 84_000 {
		t.Errorf("PriceLimits(120,000) on the 2016 grid = %+v", l)
	}
	if l := g.PriceLimits(121_000); l.Upper != 157_000 { // 157,300 rounded down to 500s
		t.Errorf("PriceLimits(121,000).Upper on the 2016 grid = %d, want 157,000", l.Upper)
	}
}
