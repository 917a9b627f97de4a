package market

import (
	"testing"
	"time"
)

// Value and CashDelta are what every ledger, position and report adds up.
// The expected won amounts are worked by hand beside each case.
func TestFillValueAndCashDelta(t *testing.T) {
	at := time.Date(2024, 3, 4, 9, 30, 0, 0, Seoul)
	for _, tc := range []struct {
		name       string
		f          Fill
		value, net int64
	}{
		// Buy 10 × 70,000 = 700,000; pays value + fee 105 = 700,105.
		{"buy", Fill{Side: Buy, Qty: 10, Price: 70_000, Fee: 105}, 700_000, -700_105},
		// Sell 10 × 70,000 = 700,000; receives 700,000 − fee 105 − tax 1,400
		// (0.05 % + 0.15 % of 700,000 = 350 + 1,050) = 698,495.
		{"sell", Fill{Side: Sell, Qty: 10, Price: 70_000, Fee: 105, Tax: 1_400}, 700_000, 698_495},
		// Sell 149 × 122,900 = 18,312,100; − fee 2,746 − tax 54,936
		// (27,468 + 27,468) = 18,254,418.
		{"sell from the shipped report", Fill{Side: Sell, Qty: 149, Price: 122_900, Fee: 2_746, Tax: 54_936}, 18_312_100, 18_254_418},
		// Buy 726 × 24,950 = 18,113,700; pays + fee 2,717 = 18,116,417.
		{"buy from the shipped report", Fill{Side: Buy, Qty: 726, Price: 24_950, Fee: 2_717}, 18_113_700, -18_116_417},
		// A sell with tax but no fee: 1 × 1,000 − 3 = 997.
		{"sell, tax only", Fill{Side: Sell, Qty: 1, Price: 1_000, Tax: 3}, 1_000, 997},
		// A free sell: exactly the value.
		{"sell, no costs", Fill{Side: Sell, Qty: 3, Price: 500}, 1_500, 1_500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.Symbol, f.Time = "005930", at
			if err := f.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := f.Value(); got != tc.value {
				t.Errorf("Value = %d, want %d", got, tc.value)
			}
			if got := f.CashDelta(); got != tc.net {
				t.Errorf("CashDelta = %d, want %d", got, tc.net)
			}
		})
	}
}
