package fill

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// The KRX tick size of a KOSPI stock by price band and date, written out
// here rather than taken from lib/krx. From 2023-01-25: below 2,000 won 1;
// below 5,000 5; below 20,000 10; below 50,000 50; below 200,000 100; below
// 500,000 500; from 500,000 1,000. Before: below 1,000 1; below 5,000 5;
// below 10,000 10; below 50,000 50; below 100,000 100; below 500,000 500;
// from 500,000 1,000.
func tickAt(at time.Time, p int64) int64 {
	if at.Before(time.Date(2023, 1, 25, 0, 0, 0, 0, market.Seoul)) {
		switch {
		case p < 1_000:
			return 1
		case p < 5_000:
			return 5
		case p < 10_000:
			return 10
		case p < 50_000:
			return 50
		case p < 100_000:
			return 100
		case p < 500_000:
			return 500
		}
		return 1_000
	}
	switch {
	case p < 2_000:
		return 1
	case p < 5_000:
		return 5
	case p < 20_000:
		return 10
	case p < 50_000:
		return 50
	case p < 200_000:
		return 100
	case p < 500_000:
		return 500
	}
	return 1_000
}

// moveTicks moves an on-grid price n ticks at date at, one at a time: up
// by the tick of the price, down by the tick of the next lower price (so
// in 2026 2,000 − 1 tick is 1,999 and 2,000 + 1 tick is 2,005).
func moveTicks(at time.Time, p int64, n int) int64 {
	for ; n > 0; n-- {
		p += tickAt(at, p)
	}
	for ; n < 0 && p > 1; n++ {
		p -= tickAt(at, p-1)
	}
	return p
}

// onGrid snaps p down to the grid of date at.
func onGrid(at time.Time, p int64) int64 { return p - p%tickAt(at, p) }

// kospiSellBP is the KOSPI securities transaction tax and rural special tax
// in hundredths of a basis point (1,500 = 0.15 %) by the fill's KST trade
// date, from the statutes cited in lib/krx/taxes.go, written out here:
// 0.15+0.15 % to 2019-05-29; 0.10+0.15 % from 2019-05-30; 0.08+0.15 % from
// 2020-12-29; 0.05+0.15 % from 2022-12-28; 0.03+0.15 % from 2023-12-27;
// 0+0.15 % from 2024-12-27; 0.05+0.15 % from 2025-12-29.
func kospiSellBP(at time.Time) (transaction, rural int64) {
	y, m, d := at.In(time.FixedZone("KST", 9*3600)).Date()
	day := y*10000 + int(m)*100 + d
	switch {
	case day >= 20251229:
		return 500, 1500
	case day >= 20241227:
		return 0, 1500
	case day >= 20231227:
		return 300, 1500
	case day >= 20221228:
		return 500, 1500
	case day >= 20201229:
		return 800, 1500
	case day >= 20190530:
		return 1000, 1500
	}
	return 1500, 1500
}

// wantCosts is a fill's commission (0.015 % of its value, rounded down to
// the won) and, on a sale, its two taxes, each rounded down on its own.
// Rates are in hundredths of a basis point, so x/1,000,000 of the value.
func wantCosts(f *market.Fill) (fee, tax int64) {
	value := f.Qty * f.Price
	fee = value * 150 / 1_000_000
	if f.Side == market.Sell {
		tr, ru := kospiSellBP(f.Time)
		tax = value*tr/1_000_000 + value*ru/1_000_000
	}
	return fee, tax
}

// tracked is the test's own record of an order it submitted.
type tracked struct {
	o         market.Order
	live      time.Time // submit time + latency
	filled    int64     // Σ its fills so far
	cancelled bool      // Cancel reported it working and withdrew it
}

func (tr *tracked) working() bool { return !tr.cancelled && tr.filled < tr.o.Qty }

// Thousands of random sessions of submissions, cancels and prints (real
// ones and ones made from bars), under random configurations and trade
// dates across every tax period, checked fill by fill against rules the
// test works out on its own.
func TestFillModelProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	// Trade dates around each change of the KOSPI sell tax, and ordinary
	// ones; sessions may start just before 09:00 KST, when the UTC date is
	// still the day before.
	days := []time.Time{}
	for _, d := range []int{20160104, 20190529, 20190530, 20201228, 20201229, 20221227, 20221228,
		20231226, 20231227, 20241226, 20241227, 20251226, 20251229, 20260302} {
		days = append(days, time.Date(d/10000, time.Month(d/100%100), d%100, 8, 59, 0, 0, market.Seoul))
	}
	bases := []int64{1_500, 1_999, 4_995, 7_000, 19_990, 45_000, 49_950, 72_000, 199_900, 350_000, 499_500, 600_000}
	var fills, capped, mkts, limits, cancels int
	for c := range 2000 {
		cfg := Config{
			SlippageTicks:    rng.IntN(4),
			CapToVolume:      rng.IntN(2) == 0,
			LimitFillOnTouch: rng.IntN(2) == 0,
			Fees:             krx.DefaultTariff(),
		}
		if rng.IntN(3) == 0 {
			cfg.Latency = time.Duration(rng.IntN(3)) * time.Second
		}
		m := New(cfg)
		now := days[rng.IntN(len(days))].Add(time.Duration(rng.IntN(120)) * time.Second)
		price := onGrid(now, bases[rng.IntN(len(bases))])
		orders := map[int64]*tracked{}
		var ids []int64
		nextID := int64(1)
		var out []market.Fill
		for range 40 + rng.IntN(40) {
			now = now.Add(time.Duration(rng.IntN(3)) * time.Second) // 0: the same instant again
			switch r := rng.IntN(10); {
			case r < 3: // submit
				o := market.Order{ID: nextID, Strategy: "p", Symbol: sym, Qty: 1 + rng.Int64N(300), Status: market.OrderNew,
					Side: market.Buy, Type: market.MarketOrder}
				if rng.IntN(2) == 0 {
					o.Side = market.Sell
				}
				if rng.IntN(2) == 0 {
					o.Type, o.Price = market.LimitOrder, moveTicks(now, price, rng.IntN(9)-4)
				}
				nextID++
				if err := m.Submit(o, now); err != nil {
					t.Fatalf("case %d: submit %+v: %v", c, o, err)
				}
				orders[o.ID] = &tracked{o: o, live: now.Add(cfg.Latency)}
				ids = append(ids, o.ID)
			case r < 4 && len(ids) > 0: // cancel any order ever submitted
				id := ids[rng.IntN(len(ids))]
				tr := orders[id]
				was := tr.working()
				if got := m.Cancel(id, now); got != was {
					t.Fatalf("case %d: Cancel(%d) = %v, but the order is working: %v (%+v)", c, id, got, was, tr)
				}
				if was {
					tr.cancelled = true
					cancels++
				}
			default: // a print
				price = max(1, moveTicks(now, price, rng.IntN(5)-2))
				tk := market.Tick{Time: now, Symbol: sym, Price: price, Volume: rng.Int64N(400)}
				if rng.IntN(3) == 0 { // made from a bar: low..high around it
					low, high := moveTicks(now, price, -rng.IntN(4)), moveTicks(now, price, rng.IntN(4))
					tk.From = market.BarPoint{Frame: market.Day1, Low: low, High: high, Open: rng.IntN(2) == 0}
				}
				if rng.IntN(10) == 0 {
					tk.Symbol = "000660" // another symbol's print fills nothing here
				}
				out = m.OnTick(&tk, out[:0])
				checkPrint(t, c, cfg, &tk, out, orders)
				fills += len(out)
				if cfg.CapToVolume {
					capped++
				}
				for i := range out {
					if orders[out[i].OrderID].o.Type == market.MarketOrder {
						mkts++
					} else {
						limits++
					}
				}
			}
			// The model's working orders are exactly the test's, with the
			// test's fill counts.
			var open []market.Order
			open = m.Orders(open)
			n := 0
			for _, id := range ids {
				if orders[id].working() {
					n++
				}
			}
			if len(open) != n || m.Open() != n {
				t.Fatalf("case %d: %d orders working (Open %d), the test counts %d", c, len(open), m.Open(), n)
			}
			for _, o := range open {
				tr := orders[o.ID]
				if !tr.working() || o.FilledQty != tr.filled || o.Remaining() != tr.o.Qty-tr.filled {
					t.Fatalf("case %d: working order %+v, the test has filled %d of %d (cancelled %v)", c, o, tr.filled, tr.o.Qty, tr.cancelled)
				}
			}
		}
	}
	// The random sessions must have exercised every path.
	if fills < 5000 || mkts < 1000 || limits < 1000 || cancels < 500 || capped == 0 {
		t.Fatalf("weak coverage: %d fills (%d market, %d limit), %d cancels", fills, mkts, limits, cancels)
	}
}

// checkPrint checks the fills one print gave.
func checkPrint(t *testing.T, c int, cfg Config, tk *market.Tick, out []market.Fill, orders map[int64]*tracked) {
	t.Helper()
	var used int64
	seen := map[int64]bool{}
	for i := range out {
		f := &out[i]
		tr, ok := orders[f.OrderID]
		switch {
		case !ok:
			t.Fatalf("case %d: fill %+v of an order never submitted", c, f)
		case tr.cancelled:
			t.Fatalf("case %d: fill %+v of order %d after it was cancelled", c, f, f.OrderID)
		case seen[f.OrderID]:
			t.Fatalf("case %d: order %d filled twice on one print", c, f.OrderID)
		case f.Qty <= 0 || f.Qty > tr.o.Qty-tr.filled:
			t.Fatalf("case %d: fill of %d shares, order %d has %d left", c, f.Qty, f.OrderID, tr.o.Qty-tr.filled)
		case f.Symbol != tk.Symbol || tr.o.Symbol != tk.Symbol || f.Side != tr.o.Side || !f.Time.Equal(tk.Time):
			t.Fatalf("case %d: fill %+v of order %+v on print %+v", c, f, tr.o, tk)
		}
		// No look-ahead: strictly after the order went live, or a bar's
		// open at that instant.
		if !(tk.Time.After(tr.live) || tk.From.Open && tk.Time.Equal(tr.live)) {
			t.Fatalf("case %d: order %d live at %v filled on a print at %v", c, f.OrderID, tr.live, tk.Time)
		}
		if tk.Synthetic() && (f.Price < tk.From.Low || f.Price > tk.From.High) {
			t.Fatalf("case %d: fill at %d outside its bar %d..%d", c, f.Price, tk.From.Low, tk.From.High)
		}
		switch {
		case tr.o.Type == market.MarketOrder:
			want := moveTicks(tk.Time, tk.Price, cfg.SlippageTicks)
			if tr.o.Side == market.Sell {
				want = moveTicks(tk.Time, tk.Price, -cfg.SlippageTicks)
			}
			if tk.Synthetic() {
				want = min(max(want, tk.From.Low), tk.From.High)
			}
			if f.Price != want {
				t.Fatalf("case %d: market %s on a print at %d (slippage %d, %+v) filled at %d, want %d",
					c, f.Side, tk.Price, cfg.SlippageTicks, tk.From, f.Price, want)
			}
		case tr.o.Side == market.Buy && f.Price > tr.o.Price, tr.o.Side == market.Sell && f.Price < tr.o.Price:
			t.Fatalf("case %d: limit %s at %d filled at %d", c, f.Side, tr.o.Price, f.Price)
		case tr.o.Side == market.Buy && tk.Price > tr.o.Price, tr.o.Side == market.Sell && tk.Price < tr.o.Price:
			t.Fatalf("case %d: limit %s at %d filled on a print at %d, the wrong side of it", c, f.Side, tr.o.Price, tk.Price)
		case !cfg.LimitFillOnTouch && tk.Price == tr.o.Price:
			t.Fatalf("case %d: limit %s at %d filled on a touch", c, f.Side, tr.o.Price)
		}
		if fee, tax := wantCosts(f); f.Fee != fee || f.Tax != tax {
			t.Fatalf("case %d: fill %+v at %v: fee %d, tax %d; want %d, %d", c, f, f.Time.UTC(), f.Fee, f.Tax, fee, tax)
		}
		seen[f.OrderID] = true
		tr.filled += f.Qty
		used += f.Qty
	}
	if cfg.CapToVolume && used > tk.Volume {
		t.Fatalf("case %d: a print of %d shares filled %d", c, tk.Volume, used)
	}
	// A live market order of the print's symbol is left working only when
	// the print's volume is used up (capped): uncapped, every one fills in
	// full.
	for id, tr := range orders {
		if tr.working() && tr.o.Type == market.MarketOrder && tr.o.Symbol == tk.Symbol &&
			(tk.Time.After(tr.live) || tk.From.Open && tk.Time.Equal(tr.live)) &&
			!(cfg.CapToVolume && used == tk.Volume) {
			t.Fatalf("case %d: live market order %d (%+v) left working after print %+v (capped %v, %d of its shares used)",
				c, id, tr, tk, cfg.CapToVolume, used)
		}
	}
}
