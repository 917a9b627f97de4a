package kis_test

import (
	"testing"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

// What a broker adapter does: positions and cash kept from the execution
// notices alone agree with the balance and the daily fills KIS reports.
func TestNoticesAgreeWithBalanceAndDailyFills(t *testing.T) {
	srv, c := start(t, kistest.Options{Cash: 5_000_000}, nil)
	var rec recorder
	f := c.NewFeed(rec.handler(), kis.FeedOptions{})
	if err := f.SubscribeNotices(ctx(t)); err != nil {
		t.Fatal(err)
	}
	runFeed(t, f)
	waitFor(t, "notices", func() bool { return srv.Subscribers(kis.TRNoticePaper, srv.Options().HTSID) == 1 })

	hynix := market.Symbol("000660")
	srv.Publish(tick(samsung, 0, 65000, 1))
	srv.Publish(tick(hynix, 0, 180000, 1))
	steps := []struct {
		req   kis.OrderRequest
		trade market.Tick
	}{
		{kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 20, Kind: kis.OrdMarket}, tick(samsung, 1, 65100, 5)},
		{kis.OrderRequest{Symbol: hynix, Side: market.Buy, Qty: 5, Price: 181000}, tick(hynix, 2, 180500, 5)},
		{kis.OrderRequest{Symbol: samsung, Side: market.Sell, Qty: 8, Price: 65500}, tick(samsung, 3, 65600, 5)},
		{kis.OrderRequest{Symbol: hynix, Side: market.Sell, Qty: 5, Kind: kis.OrdMarket}, tick(hynix, 4, 179000, 5)},
		{kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 3, Price: 60000}, tick(samsung, 5, 65400, 5)}, // rests
	}
	for _, s := range steps {
		if _, err := c.PlaceOrder(ctx(t), s.req); err != nil {
			t.Fatal(err)
		}
		srv.Publish(s.trade)
	}
	waitFor(t, "9 notices", func() bool { return len(rec.snapshot().notices) == 9 }) // 5 acceptances, 4 fills

	cash := int64(5_000_000)
	pos := map[market.Symbol]int64{}
	filled := map[string]int64{}
	for _, n := range rec.snapshot().notices {
		if !n.Filled {
			continue
		}
		filled[n.OrderNo] += n.FillQty
		v := n.FillQty * n.FillPrice
		if n.Side == market.Buy {
			cash, pos[n.Symbol] = cash-v, pos[n.Symbol]+n.FillQty
		} else {
			cash, pos[n.Symbol] = cash+v, pos[n.Symbol]-n.FillQty
		}
	}
	bal, err := c.Balance(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if bal.Cash != cash {
		t.Errorf("balance cash %d, notices say %d", bal.Cash, cash)
	}
	held := map[market.Symbol]int64{}
	for _, h := range bal.Holdings {
		held[h.Symbol] = h.Qty
	}
	for sym, q := range pos {
		if held[sym] != q {
			t.Errorf("%s: balance %d shares, notices say %d", sym, held[sym], q)
		}
	}
	if pos[samsung] != 12 || pos[hynix] != 0 {
		t.Errorf("positions %v, want 005930:12 000660:0", pos)
	}
	recs, err := c.DailyOrders(ctx(t), kis.DailyQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.FilledQty != filled[r.OrderNo] {
			t.Errorf("order %s: daily fills %d, notices %d", r.OrderNo, r.FilledQty, filled[r.OrderNo])
		}
	}
	if len(recs) != 5 {
		t.Errorf("%d daily records, want 5", len(recs))
	}
}
