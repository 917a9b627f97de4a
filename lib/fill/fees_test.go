package fill

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// Each fill is taxed by its own trade date and its symbol's market. The
// won amounts are worked by hand from the statutory rates.
func TestFillTaxesByDateAndMarket(t *testing.T) {
	const kosdaq market.Symbol = "293490" // Kakao Games, a KOSDAQ stock
	tariff := krx.DefaultTariff()
	tariff.Listing = krx.NewListing([]krx.Stock{
		{Symbol: sym, Name: "Samsung Electronics", Market: krx.KOSPI},
		{Symbol: kosdaq, Name: "Kakao Games", Market: krx.KOSDAQ},
	}, nil)
	for _, tc := range []struct {
		name     string
		day      time.Time
		sym      market.Symbol
		fee, tax int64
	}{
		// 10 × 70,000 = 700,000 sold. Commission 0.015 % = 105.
		// 2016 KOSPI: 0.15 % transaction tax 1,050 + 0.15 % rural tax 1,050.
		{"KOSPI 2016-03-02", time.Date(2016, 3, 2, 9, 30, 0, 0, market.Seoul), sym, 105, 2_100},
		// 2026 KOSPI: 0.05 % = 350 + 0.15 % = 1,050.
		{"KOSPI 2026-03-02", time.Date(2026, 3, 2, 9, 30, 0, 0, market.Seoul), sym, 105, 1_400},
		// 2016 KOSDAQ: 0.30 % = 2,100 transaction tax, no rural tax.
		{"KOSDAQ 2016-03-02", time.Date(2016, 3, 2, 9, 30, 0, 0, market.Seoul), kosdaq, 105, 2_100},
		// 2024 KOSDAQ: 0.18 % = 1,260; KOSPI would be 0.03 % + 0.15 % = 210 + 1,050.
		{"KOSDAQ 2024-03-04", time.Date(2024, 3, 4, 9, 30, 0, 0, market.Seoul), kosdaq, 105, 1_260},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(Config{Fees: tariff})
			o := market.Order{ID: 1, Symbol: tc.sym, Side: market.Sell, Type: market.MarketOrder, Qty: 10, Status: market.OrderNew}
			if err := m.Submit(o, tc.day); err != nil {
				t.Fatal(err)
			}
			fills := m.OnTick(&market.Tick{Time: tc.day.Add(sec), Symbol: tc.sym, Price: 70_000, Volume: 10}, nil)
			if len(fills) != 1 || fills[0].Fee != tc.fee || fills[0].Tax != tc.tax {
				t.Fatalf("fills = %+v, want one with fee %d and tax %d", fills, tc.fee, tc.tax)
			}
		})
	}
	// The same KOSDAQ sale with no rural tax at all, checked on the schedule.
	if s := tariff.On(time.Date(2016, 3, 2, 0, 0, 0, 0, market.Seoul), krx.KOSDAQ); s.RuralTax != 0 {
		t.Fatalf("KOSDAQ schedule %+v has a rural tax", s)
	}
}

// Pricing a fill from its date and market allocates nothing.
func TestFillWithTariffAllocs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Fees.Listing = krx.NewListing(krx.DefaultStocks(), nil)
	m := New(cfg)
	o := market.Order{Symbol: sym, Side: market.Sell, Type: market.MarketOrder, Qty: 10, Status: market.OrderNew}
	tk := market.Tick{Time: t0.Add(sec), Symbol: sym, Price: 70_000, Volume: 100}
	dst := make([]market.Fill, 0, 8)
	n := testing.AllocsPerRun(100, func() {
		o.ID++
		if err := m.Submit(o, t0); err != nil {
			t.Fatal(err)
		}
		dst = m.OnTick(&tk, dst[:0])
	})
	if n != 0 || len(dst) != 1 || dst[0].Tax == 0 {
		t.Fatalf("%.1f allocations per fill (fills %+v), want 0 and a taxed fill", n, dst)
	}
}
