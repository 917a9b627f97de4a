package kisfeed

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

const sym = market.Symbol("005930")

// The connection drops mid-stream: the feed reconnects and subscribes
// again, the gap is logged, and although the server repeats its last trade
// on every subscribe, each trade reaches the channel once.
func TestDroppedConnectionDoublesNoTick(t *testing.T) {
	srv, err := kistest.New(kistest.Options{ReplayLastTrade: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	o := srv.Options()
	c, err := kis.New(kis.Config{Env: o.Env, AppKey: kis.Secret(o.AppKey), AppSecret: kis.Secret(o.AppSecret),
		Account: kis.Secret(o.Account), HTSID: kis.Secret(o.HTSID), BaseURL: srv.URL(), WSURL: srv.WSURL()})
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	ticks := New(4, zerolog.New(&logs))
	feed := c.NewFeed(kis.Handler{Trade: ticks.Trade, Gap: ticks.Gap, Error: ticks.Error},
		kis.FeedOptions{MinBackoff: 10 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := feed.Subscribe(ctx, kis.TRTrade, string(sym)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	defer ticks.Close()
	wg.Go(func() { _ = feed.Run(ctx) })

	var got []market.Tick
	publish := func(from, to int) {
		wait(t, "subscribed", func() bool { return srv.Subscribers(kis.TRTrade, string(sym)) == 1 })
		at := time.Date(2026, 11, 26, 9, 0, 0, 0, market.Seoul)
		for i := from; i < to; i++ {
			srv.Publish(market.Tick{Time: at.Add(time.Duration(i) * time.Second), Symbol: sym, Price: 70_000 + int64(i)*100, Volume: 10})
			select {
			case tk := <-ticks.C(): // a small buffer: the feed waits for the reader
				got = append(got, tk)
			case <-time.After(10 * time.Second):
				t.Fatalf("waited 10 s for tick %d", i)
			}
		}
	}
	publish(0, 5)
	if n := srv.DropConnections(); n != 1 {
		t.Fatalf("dropped %d connections, want 1", n)
	}
	wait(t, "gap logged", func() bool { return strings.Contains(logs.String(), "trades in the gap are lost") })
	publish(5, 10)
	// A marker trade after the ten: frames arrive in order, so a repeat
	// still on its way would reach the channel before it.
	publish(10, 11)
	if mark := got[10]; mark.Price != 71_000 {
		t.Fatalf("a tick beyond the ten published came before the marker: %+v", mark)
	}
	got = got[:10]
	for i, tk := range got {
		if want := 70_000 + int64(i)*100; tk.Price != want || tk.Symbol != sym || tk.Volume != 10 {
			t.Fatalf("tick %d: %+v, want price %d", i, tk, want)
		}
	}
}

// Issue 11: a falling running volume is no repeat. The KIS test server,
// restarted, counts again from zero; the old check dropped its trades
// until the count passed the old one (about 37 s of them).
func TestFaultTradeAfterVolumeRestartsPasses(t *testing.T) {
	ticks := New(8, zerolog.Nop())
	for i, cum := range []int64{10, 20, 30, 10, 20, 0} {
		ticks.Trade(&kis.Trade{Symbol: sym, Price: 70_000 + int64(i), Volume: 10, CumVolume: cum})
	}
	if n := len(ticks.C()); n != 6 {
		t.Fatalf("%d ticks delivered, want all 6", n)
	}
}

func BenchmarkTrade(b *testing.B) {
	ticks := New(1, zerolog.Nop())
	tr := kis.Trade{Symbol: sym, Price: 70_000, Volume: 10}
	b.ReportAllocs()
	for b.Loop() {
		tr.CumVolume += 10
		ticks.Trade(&tr)
		<-ticks.C()
	}
}

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

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
