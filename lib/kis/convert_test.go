package kis

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func TestRequestFor(t *testing.T) {
	cases := []struct {
		o    market.Order
		want OrderRequest
		err  bool
	}{
		{market.Order{Symbol: "005930", Side: market.Buy, Type: market.MarketOrder, Qty: 10},
			OrderRequest{Symbol: "005930", Side: market.Buy, Kind: OrdMarket, Qty: 10}, false},
		{market.Order{Symbol: "005930", Side: market.Sell, Type: market.LimitOrder, Qty: 10, FilledQty: 4, Price: 65800},
			OrderRequest{Symbol: "005930", Side: market.Sell, Kind: OrdLimit, Qty: 6, Price: 65800}, false},
		{market.Order{Symbol: "005930", Side: market.Sell, Type: market.LimitOrder, Qty: 10}, OrderRequest{}, true},
		{market.Order{Symbol: "005930", Side: market.Sell, Type: 9, Qty: 10}, OrderRequest{}, true},
	}
	for i, c := range cases {
		got, err := RequestFor(&c.o)
		if (err != nil) != c.err || (!c.err && got != c.want) {
			t.Errorf("case %d: %+v %v", i, got, err)
		}
	}
}

func TestNoticeFillTime(t *testing.T) {
	n := Notice{OrderNo: "1", Time: "093015"}
	got, err := n.FillTime(time.Date(2026, 11, 26, 0, 30, 0, 0, time.UTC)) // 09:30 KST that day
	if err != nil || !got.Equal(time.Date(2026, 11, 26, 9, 30, 15, 0, market.Seoul)) {
		t.Errorf("%v %v", got, err)
	}
	n.Time = "9315"
	if _, err := n.FillTime(time.Now()); err == nil {
		t.Error("bad time accepted")
	}
}

func TestSameOrderNo(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{{"0000006555", "6555", true}, {"6555", "6555", true}, {"0000006555", "0000006556", false}, {"0", "0000000000", true}, {"", "0", false}}
	for _, c := range cases {
		if got := SameOrderNo(c.a, c.b); got != c.want {
			t.Errorf("SameOrderNo(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
