package kis_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

// The connection drops twice mid-stream. Trades published while the client
// is away are lost (KIS does not replay) and reported as a gap; after each
// reconnect everything is registered again; the snapshot the server resends
// on subscribe is delivered once if new and dropped if already seen.
func TestFeedDropReconnectGapNoDouble(t *testing.T) {
	srv, c := start(t, kistest.Options{ReplayLastTrade: true}, nil)
	var rec recorder
	f := c.NewFeed(rec.handler(), kis.FeedOptions{MinBackoff: 300 * time.Millisecond})
	for _, tr := range []string{kis.TRTrade, kis.TROrderBook} {
		if err := f.Subscribe(ctx(t), tr, string(samsung)); err != nil {
			t.Fatal(err)
		}
	}
	runFeed(t, f)
	subscribed := func() bool {
		return srv.Subscribers(kis.TRTrade, string(samsung)) == 1 && srv.Subscribers(kis.TROrderBook, string(samsung)) == 1
	}
	publish := func(from, to int, wantDelivered int) {
		for i := from; i <= to; i++ {
			if n := srv.Publish(tick(samsung, i, 65000+int64(i)*100, 1)); n != wantDelivered {
				t.Fatalf("tick %d delivered to %d sessions, want %d", i, n, wantDelivered)
			}
		}
	}
	received := func(n int) func() bool { return func() bool { return len(rec.snapshot().trades) >= n } }

	waitFor(t, "subscribed", subscribed)
	publish(1, 10, 1)
	waitFor(t, "10 trades", received(10))

	drop1 := time.Now()
	if n := srv.DropConnections(); n != 1 {
		t.Fatalf("dropped %d connections", n)
	}
	publish(11, 13, 0) // nobody listening: lost
	waitFor(t, "resubscribed", subscribed)
	waitFor(t, "snapshot of tick 13", received(11))
	publish(14, 16, 1)
	waitFor(t, "16 trades", received(14))

	drop2 := time.Now()
	srv.DropConnections()
	waitFor(t, "resubscribed again", subscribed)
	publish(17, 18, 1) // the snapshot of tick 16 came before these and was dropped
	waitFor(t, "last trades", received(16))

	s := rec.snapshot()
	var got []int64
	for _, tr := range s.trades {
		got = append(got, tr.CumVolume)
	}
	want := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("cumulative volumes received %v\nwant %v", got, want)
	}
	if len(s.gaps) != 2 {
		t.Fatalf("%d gaps reported, want 2", len(s.gaps))
	}
	for i, drop := range []time.Time{drop1, drop2} {
		g := s.gaps[i]
		if g.From.After(drop) || g.To.Before(drop) || g.Cause == nil || g.Attempts < 1 {
			t.Errorf("gap %d = %+v, want From ≤ drop (%v) ≤ To", i, g, drop)
		}
	}
	if got := f.Subscriptions(); len(got) != 2 {
		t.Errorf("registrations after reconnects: %v", got)
	}
}

// The access token expires while the feed streams and orders flow: the
// next call renews it once and goes through; the feed is not disturbed.
func TestTokenExpiryMidSession(t *testing.T) {
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) { cfg.TokenMinInterval = time.Millisecond })
	var rec recorder
	f := c.NewFeed(rec.handler(), kis.FeedOptions{})
	_ = f.Subscribe(ctx(t), kis.TRTrade, string(samsung))
	_ = f.SubscribeNotices(ctx(t))
	runFeed(t, f)
	waitFor(t, "subscribed", func() bool { return srv.Subscribers(kis.TRNoticePaper, srv.Options().HTSID) == 1 })
	srv.Publish(tick(samsung, 0, 65000, 1))
	if _, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 1, Kind: kis.OrdMarket}); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	srv.Publish(tick(samsung, 1, 65100, 1))
	ack, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 2, Kind: kis.OrdMarket})
	if err != nil {
		t.Fatalf("order after expiry: %v", err)
	}
	if ack.Recovered {
		t.Error("order was not answered directly")
	}
	srv.Publish(tick(samsung, 2, 65200, 1))
	if n := srv.TokensIssued(); n != 2 {
		t.Errorf("%d tokens issued, want 2", n)
	}
	if n := len(srv.Orders()); n != 2 {
		t.Errorf("%d orders on the server, want 2", n)
	}
	waitFor(t, "3 trades and 4 notices", func() bool { s := rec.snapshot(); return len(s.trades) == 3 && len(s.notices) == 4 })
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A session that goes through every path that logs or fails — token issue
// and renewal, rate limits, a lost order, a refused order, a rejected
// approval key that KIS quotes back, dropped connections, notices — and
// nothing it logged or returned shows a credential.
func TestSessionOutputHasNoSecrets(t *testing.T) {
	var out syncBuffer
	logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) {
		cfg.Logger = logger
		cfg.TokenMinInterval = time.Millisecond
	})
	logErr := func(err error) {
		if err != nil {
			fmt.Fprintf(&out, "error: %v | %+v | %#v\n", err, err, err)
		}
	}
	var rec recorder
	h := rec.handler()
	h.Error = func(err error) { logErr(err) }
	h.Notice = func(n kis.Notice) { fmt.Fprintf(&out, "notice %v %s\n", n, n.String()) }
	h.Gap = func(g kis.Gap) { fmt.Fprintf(&out, "gap %+v\n", g) }
	f := c.NewFeed(h, kis.FeedOptions{MinBackoff: 10 * time.Millisecond})
	logErr(f.Subscribe(ctx(t), kis.TRTrade, string(samsung)))
	logErr(f.SubscribeNotices(ctx(t)))
	runFeed(t, f)
	waitFor(t, "subscribed", func() bool { return srv.Subscribers(kis.TRNoticePaper, srv.Options().HTSID) == 1 })

	srv.Publish(tick(samsung, 0, 65000, 1))
	_, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 1, Price: 65000})
	logErr(err)
	srv.RateLimitNext(2)
	srv.ExpireTokens()
	srv.LoseOrderResponses(1)
	_, err = c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 2, Price: 65000})
	logErr(err)
	_, err = c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: "000660", Side: market.Sell, Qty: 1, Price: 100})
	logErr(err)
	_, err = c.Balance(ctx(t))
	logErr(err)
	_, err = c.DailyOrders(ctx(t), kis.DailyQuery{})
	logErr(err)
	srv.ForgetApprovals()
	srv.DropConnections()
	waitFor(t, "the OPSP0011 refusal", func() bool { return strings.Contains(out.String(), "OPSP0011") })
	waitFor(t, "resubscribed", func() bool { return srv.Subscribers(kis.TRNoticePaper, srv.Options().HTSID) == 1 })
	srv.Publish(tick(samsung, 1, 65000, 1))
	waitFor(t, "notices", func() bool { return strings.Count(out.String(), "notice ") >= 3 })
	fmt.Fprintf(&out, "client %v %s %+v\n", c, c, f.Subscriptions())

	text := out.String()
	for _, want := range []string{"OPSP0011", "kis order", "APBK0400", "gap "} {
		if !strings.Contains(text, want) {
			t.Errorf("session output lacks %q: the paths under test did not run", want)
		}
	}
	for _, secret := range srv.Secrets() {
		if strings.Contains(text, secret) {
			t.Errorf("session output shows a secret %s", kis.Mask(secret))
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// A connection that goes silent (no data, no PINGPONG) is presumed dead
// after ReadTimeout: the feed reconnects, registers again and reports the gap.
func TestFeedSilentConnectionReconnects(t *testing.T) {
	srv, c := start(t, kistest.Options{PingInterval: time.Hour}, nil)
	var rec recorder
	f := c.NewFeed(rec.handler(), kis.FeedOptions{ReadTimeout: 200 * time.Millisecond, MinBackoff: 10 * time.Millisecond})
	_ = f.Subscribe(ctx(t), kis.TRTrade, string(samsung))
	runFeed(t, f)
	waitFor(t, "a gap", func() bool { return len(rec.snapshot().gaps) > 0 })
	waitFor(t, "resubscribed", func() bool { return srv.Subscribers(kis.TRTrade, string(samsung)) == 1 })
	g := rec.snapshot().gaps[0]
	if !strings.Contains(g.Cause.Error(), "timeout") || g.To.Before(g.From) {
		t.Errorf("gap %+v", g)
	}
}
