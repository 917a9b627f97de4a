package risk

import "testing"

// The defaults are what README's risk gate table and the Limits doc
// promise a user who sets no flag.
func TestDefaultLimitsAreTheDocumentedOnes(t *testing.T) {
	want := Limits{
		MaxPositionShares:   100_000,
		MaxPositionValue:    50_000_000,
		MaxOrderValue:       20_000_000,
		MaxOpenOrders:       20,
		MaxOrdersPerMinute:  60,
		MaxDailyLoss:        5_000_000,
		MaxAccountDailyLoss: 20_000_000,
		MarketBuyCollarBP:   100,
	}
	if got := DefaultLimits(); got != want {
		t.Errorf("DefaultLimits() = %+v\nwant %+v", got, want)
	}
}
