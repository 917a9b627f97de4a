package krx

import (
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

var sinkInt int64

func BenchmarkAddTicks(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkInt = AddTicks(49_950, 3)
	}
}

func BenchmarkFeeCompute(b *testing.B) {
	fees := DefaultFees()
	b.ReportAllocs()
	for b.Loop() {
		fee, tax := fees.Compute(market.Sell, 65_850)
		sinkInt = fee + tax
	}
}

func BenchmarkTariffCompute(b *testing.B) {
	tariff := Tariff{Commission: 150, Taxed: true, Listing: NewListing(DefaultStocks(), nil)}
	at := kst(2018, 3, 2, 10, 0, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		fee, tax := tariff.Compute(at, "005930", market.Sell, 65_850)
		sinkInt = fee + tax
	}
}
