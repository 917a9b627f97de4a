package krx

import (
	"math"
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

func TestFeeCompute(t *testing.T) {
	withMin := DefaultFees()
	withMin.MinCommission = 10
	kosdaq := DefaultTariff().On(kst(2026, 3, 2, 10, 0, 0, 0), KOSDAQ)
	for _, tc := range []struct {
		name     string
		fees     FeeSchedule
		side     market.Side
		value    int64
		fee, tax int64
	}{
		// 700,000 × 0.015 % = 105; sells add 700,000 × 0.05 % = 350 and × 0.15 % = 1,050.
		{"buy 10 × 70,000", DefaultFees(), market.Buy, 700_000, 105, 0},
		{"sell 10 × 70,000", DefaultFees(), market.Sell, 700_000, 105, 1_400},
		// 65,850 × 0.015 % = 9.8775 → 9; taxes 32.925 → 32 and 98.775 → 98, rounded
		// separately: 130, where rounding their 131.7 sum would give 131.
		{"sell 1 × 65,850 KOSPI", DefaultFees(), market.Sell, 65_850, 9, 130},
		{"sell 1 × 65,850 KOSDAQ", kosdaq, market.Sell, 65_850, 9, 131},             // 0.2 % = 131.7
		{"buy under one won of commission", DefaultFees(), market.Buy, 6_666, 0, 0}, // 0.9999 → 0
		{"minimum commission applies", withMin, market.Buy, 1_000, 10, 0},
		{"minimum commission exceeded", withMin, market.Buy, 700_000, 105, 0},
		{"zero value costs nothing", withMin, market.Sell, 0, 0, 0},
		{"negative value costs nothing", DefaultFees(), market.Sell, -5, 0, 0},
		// floor(9,223,372,036,854,775,807 × 150 / 10⁶) without overflow.
		{"largest value", FeeSchedule{Commission: 150}, market.Buy, math.MaxInt64, 1_383_505_805_528_216, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fee, tax := tc.fees.Compute(tc.side, tc.value)
			if fee != tc.fee || tax != tc.tax {
				t.Fatalf("Compute(%s, %d) = fee %d tax %d, want %d %d", tc.side, tc.value, fee, tax, tc.fee, tc.tax)
			}
		})
	}
}

func TestDefaultFeesFigures(t *testing.T) {
	d := DefaultFees()
	if d.Commission.String() != "0.015%" || (d.TransactionTax+d.RuralTax).String() != "0.2%" || d.MinCommission != 0 {
		t.Fatalf("DefaultFees = %+v, want 0.015%% commission and 0.2%% sell tax", d)
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestFeeScheduleValidate(t *testing.T) {
	for _, tc := range []struct {
		s     FeeSchedule
		field string
	}{
		{FeeSchedule{Commission: -1}, "commission"},
		{FeeSchedule{TransactionTax: 100*Percent + 1}, "transaction_tax"},
		{FeeSchedule{RuralTax: -1}, "rural_tax"},
		{FeeSchedule{MinCommission: -1}, "min_commission"},
	} {
		err := tc.s.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.field+":") {
			t.Errorf("Validate(%+v) = %v, want an error naming %s", tc.s, err, tc.field)
		}
	}
}

func TestRateParseAndString(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rate
		str  string
	}{
		{"0.015%", 150, "0.015%"},
		{"1.5bp", 150, "0.015%"},
		{"0.2%", 2_000, "0.2%"},
		{"20bp", 2_000, "0.2%"},
		{"0.0001%", 1, "0.0001%"},
		{"0%", 0, "0%"},
		{"100%", 1_000_000, "100%"},
		{"3%", 30_000, "3%"},
	} {
		got, err := ParseRate(tc.in)
		if err != nil || got != tc.want || got.String() != tc.str {
			t.Errorf("ParseRate(%q) = %d (%s), %v; want %d (%s)", tc.in, got, got, err, tc.want, tc.str)
		}
	}
	for _, bad := range []string{"0.00001%", "0.001bp", "101%", "-1%", "0.015", "abc%", ".5%", "1e-3%", "1,5%", "99999999%"} {
		if r, err := ParseRate(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseRate(%q) = %d, %v; want an error quoting the input", bad, r, err)
		}
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.015%", "1.5bp", "0.2%", "100%", "0.0001%", "7bp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if r < 0 || r > 100*Percent {
			t.Fatalf("ParseRate(%q) = %d, outside 0–100 %%", s, r)
		}
		back, err := ParseRate(r.String())
		if err != nil || back != r {
			t.Fatalf("round trip of %q: %s → %d, %v", s, r, back, err)
		}
	})
}
