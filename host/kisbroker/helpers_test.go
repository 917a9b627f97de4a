package kisbroker

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

const sym = market.Symbol("005930")

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
}

func newRig(t *testing.T, opt kistest.Options, notices bool) *rig {
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
	acct, err := New(Config{Client: c, Fees: krx.DefaultTariff(), Reconcile: time.Hour, Recheck: 50 * time.Millisecond, Log: zerolog.Nop()})
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
		feed := c.NewFeed(kis.Handler{Notice: acct.Notice}, kis.FeedOptions{MinBackoff: 10 * time.Millisecond})
		if err := feed.SubscribeNotices(ctx); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { _ = feed.Run(ctx) })
		wait(t, "notice subscription", func() bool { return srv.Subscribers(c.NoticeTR(), o.HTSID) == 1 })
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

// settle lets in-flight work arrive, for checks that nothing more comes.
func settle() { time.Sleep(200 * time.Millisecond) }
