package kisbroker

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

func TestNoticeFillIsBookedOnceWithFees(t *testing.T) {
	r := newRig(t, kistest.Options{Cash: 10_000_000}, true)
	r.submit(t, 1, 1, 10)
	wait(t, "order at the server", func() bool { return len(r.srv.Orders()) == 1 })
	r.trade(1, 70_000)
	wait(t, "fill", func() bool { return r.l.filled()[1] == 10 })
	for range 3 { // the daily orders agree: nothing more to book
		if err := r.acct.Reconcile(r.ctx); err != nil {
			t.Fatal(err)
		}
	}
	r.settle(t)
	fills, updates := r.l.count()
	if fills != 1 || updates != 0 {
		t.Fatalf("%d fills and %d updates, want 1 and 0", fills, updates)
	}
	f := r.l.fills[0]
	fee, tax := krx.DefaultFees().Compute(market.Buy, 700_000)
	if f.Price != 70_000 || f.Fee != fee || f.Tax != tax || f.Strategy != "s" || f.Time.IsZero() {
		t.Fatalf("fill %+v", f)
	}
}

// Without notices, the daily orders find the fill: after two rounds that
// agree, once.
func TestReconcileBooksMissedFillOnce(t *testing.T) {
	r := newRig(t, kistest.Options{}, false)
	r.submit(t, 7, 1, 5)
	wait(t, "order at the server", func() bool { return len(r.srv.Orders()) == 1 })
	r.trade(1, 70_100)
	wait(t, "fill at the server", func() bool { return r.srv.Orders()[0].Filled == 5 })
	for i := range 4 {
		if err := r.acct.Reconcile(r.ctx); err != nil {
			t.Fatal(err)
		}
		r.settle(t)
		if got, want := r.l.filled()[7], int64(min(i, 1)*5); got != want {
			t.Fatalf("after reconcile %d: %d shares booked, want %d", i+1, got, want)
		}
	}
	if f := r.l.fills[0]; f.Price != 70_100 {
		t.Fatalf("reconciled fill at %d, want 70100", f.Price)
	}
}

func TestRateLimitStormLosesNoOrder(t *testing.T) {
	r := newRig(t, kistest.Options{}, true)
	r.srv.RateLimitNext(5)
	r.submit(t, 1, 12, 1)
	wait(t, "12 orders at the server", func() bool { return len(r.srv.Orders()) == 12 })
	r.trade(1, 70_000)
	wait(t, "12 fills", func() bool { n, _ := r.l.count(); return n == 12 })
	if r.srv.RateLimited() < 5 {
		t.Fatalf("server refused %d requests, want the storm of 5", r.srv.RateLimited())
	}
	r.settle(t)
	if _, u := r.l.count(); u != 0 || len(r.srv.Orders()) != 12 {
		t.Fatalf("%d refusals, %d orders at the server; want 0 and 12", u, len(r.srv.Orders()))
	}
}

func TestTokenExpiryMidSession(t *testing.T) {
	r := newRig(t, kistest.Options{}, true)
	r.submit(t, 1, 1, 1)
	wait(t, "first order", func() bool { return len(r.srv.Orders()) == 1 })
	r.srv.ExpireTokens()
	r.submit(t, 2, 1, 1)
	wait(t, "second order", func() bool { return len(r.srv.Orders()) == 2 })
	r.trade(1, 70_000)
	wait(t, "two fills", func() bool { n, _ := r.l.count(); return n == 2 })
	if r.srv.TokensIssued() != 2 {
		t.Fatalf("%d tokens issued, want 2 (the expired one renewed)", r.srv.TokensIssued())
	}
}

func TestLostOrderResponseSendsNoDuplicate(t *testing.T) {
	r := newRig(t, kistest.Options{}, true)
	r.srv.LoseOrderResponses(1)
	r.submit(t, 1, 1, 3)
	wait(t, "order recovered", func() bool {
		r.acct.mu.Lock()
		defer r.acct.mu.Unlock()
		return r.acct.orders[1].state == placed
	})
	r.trade(1, 70_000)
	wait(t, "fill", func() bool { return r.l.filled()[1] == 3 })
	if err := r.acct.Reconcile(r.ctx); err != nil {
		t.Fatal(err)
	}
	r.settle(t)
	if n := len(r.srv.Orders()); n != 1 {
		t.Fatalf("server got %d orders, want 1", n)
	}
	if fills, updates := r.l.count(); fills != 1 || updates != 0 {
		t.Fatalf("%d fills, %d updates; want 1, 0", fills, updates)
	}
}

func TestRefusedOrderIsRejectedInTheEngine(t *testing.T) {
	r := newRig(t, kistest.Options{Cash: 1000}, true)
	r.trade(0, 70_000) // a last price, so the server can price the market buy
	r.submit(t, 1, 1, 10)
	wait(t, "refusal", func() bool { _, u := r.l.count(); return u == 1 })
	if u := r.l.updates[0]; !strings.HasPrefix(u, "s 1 rejected kis:") {
		t.Fatalf("update %q", u)
	}
}

func TestCancel(t *testing.T) {
	r := newRig(t, kistest.Options{}, true)
	b := r.acct.Broker("s")
	o := market.Order{ID: 1, Symbol: sym, Side: market.Buy, Type: market.LimitOrder, Qty: 2, Price: 60_000}
	if err := b.Submit(o); err != nil {
		t.Fatal(err)
	}
	wait(t, "placed", func() bool {
		r.acct.mu.Lock()
		defer r.acct.mu.Unlock()
		return r.acct.orders[1].state == placed
	})
	if err := b.Cancel(1); err != nil {
		t.Fatal(err)
	}
	if !r.srv.Orders()[0].Cancelled {
		t.Fatal("the order is not cancelled at the server")
	}
	if err := b.Cancel(99); err == nil {
		t.Fatal("cancelling an unknown order succeeded")
	}
}

func TestSyncSplitsCashAndAssignsHoldings(t *testing.T) {
	r := newRig(t, kistest.Options{Cash: 10_000_001}, true)
	r.submit(t, 1, 1, 4)
	wait(t, "order", func() bool { return len(r.srv.Orders()) == 1 })
	r.trade(1, 50_000)
	wait(t, "fill", func() bool { return r.l.filled()[1] == 4 })
	fresh, err := New(Config{Client: r.c, Fees: krx.DefaultTariff()})
	if err != nil {
		t.Fatal(err)
	}
	shares, err := fresh.Sync(r.ctx, []Strategy{{Name: "b"}, {Name: "a", Symbols: []market.Symbol{sym}}})
	if err != nil {
		t.Fatal(err)
	}
	cash := r.srv.Cash()
	if shares[0].Cash+shares[1].Cash != cash || shares[1].Cash != cash-cash/2 || len(shares[0].Positions) != 0 {
		t.Fatalf("shares %+v of cash %d", shares, cash)
	}
	if p := shares[1].Positions; len(p) != 1 || p[0].Qty != 4 || p[0].Cost != 200_000 {
		t.Fatalf("a's positions %+v", p)
	}
	if !fresh.foreign["10001"] && len(fresh.foreign) != 1 {
		t.Fatalf("today's earlier order not remembered: %v", fresh.foreign)
	}
}

// The order request vanishes before KIS sees it: the daily orders do not
// have it, so the engine hears it was not placed, and nothing is sent twice.
func TestDroppedOrderRequestIsRefusedNotResent(t *testing.T) {
	r := newRig(t, kistest.Options{}, true)
	r.srv.DropOrderRequests(1)
	r.submit(t, 1, 1, 2)
	wait(t, "refusal", func() bool { _, u := r.l.count(); return u == 1 })
	if u := r.l.updates[0]; !strings.Contains(u, "rejected") || !strings.Contains(u, "not found") {
		t.Fatalf("update %q", u)
	}
	r.submit(t, 2, 1, 2) // the next order goes through
	wait(t, "second order", func() bool { return len(r.srv.Orders()) == 1 })
	r.settle(t)
	if n := len(r.srv.Orders()); n != 1 {
		t.Fatalf("%d orders at the server, want 1", n)
	}
}

// Notices as KIS words them: a repeated fill is booked once, a refusal
// ends the order, acceptances and cancel confirmations change nothing.
func TestNoticeKinds(t *testing.T) {
	r := newRig(t, kistest.Options{}, false)
	r.submit(t, 1, 1, 5)
	r.submit(t, 2, 1, 5)
	wait(t, "placed", func() bool {
		r.acct.mu.Lock()
		defer r.acct.mu.Unlock()
		return r.acct.orders[1].state == placed && r.acct.orders[2].state == placed
	})
	no := func(id int64) string {
		r.acct.mu.Lock()
		defer r.acct.mu.Unlock()
		return "00000" + r.acct.orders[id].no // KIS pads order numbers
	}
	fill := kis.Notice{OrderNo: no(1), Side: market.Buy, Symbol: sym, Filled: true, FillQty: 5, FillPrice: 70_000, Time: "091500", Correction: '0'}
	for _, n := range []kis.Notice{
		{OrderNo: no(1), Side: market.Buy, Symbol: sym, Correction: '0'}, // accepted
		fill,
		fill, // repeated
		{OrderNo: "99999", OrigOrderNo: no(2), Correction: '2', Rejected: true}, // a cancel request refused
		{OrderNo: no(2), Side: market.Buy, Symbol: sym, Rejected: true, Correction: '0'},
	} {
		r.acct.Notice(n)
	}
	wait(t, "fill and refusal", func() bool { f, u := r.l.count(); return f == 1 && u == 1 })
	r.settle(t)
	if f, u := r.l.count(); f != 1 || u != 1 || !strings.HasPrefix(r.l.updates[0], "s 2 rejected") {
		t.Fatalf("%d fills, updates %v; want 1 fill and order 2 rejected", f, r.l.updates)
	}
	if f := r.l.fills[0]; f.Qty != 5 || f.Time.Format("15:04:05") != "09:15:00" || f.Time.Location() != market.Seoul {
		t.Fatalf("fill %+v", f)
	}
}

// After a gap in the notices, ReconcileSoon finds the fill without
// waiting for the timer (an hour in these tests).
func TestReconcileSoon(t *testing.T) {
	r := newRig(t, kistest.Options{}, false)
	r.submit(t, 1, 1, 2)
	wait(t, "order", func() bool { return len(r.srv.Orders()) == 1 })
	r.trade(1, 70_000)
	wait(t, "fill at the server", func() bool { return r.srv.Orders()[0].Filled == 2 })
	r.acct.ReconcileSoon() // the first look sees the shortfall, the recheck books it
	wait(t, "the fill booked", func() bool { return r.l.filled()[1] == 2 })
	r.settle(t)
	if n, _ := r.l.count(); n != 1 {
		t.Fatalf("%d fills booked, want 1", n)
	}
}

// The server restarts with a fresh account, as KIS's paper server may: the
// check after the gap says what changed (the 4 shares bought are gone, the
// cash is back to its start) and cancels in the engine the limit order KIS
// no longer lists.
func TestCheckAfterGapSaysWhatChanged(t *testing.T) {
	log := &syncWriter{w: new(bytes.Buffer)}
	r := newRigLog(t, kistest.Options{}, false, zerolog.New(log))
	if _, err := r.acct.Sync(r.ctx, []Strategy{{Name: "s", Symbols: []market.Symbol{sym}}}); err != nil {
		t.Fatal(err)
	}
	r.submit(t, 1, 1, 4)
	wait(t, "order", func() bool { return len(r.srv.Orders()) == 1 })
	r.trade(1, 50_000)
	r.acct.ReconcileSoon() // books the fill without a feed
	wait(t, "fill", func() bool { return r.l.filled()[1] == 4 })
	resting := market.Order{ID: 2, Strategy: "s", Symbol: sym, Side: market.Buy, Type: market.LimitOrder, Qty: 1, Price: 40_000}
	if err := r.acct.Broker("s").Submit(resting); err != nil {
		t.Fatal(err)
	}
	wait(t, "resting order", func() bool { return len(r.srv.Orders()) == 2 })
	r.settle(t)

	opt := r.srv.Options()
	if err := r.srv.Close(); err != nil {
		t.Fatal(err)
	}
	fresh, err := kistest.New(kistest.Options{RESTAddr: strings.TrimPrefix(r.srv.URL(), "http://"),
		WSAddr: strings.TrimPrefix(r.srv.WSURL(), "ws://"), AppKey: opt.AppKey, AppSecret: opt.AppSecret,
		Account: opt.Account, HTSID: opt.HTSID, Env: opt.Env})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fresh.Close() })
	r.acct.ReconcileSoon()
	wait(t, "the vanished order cancelled", func() bool {
		_, n := r.l.count()
		return n > 0
	})
	r.l.mu.Lock()
	updates := slices.Clone(r.l.updates)
	r.l.mu.Unlock()
	if len(updates) != 1 || updates[0] != "s 2 cancelled not at kis after the feed's gap" {
		t.Fatalf("engine updates %q, want order 2 cancelled as not at kis", updates)
	}
	r.settle(t)
	out := log.String()
	for _, want := range []string{`"symbol":"005930","kis":0,"booked":4`, "kis cash after the gap differs", `"changes":3`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

// syncWriter lets the account's goroutine and the test share a buffer.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}
