package paper

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/fill"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, market.Seoul)

func tick(sec int, price, vol int64) *market.Tick {
	return &market.Tick{Time: t0.Add(time.Duration(sec) * time.Second), Symbol: "005930", Price: price, Volume: vol}
}

func order(id int64, side market.Side, typ market.OrderType, qty, price int64) market.Order {
	return market.Order{ID: id, Strategy: "s", Symbol: "005930", Side: side, Type: typ, Qty: qty, Price: price,
		Created: t0, Status: market.OrderNew}
}

func TestBrokerFillsWithFeesAfterSubmit(t *testing.T) {
	b, err := New(fill.DefaultConfig()) // 1 tick slippage, volume cap, KRX fees
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Submit(order(1, market.Buy, market.MarketOrder, 10, 0)); err != nil {
		t.Fatal(err)
	}
	if err := b.Submit(order(2, market.Sell, market.LimitOrder, 5, 70_500)); err != nil {
		t.Fatal(err)
	}
	if got := b.OnTick(tick(0, 70_000, 100), nil); len(got) != 0 {
		t.Fatalf("filled on a print at the submit time: %+v", got)
	}
	fills := b.OnTick(tick(1, 70_000, 100), nil)
	if len(fills) != 1 {
		t.Fatalf("fills = %+v, want the market buy", fills)
	}
	f := fills[0]
	wantFee, _ := krx.DefaultFees().Compute(market.Buy, 10*70_100)
	if f.OrderID != 1 || f.Qty != 10 || f.Price != 70_100 || f.Fee != wantFee || f.Tax != 0 {
		t.Fatalf("buy fill %+v, want 10 @ 70,100 (one tick of slippage) with fee %d", f, wantFee)
	}
	fills = b.OnTick(tick(2, 70_600, 3), fills[:0]) // through the limit, 3 shares printed
	wantFee, wantTax := krx.DefaultFees().Compute(market.Sell, 3*70_500)
	if len(fills) != 1 || fills[0].Qty != 3 || fills[0].Price != 70_500 || fills[0].Fee != wantFee || fills[0].Tax != wantTax {
		t.Fatalf("sell fills %+v, want 3 @ 70,500 with fee %d tax %d", fills, wantFee, wantTax)
	}
	if b.Open() != 1 {
		t.Fatalf("open = %d, want the sell's remainder", b.Open())
	}
	if err := b.Cancel(2); err != nil {
		t.Fatal(err)
	}
	if err := b.Cancel(2); err == nil {
		t.Fatal("second cancel of the same order succeeded")
	}
	if got := b.OnTick(tick(3, 80_000, 100), nil); len(got) != 0 || b.Open() != 0 {
		t.Fatalf("fills after cancel: %+v, open %d", got, b.Open())
	}
}

func TestBrokerRefuses(t *testing.T) {
	if _, err := New(fill.Config{SlippageTicks: -1}); err == nil {
		t.Fatal("negative slippage accepted")
	}
	b, err := New(fill.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		o    market.Order
	}{
		{"off grid", order(1, market.Buy, market.LimitOrder, 1, 70_050)},
		{"no qty", order(2, market.Buy, market.MarketOrder, 0, 0)},
		{"finished", func() market.Order {
			o := order(3, market.Buy, market.MarketOrder, 1, 0)
			o.Status = market.OrderFilled
			return o
		}()},
	} {
		if err := b.Submit(tc.o); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	if err := b.Submit(order(4, market.Buy, market.MarketOrder, 1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := b.Submit(order(4, market.Buy, market.MarketOrder, 1, 0)); err == nil {
		t.Error("duplicate ID accepted")
	}
}
