package krx

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// TestSellTaxesBoundaries checks every change of the schedule on the trade
// date before it and on its first trade date, in basis points. The rates
// are written out here, not read from taxTable.
func TestSellTaxesBoundaries(t *testing.T) {
	type rates struct{ kospi, rural, kosdaq, konex Rate }
	for _, tc := range []struct {
		day  time.Time
		want rates
	}{
		{kst(2016, 1, 4, 9, 0, 0, 0), rates{15, 15, 30, 30}},
		{kst(2019, 5, 29, 15, 30, 0, 0), rates{15, 15, 30, 30}}, // settles 2019-05-31
		{kst(2019, 5, 30, 9, 0, 0, 0), rates{10, 15, 25, 10}},   // settles 2019-06-03
		{kst(2020, 12, 28, 15, 30, 0, 0), rates{10, 15, 25, 10}},
		{kst(2020, 12, 29, 9, 0, 0, 0), rates{8, 15, 23, 10}}, // settles 2021-01-04
		{kst(2022, 12, 27, 15, 30, 0, 0), rates{8, 15, 23, 10}},
		{kst(2022, 12, 28, 9, 0, 0, 0), rates{5, 15, 20, 10}},
		{kst(2023, 12, 26, 15, 30, 0, 0), rates{5, 15, 20, 10}},
		{kst(2023, 12, 27, 9, 0, 0, 0), rates{3, 15, 18, 10}},
		{kst(2024, 12, 26, 15, 30, 0, 0), rates{3, 15, 18, 10}},
		{kst(2024, 12, 27, 9, 0, 0, 0), rates{0, 15, 15, 10}},
		{kst(2025, 12, 28, 23, 59, 59, 0), rates{0, 15, 15, 10}},
		{kst(2025, 12, 29, 0, 0, 0, 0), rates{5, 15, 20, 10}}, // settles 2026-01-02
		{kst(2026, 12, 1, 9, 0, 0, 0), rates{5, 15, 20, 10}},
		// A UTC instant counts by its KST date: 15:00 UTC is the next KST day.
		{time.Date(2019, 5, 29, 14, 59, 0, 0, time.UTC), rates{15, 15, 30, 30}},
		{time.Date(2019, 5, 29, 15, 0, 0, 0, time.UTC), rates{10, 15, 25, 10}},
	} {
		var got rates
		var r Rate
		got.kospi, got.rural = SellTaxes(tc.day, KOSPI)
		got.kosdaq, r = SellTaxes(tc.day, KOSDAQ)
		got.konex, _ = SellTaxes(tc.day, KONEX)
		got = rates{got.kospi / BasisPoint, got.rural / BasisPoint, got.kosdaq / BasisPoint, got.konex / BasisPoint}
		if got != tc.want || r != 0 {
			t.Errorf("%s: KOSPI %d+%d, KOSDAQ %d (+%d rural), KONEX %d bp; want %+v",
				tc.day.In(market.Seoul).Format(time.DateTime), got.kospi, got.rural, got.kosdaq, r, got.konex, tc.want)
		}
	}
}

// An unknown market is taxed as KOSPI.
func TestSellTaxesUnknownMarket(t *testing.T) {
	at := kst(2023, 6, 1, 10, 0, 0, 0)
	tx, rural := SellTaxes(at, UnknownMarket)
	if ktx, kr := SellTaxes(at, KOSPI); tx != ktx || rural != kr {
		t.Fatalf("unknown market: %s + %s, want KOSPI's %s + %s", tx, rural, ktx, kr)
	}
}

// The table is in date order and each trade date is the first one whose
// T+2 settlement can fall on or after the decree's effective date.
func TestTaxTableOrder(t *testing.T) {
	for i := 1; i < len(taxTable); i++ {
		p, q := taxTable[i-1], taxTable[i]
		if q.from <= p.from || q.settles <= q.from || q.settles-q.from > 10_000 {
			t.Errorf("taxTable[%d]: from %d settles %d after from %d", i, q.from, q.settles, p.from)
		}
	}
}

// Sells are taxed by the fill's trade date and its symbol's market; buys pay
// commission only. The won amounts are worked by hand.
func TestTariffCompute(t *testing.T) {
	kosdaqSym, unknown := market.Symbol("293490"), market.Symbol("0000J0")
	listing := NewListing([]Stock{
		{Symbol: "005930", Name: "Samsung Electronics", Market: KOSPI},
		{Symbol: kosdaqSym, Name: "Kakao Games", Market: KOSDAQ},
	}, nil)
	tariff := Tariff{Commission: 150, Taxed: true, Listing: listing}
	for _, tc := range []struct {
		name     string
		at       time.Time
		sym      market.Symbol
		side     market.Side
		value    int64
		fee, tax int64
	}{
		// 1,000,000 × 0.015 % = 150; 2016 KOSPI: × 0.15 % = 1,500 twice.
		{"KOSPI sale 2016-03-02", kst(2016, 3, 2, 10, 0, 0, 0), "005930", market.Sell, 1_000_000, 150, 3_000},
		// 2026 KOSPI: × 0.05 % = 500 and × 0.15 % = 1,500.
		{"KOSPI sale 2026-03-02", kst(2026, 3, 2, 10, 0, 0, 0), "005930", market.Sell, 1_000_000, 150, 2_000},
		// 2016 KOSDAQ: × 0.30 % = 3,000 and no rural tax.
		{"KOSDAQ sale 2016-03-02", kst(2016, 3, 2, 10, 0, 0, 0), kosdaqSym, market.Sell, 1_000_000, 150, 3_000},
		// 2025 KOSDAQ: 0.15 % = 1,500; KOSPI 0 % + 0.15 % = 1,500.
		{"KOSDAQ sale 2025-06-02", kst(2025, 6, 2, 10, 0, 0, 0), kosdaqSym, market.Sell, 1_000_000, 150, 1_500},
		// 2019-06-03 KOSDAQ: 65,850 × 0.25 % = 164.625 → 164 (KOSPI would
		// round 0.10 % and 0.15 % apart: 65 + 98 = 163).
		{"KOSDAQ rounding 2019-06-03", kst(2019, 6, 3, 10, 0, 0, 0), kosdaqSym, market.Sell, 65_850, 9, 164},
		{"KOSPI rounding 2019-06-03", kst(2019, 6, 3, 10, 0, 0, 0), "005930", market.Sell, 65_850, 9, 163},
		{"unlisted symbol is KOSPI", kst(2024, 3, 4, 10, 0, 0, 0), unknown, market.Sell, 1_000_000, 150, 1_800},
		{"buys pay no tax", kst(2016, 3, 2, 10, 0, 0, 0), "005930", market.Buy, 1_000_000, 150, 0},
	} {
		fee, tax := tariff.Compute(tc.at, tc.sym, tc.side, tc.value)
		if fee != tc.fee || tax != tc.tax {
			t.Errorf("%s: fee %d tax %d, want %d %d", tc.name, fee, tax, tc.fee, tc.tax)
		}
	}
	if s := tariff.On(kst(2016, 3, 2, 0, 0, 0, 0), KOSDAQ); s.RuralTax != 0 || s.TransactionTax != 30*BasisPoint {
		t.Errorf("2016 KOSDAQ schedule %+v: want 0.3%% transaction tax and no rural tax", s)
	}
	if fee, tax := (Tariff{Commission: 150}).Compute(kst(2016, 3, 2, 10, 0, 0, 0), "005930", market.Sell, 1_000_000); fee != 150 || tax != 0 {
		t.Errorf("untaxed tariff: fee %d tax %d, want 150 and 0", fee, tax)
	}
	if got, want := DefaultTariff().On(kst(2026, 1, 2, 9, 0, 0, 0), KOSPI), DefaultFees(); got != want {
		t.Errorf("DefaultTariff on 2026-01-02, KOSPI = %+v, want DefaultFees %+v", got, want)
	}
}

func TestTariffValidate(t *testing.T) {
	if err := (Tariff{Commission: -1}).Validate(); err == nil {
		t.Fatal("negative commission accepted")
	}
	if err := DefaultTariff().Validate(); err != nil {
		t.Fatal(err)
	}
}

// The per-fill path allocates nothing, an unknown symbol after its first
// report included.
func TestTariffComputeAllocs(t *testing.T) {
	tariff := Tariff{Commission: 150, Taxed: true, Listing: NewListing(DefaultStocks(), func(market.Symbol) {})}
	at := kst(2018, 3, 2, 10, 0, 0, 0)
	tariff.Compute(at, "0000J0", market.Sell, 1)
	n := testing.AllocsPerRun(100, func() {
		fee, tax := tariff.Compute(at, "005930", market.Sell, 65_850)
		f2, t2 := tariff.Compute(at, "0000J0", market.Sell, 65_850)
		sinkInt = fee + tax + f2 + t2
	})
	if n != 0 {
		t.Fatalf("Tariff.Compute allocates %.1f times per call", n)
	}
}

func TestMarketParseAndString(t *testing.T) {
	for _, s := range []string{"KOSPI", "kosdaq", "Konex"} {
		m, err := ParseMarket(s)
		if err != nil || m.String() == "unknown" {
			t.Errorf("ParseMarket(%q) = %s, %v", s, m, err)
		}
	}
	if _, err := ParseMarket("NASDAQ"); err == nil {
		t.Error("ParseMarket(NASDAQ) accepted")
	}
	if UnknownMarket.String() != "unknown" || Market(9).String() != "Market(9)" {
		t.Error("String of unknown markets")
	}
}
