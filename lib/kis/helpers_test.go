package kis_test

import (
	"context"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

// start runs a protocol server and a client configured for it. mod may
// change the client's config before it is built.
func start(t *testing.T, opt kistest.Options, mod func(*kis.Config)) (*kistest.Server, *kis.Client) {
	t.Helper()
	srv, err := kistest.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	o := srv.Options()
	cfg := kis.Config{Env: o.Env, AppKey: kis.Secret(o.AppKey), AppSecret: kis.Secret(o.AppSecret),
		Account: kis.Secret(o.Account), HTSID: kis.Secret(o.HTSID), BaseURL: srv.URL(), WSURL: srv.WSURL(),
		RatePerSecond: 1000, RateLimitBackoff: 5 * time.Millisecond, OrderCheckDelay: 20 * time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	c, err := kis.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// tick makes a trade print at 09:00:00+sec KST on 2026-11-26.
func tick(sym market.Symbol, sec int, price, vol int64) market.Tick {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, market.Seoul).Add(time.Duration(sec) * time.Second)
	return market.Tick{Time: at, Symbol: sym, Price: price, Volume: vol}
}
