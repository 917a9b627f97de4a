package kisbroker

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

const sym = market.Symbol("005930")

// markSym is a symbol no test trades: settle's marker trades.
const markSym = market.Symbol("000660")

// ledger is the engine side of a test: it records what the account
// delivers through Work, on one goroutine as the engine would.
type ledger struct {
	mu      sync.Mutex
	fills   []market.Fill
	updates []string
}

func (l *ledger) BrokerFill(strategy string, f market.Fill) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fills = append(l.fills, f)
	return nil
}

func (l *ledger) BrokerUpdate(strategy string, id int64, st market.OrderStatus, reason string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.updates = append(l.updates, fmt.Sprintf("%s %d %s %s", strategy, id, st, reason))
	return nil
}

// filled is the shares booked per engine order.
func (l *ledger) filled() map[int64]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[int64]int64{}
	for _, f := range l.fills {
		out[f.OrderID] += f.Qty
	}
	return out
}

func (l *ledger) count() (fills, updates int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.fills), len(l.updates)
}

// rig is a protocol server, a client, an Account and (when notices is
// true) a feed delivering execution notices to it.
type rig struct {
	srv  *kistest.Server
	c    *kis.Client
	acct *Account
	l    *ledger
	ctx  context.Context

	marks     *atomic.Int64 // marker trades the feed delivered; nil without a feed
	published int64         // marker trades published
}

func newRig(t *testing.T, opt kistest.Options, notices bool) *rig {
	t.Helper()
	return newRigLog(t, opt, notices, zerolog.Nop())
}

// newRigLog is newRig with the account logging to log.
func newRigLog(t *testing.T, opt kistest.Options, notices bool, log zerolog.Logger) *rig {
	t.Helper()
	srv, err := kistest.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	o := srv.Options()
	c, err := kis.New(kis.Config{Env: o.Env, AppKey: kis.Secret(o.AppKey), AppSecret: kis.Secret(o.AppSecret),
		Account: kis.Secret(o.Account), HTSID: kis.Secret(o.HTSID), BaseURL: srv.URL(), WSURL: srv.WSURL(),
		RatePerSecond: 1000, RateLimitBackoff: 5 * time.Millisecond, OrderCheckDelay: 20 * time.Millisecond, TokenMinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	acct, err := New(Config{Client: c, Fees: krx.DefaultTariff(), Reconcile: time.Hour, Recheck: 50 * time.Millisecond, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{srv: srv, c: c, acct: acct, l: &ledger{}, ctx: ctx}
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	t.Cleanup(cancel)
	wg.Go(func() { _ = acct.Run(ctx) })
	wg.Go(func() {
		for {
			select {
			case f := <-acct.Work():
				f(r.l)
			case <-ctx.Done():
				return
			}
		}
	})
	if notices {
		r.marks = new(atomic.Int64)
		onTrade := func(tr *kis.Trade) {
			if tr.Symbol == markSym {
				r.marks.Add(1)
			}
		}
		feed := c.NewFeed(kis.Handler{Notice: acct.Notice, Trade: onTrade}, kis.FeedOptions{MinBackoff: 10 * time.Millisecond})
		if err := feed.SubscribeNotices(ctx); err != nil {
			t.Fatal(err)
		}
		if err := feed.Subscribe(ctx, kis.TRTrade, string(markSym)); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { _ = feed.Run(ctx) })
		wait(t, "notice subscription", func() bool { return srv.Subscribers(c.NoticeTR(), o.HTSID) == 1 })
		wait(t, "marker subscription", func() bool { return srv.Subscribers(kis.TRTrade, string(markSym)) == 1 })
	}
	return r
}

// submit sends n market buys of qty shares, engine IDs from first.
func (r *rig) submit(t *testing.T, first int64, n int, qty int64) {
	t.Helper()
	b := r.acct.Broker("s")
	for i := range n {
		o := market.Order{ID: first + int64(i), Strategy: "s", Symbol: sym, Side: market.Buy, Type: market.MarketOrder, Qty: qty}
		if err := b.Submit(o); err != nil {
			t.Fatal(err)
		}
	}
}

// trade publishes a print of sym at 09:00:00+sec KST today.
func (r *rig) trade(sec int, price int64) {
	d := time.Now().In(market.Seoul)
	at := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, sec, 0, market.Seoul)
	r.srv.Publish(market.Tick{Time: at, Symbol: sym, Price: price, Volume: 1000})
}

// wait polls cond for up to 10 s.
func wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settle returns once everything already on its way has arrived, for
// checks that nothing more comes. It proves, by events rather than by
// waiting, that each path that could still deliver something has moved
// past what was sent before it: the account's worker has taken a marker
// queued after every order (so every PlaceOrder, with the notices KIS
// sends before answering it, and every reconcile started before are
// over); the feed, when the rig has one, has handled a marker trade the
// server wrote after every notice it had sent; and the engine side has
// run a marker scheduled after every fill and refusal.
func (r *rig) settle(t *testing.T) {
	t.Helper()
	r.acct.queue <- &order{state: withdrawn} // place ignores it
	wait(t, "the account's worker to take the marker", func() bool { return len(r.acct.queue) == 0 })
	if r.marks != nil {
		r.published++
		d := time.Now().In(market.Seoul)
		r.srv.Publish(market.Tick{Time: time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, market.Seoul),
			Symbol: markSym, Price: 1000, Volume: 1}) // raises the cumulative volume: never a duplicate
		wait(t, "the feed to handle the marker trade", func() bool { return r.marks.Load() == r.published })
	}
	done := make(chan struct{})
	r.acct.schedule(func(Books) { close(done) })
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("waited 10 s for the engine side to run the marker")
	}
}
