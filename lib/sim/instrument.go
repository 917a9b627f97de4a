package sim

import "github.com/qbtrading/qb/lib/market"

// Instrument is one simulated stock.
type Instrument struct {
	Symbol market.Symbol
	Name   string
	Price  int64 // starting base price (the previous close), won, on the tick grid
	Vol    int64 // daily volatility, basis points of the price (250 is 2.5 %); 0 means DefaultVol
	Lot    int64 // trade sizes are 1..Lot shares before the block multiplier; 0 means DefaultLot
}

// Defaults for an Instrument's zero fields.
const (
	DefaultVol = 250 // basis points a day
	DefaultLot = 10  // shares
)

// The largest values Config.Validate accepts.
const (
	MaxVol = 10_000  // basis points: 100 % a day, a stress test rather than a stock
	MaxLot = 1 << 40 // shares
)

// Instruments returns the default universe: five large KOSPI stocks with
// starting prices near their closes of late 2025, each on the tick grid of
// its band (100, 500 and 1,000 won), and volatilities in their usual order.
// The slice is new on each call.
func Instruments() []Instrument {
	return []Instrument{
		{Symbol: "005930", Name: "Samsung Electronics", Price: 98_000, Vol: 250, Lot: 100},
		{Symbol: "000660", Name: "SK hynix", Price: 572_000, Vol: 350, Lot: 20},
		{Symbol: "035420", Name: "NAVER", Price: 251_500, Vol: 300, Lot: 10},
		{Symbol: "005380", Name: "Hyundai Motor", Price: 263_000, Vol: 250, Lot: 10},
		{Symbol: "035720", Name: "Kakao", Price: 61_200, Vol: 350, Lot: 50},
	}
}

// Lookup returns the default instrument for sym.
func Lookup(sym market.Symbol) (Instrument, bool) {
	for _, in := range Instruments() {
		if in.Symbol == sym {
			return in, true
		}
	}
	return Instrument{}, false
}
