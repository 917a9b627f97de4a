package krx

import (
	"fmt"

	"github.com/qbtrading/qb/lib/market"
)

// FeeSchedule is what one fill costs beyond its traded value (quantity ×
// price) on one date and market: the broker's commission on both sides,
// and on sells the securities transaction tax (증권거래세) and, on KOSPI,
// the special tax for rural development (농어촌특별세) levied with it.
// Tariff.On gives the schedule of a date and market.
//
// Rounding, applied to each fill on its own: every component is the exact
// product value × rate rounded down to the whole won, and the two taxes are
// rounded separately because they are separate taxes. A commission below
// MinCommission is raised to it. Brokers that aggregate a day's fills
// before rounding can differ from this by under one won per fill.
type FeeSchedule struct {
	Commission     Rate  // broker commission, both sides
	MinCommission  int64 // won per fill; 0 means no minimum
	TransactionTax Rate  // 증권거래세, sells only
	RuralTax       Rate  // 농어촌특별세, sells only (KOSPI; 0 on KOSDAQ)
}

// DefaultFees is the schedule of a KOSPI sale traded in 2026:
// DefaultTariff's commission (0.015 %, no minimum) and 0.05 % transaction
// tax plus 0.15 % rural special tax, 0.20 % in all. A fill's own schedule
// depends on its date and market: see Tariff and SellTaxes, which cite the
// sources of every rate.
func DefaultFees() FeeSchedule {
	return FeeSchedule{Commission: 150, TransactionTax: 5 * BasisPoint, RuralTax: 15 * BasisPoint}
}

// Compute returns the commission and the taxes, in won, for one fill of the
// given side and traded value. A non-positive value costs nothing.
func (s FeeSchedule) Compute(side market.Side, value int64) (fee, tax int64) {
	if value <= 0 {
		return 0, 0
	}
	fee = max(s.Commission.Of(value), s.MinCommission)
	if side == market.Sell {
		tax = s.TransactionTax.Of(value) + s.RuralTax.Of(value)
	}
	return fee, tax
}

// Validate checks that every rate is within 0–100 % and the minimum is not
// negative; the error names the field.
func (s FeeSchedule) Validate() error {
	for _, f := range []struct {
		name string
		r    Rate
	}{{"commission", s.Commission}, {"transaction_tax", s.TransactionTax}, {"rural_tax", s.RuralTax}} {
		if f.r < 0 || f.r > whole {
			return fmt.Errorf("fee schedule: %s: %s outside 0%%–100%%", f.name, f.r)
		}
	}
	if s.MinCommission < 0 {
		return fmt.Errorf("fee schedule: min_commission: %d won is negative", s.MinCommission)
	}
	return nil
}
