package kis_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

// recorder collects what a feed delivers.
type recorder struct {
	mu      sync.Mutex
	trades  []kis.Trade
	books   []kis.OrderBook
	notices []kis.Notice
	gaps    []kis.Gap
	errs    []error
}

func (r *recorder) handler() kis.Handler {
	return kis.Handler{
		Trade:     func(t *kis.Trade) { r.mu.Lock(); r.trades = append(r.trades, *t); r.mu.Unlock() },
		OrderBook: func(b *kis.OrderBook) { r.mu.Lock(); r.books = append(r.books, *b); r.mu.Unlock() },
		Notice:    func(n kis.Notice) { r.mu.Lock(); r.notices = append(r.notices, n); r.mu.Unlock() },
		Gap:       func(g kis.Gap) { r.mu.Lock(); r.gaps = append(r.gaps, g); r.mu.Unlock() },
		Error:     func(err error) { r.mu.Lock(); r.errs = append(r.errs, err); r.mu.Unlock() },
	}
}

func (r *recorder) snapshot() recorder {
	r.mu.Lock()
	defer r.mu.Unlock()
	return recorder{trades: append([]kis.Trade(nil), r.trades...), books: append([]kis.OrderBook(nil), r.books...),
		notices: append([]kis.Notice(nil), r.notices...), gaps: append([]kis.Gap(nil), r.gaps...), errs: append([]error(nil), r.errs...)}
}

// waitFor polls cond until it holds or 10 s pass (a bound, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runFeed starts f.Run and returns a channel with its result.
func runFeed(t *testing.T, f *kis.Feed) (context.CancelFunc, <-chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	stopped := make(chan struct{})
	go func() { done <- f.Run(ctx); close(stopped) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-stopped:
		case <-time.After(5 * time.Second):
			t.Error("feed did not stop")
		}
	})
	return cancel, done
}

func TestFeedTradesAndOrderBook(t *testing.T) {
	srv, c := start(t, kistest.Options{}, nil)
	var rec recorder
	f := c.NewFeed(rec.handler(), kis.FeedOptions{})
	for _, tr := range []string{kis.TRTrade, kis.TROrderBook} {
		if err := f.Subscribe(ctx(t), tr, string(samsung)); err != nil {
			t.Fatal(err)
		}
	}
	runFeed(t, f)
	waitFor(t, "subscriptions", func() bool { return srv.Subscribers(kis.TROrderBook, string(samsung)) == 1 })
	prices := []int64{65800, 65900, 65700}
	for i, p := range prices {
		srv.Publish(tick(samsung, i, p, int64(10*(i+1))))
	}
	waitFor(t, "3 trades and books", func() bool { s := rec.snapshot(); return len(s.trades) == 3 && len(s.books) == 3 })
	s := rec.snapshot()
	cum := int64(0)
	for i, tr := range s.trades {
		cum += int64(10 * (i + 1))
		want := tick(samsung, i, prices[i], int64(10*(i+1)))
		if tr.Price != prices[i] || tr.Volume != want.Volume || tr.CumVolume != cum || !tr.Time.Equal(want.Time) || tr.Symbol != samsung {
			t.Errorf("trade %d = %+v", i, tr)
		}
	}
	if b := s.books[2]; b.Asks[0] != 65700 || b.Bids[0] != 65600 || b.Asks[9] != 66600 || b.Mid != 65650 || b.Fields != 62 {
		t.Errorf("book = %+v", b)
	}
	if len(s.errs) != 0 {
		t.Errorf("errors: %v", s.errs)
	}
}

func TestFeedAnswersPingPong(t *testing.T) {
	srv, c := start(t, kistest.Options{PingInterval: 20 * time.Millisecond}, nil)
	f := c.NewFeed(kis.Handler{}, kis.FeedOptions{})
	if err := f.Subscribe(ctx(t), kis.TRTrade, string(samsung)); err != nil {
		t.Fatal(err)
	}
	runFeed(t, f)
	waitFor(t, "3 PINGPONG answers", func() bool { return srv.Pongs() >= 3 })
}

func TestFeedRegistrationLimit(t *testing.T) {
	t.Run("client side", func(t *testing.T) {
		_, c := start(t, kistest.Options{}, nil)
		f := c.NewFeed(kis.Handler{}, kis.FeedOptions{})
		for i := 0; i < kis.MaxRegistrations; i++ {
			if err := f.Subscribe(ctx(t), kis.TRTrade, fmt.Sprintf("%06d", i)); err != nil {
				t.Fatal(err)
			}
		}
		err := f.Subscribe(ctx(t), kis.TRTrade, "999999")
		if !errors.Is(err, kis.ErrMaxSubscriptions) || !strings.Contains(err.Error(), "at most 41") {
			t.Fatalf("42nd registration: %v", err)
		}
		if n := len(f.Subscriptions()); n != 41 {
			t.Errorf("%d registrations kept", n)
		}
	})
	t.Run("server side", func(t *testing.T) {
		srv, c := start(t, kistest.Options{MaxSubscriptions: 2}, nil)
		var rec recorder
		f := c.NewFeed(rec.handler(), kis.FeedOptions{})
		for _, sym := range []string{"005930", "000660", "035420"} {
			if err := f.Subscribe(ctx(t), kis.TRTrade, sym); err != nil {
				t.Fatal(err)
			}
		}
		runFeed(t, f)
		waitFor(t, "the refusal", func() bool { return len(rec.snapshot().errs) > 0 })
		if err := rec.snapshot().errs[0]; !errors.Is(err, kis.ErrMaxSubscriptions) || !strings.Contains(err.Error(), "035420") {
			t.Errorf("refusal = %v", err)
		}
		waitFor(t, "the refused registration dropped", func() bool { return len(f.Subscriptions()) == 2 })
		if srv.Subscribers(kis.TRTrade, "000660") != 1 {
			t.Error("accepted registration missing on the server")
		}
	})
}

func TestFeedUnsubscribe(t *testing.T) {
	srv, c := start(t, kistest.Options{}, nil)
	var rec recorder
	f := c.NewFeed(rec.handler(), kis.FeedOptions{})
	if err := f.Subscribe(ctx(t), kis.TRTrade, string(samsung)); err != nil {
		t.Fatal(err)
	}
	runFeed(t, f)
	waitFor(t, "subscription", func() bool { return srv.Subscribers(kis.TRTrade, string(samsung)) == 1 })
	if err := f.Unsubscribe(ctx(t), kis.TRTrade, string(samsung)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "unsubscription", func() bool { return srv.Subscribers(kis.TRTrade, string(samsung)) == 0 })
	if err := f.Unsubscribe(ctx(t), kis.TRTrade, string(samsung)); !errors.Is(err, kis.ErrNotSubscribed) {
		t.Errorf("second unsubscribe: %v", err)
	}
}

// Orders through REST come back as decrypted execution notices: first the
// acceptance, then the fill.
func TestFeedExecutionNotices(t *testing.T) {
	srv, c := start(t, kistest.Options{}, nil)
	var rec recorder
	f := c.NewFeed(rec.handler(), kis.FeedOptions{})
	if err := f.SubscribeNotices(ctx(t)); err != nil {
		t.Fatal(err)
	}
	runFeed(t, f)
	o := srv.Options()
	waitFor(t, "notice subscription", func() bool { return srv.Subscribers(kis.TRNoticePaper, o.HTSID) == 1 })
	srv.Publish(tick(samsung, 0, 65800, 1))
	ack, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 7, Price: 65800})
	if err != nil {
		t.Fatal(err)
	}
	srv.Publish(tick(samsung, 1, 65700, 3))
	waitFor(t, "2 notices", func() bool { return len(rec.snapshot().notices) == 2 })
	ns := rec.snapshot().notices
	a, fl := ns[0], ns[1]
	if a.Filled || a.OrderNo != ack.OrderNo || a.OrderQty != 7 || a.OrderPrice != 65800 || a.Side != market.Buy || a.Account != o.Account {
		t.Errorf("acceptance = %+v", a)
	}
	if !fl.Filled || fl.OrderNo != ack.OrderNo || fl.FillQty != 7 || fl.FillPrice != 65700 || fl.Symbol != samsung || fl.Branch != ack.Branch {
		t.Errorf("fill = %+v", fl)
	}
}

func TestFeedAlreadyInUse(t *testing.T) {
	t.Run("switched on", func(t *testing.T) {
		srv, c := start(t, kistest.Options{}, nil)
		srv.SetAlreadyInUse(true)
		f := c.NewFeed(kis.Handler{}, kis.FeedOptions{})
		_ = f.Subscribe(ctx(t), kis.TRTrade, string(samsung))
		_, done := runFeed(t, f)
		select {
		case err := <-done:
			if !errors.Is(err, kis.ErrAlreadyInUse) || !strings.Contains(err.Error(), "OPSP8996") ||
				!strings.Contains(err.Error(), "one WebSocket session per app key") {
				t.Fatalf("Run = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run kept going")
		}
	})
	t.Run("second session", func(t *testing.T) {
		srv, c := start(t, kistest.Options{}, nil)
		first := c.NewFeed(kis.Handler{}, kis.FeedOptions{})
		_ = first.Subscribe(ctx(t), kis.TRTrade, string(samsung))
		runFeed(t, first)
		waitFor(t, "first session", func() bool { return srv.Subscribers(kis.TRTrade, string(samsung)) == 1 })
		second := c.NewFeed(kis.Handler{}, kis.FeedOptions{})
		_ = second.Subscribe(ctx(t), kis.TRTrade, "000660")
		_, done := runFeed(t, second)
		select {
		case err := <-done:
			if !errors.Is(err, kis.ErrAlreadyInUse) {
				t.Fatalf("Run = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("second session kept going")
		}
	})
}
