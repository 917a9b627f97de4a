package krx

import "testing"

func TestPriceLimits(t *testing.T) {
	for _, tc := range []struct {
		name         string
		base         int64
		lower, upper int64
	}{
		{"KIS sample 005930", 66_000, 46_200, 85_800},
		{"round numbers", 10_000, 7_000, 13_000},
		{"upper crosses into the 5-won band", 1_540, 1_078, 2_000},     // 2_002 → 2_000
		{"upper crosses into the 50-won band", 15_450, 10_820, 20_050}, // 20_085 → 20_050; 10_815 → 10_820
		{"lower rounds up at 50", 50_100, 35_100, 65_100},              // 35_070 → 35_100; 65_130 → 65_100
		// 1,543 × 0.7 = 1,080.1: the lower limit rounds up, to 1,081 on the
		// 1-won grid below 2,000 (not down to 1,080); 1,543 × 1.3 = 2,005.9
		// rounds down to 2,005 on the 5-won grid.
		{"lower fraction rounds up", 1_543, 1_081, 2_005},
		{"fractions on both sides", 3_333, 2_335, 4_330}, // 2_333.1 → 2_334 → 2_335; 4_332.9 → 4_332 → 4_330
		{"upper crosses into the 500-won band", 170_100, 119_100, 221_000},
		{"on grid after crossing", 160_000, 112_000, 208_000},
		{"thousand-won band", 400_000, 280_000, 520_000},
		{"one won", 1, 1, 1},
		{"no base", 0, 0, 0},
		{"negative base", -10, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := PriceLimits(tc.base)
			if got != (Limits{Lower: tc.lower, Upper: tc.upper}) {
				t.Fatalf("PriceLimits(%d) = %+v, want lower %d upper %d", tc.base, got, tc.lower, tc.upper)
			}
			if tc.base > 0 && (!OnGrid(got.Lower) || !OnGrid(got.Upper)) {
				t.Fatalf("limits %+v not on the grid", got)
			}
		})
	}
}

func TestLimitsContains(t *testing.T) {
	l := PriceLimits(66_000)
	for _, tc := range []struct {
		p    int64
		want bool
	}{
		{46_100, false}, {46_200, true}, {66_000, true}, {85_800, true}, {85_900, false},
	} {
		if got := l.Contains(tc.p); got != tc.want {
			t.Errorf("%+v.Contains(%d) = %v, want %v", l, tc.p, got, tc.want)
		}
	}
	if (Limits{}).Contains(1) {
		t.Error("zero Limits contains 1 won")
	}
}
