package kis_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

const samsung = market.Symbol("005930")

func TestTokenCachedInFileAndReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) { cfg.TokenCache = path })
	srv.Publish(tick(samsung, 0, 65800, 10))
	if _, err := c.Price(ctx(t), samsung); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("token cache mode %04o, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), srv.Options().AppKey) || strings.Contains(string(b), srv.Options().AppSecret) {
		t.Error("token cache holds the app key or secret")
	}
	// A second client (a restarted process) reuses the cached token.
	o := srv.Options()
	again, err := kis.New(kis.Config{Env: o.Env, AppKey: kis.Secret(o.AppKey), AppSecret: kis.Secret(o.AppSecret),
		Account: kis.Secret(o.Account), BaseURL: srv.URL(), TokenCache: path, RatePerSecond: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.Price(ctx(t), samsung); err != nil {
		t.Fatal(err)
	}
	if n := srv.TokensIssued(); n != 1 {
		t.Errorf("%d tokens issued, want 1 (cache reused)", n)
	}
}

func TestTokenCacheReadableByOthersRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	if err := os.WriteFile(path, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) { cfg.TokenCache = path })
	srv.Publish(tick(samsung, 0, 65800, 10))
	_, err := c.Price(ctx(t), samsung)
	if err == nil || !strings.Contains(err.Error(), "want 0600") {
		t.Fatalf("err = %v, want a mode complaint", err)
	}
}

// An expired token is renewed once and the call retried; issuances keep
// the minimum interval.
func TestTokenExpiredRenewedWithInterval(t *testing.T) {
	const gap = 300 * time.Millisecond
	srv, c := start(t, kistest.Options{TokenMinInterval: gap}, func(cfg *kis.Config) { cfg.TokenMinInterval = gap })
	srv.Publish(tick(samsung, 0, 65800, 10))
	for i := 0; i < 3; i++ {
		if i > 0 {
			srv.ExpireTokens()
		}
		if _, err := c.Price(ctx(t), samsung); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	times := srv.TokenIssueTimes()
	if len(times) != 3 {
		t.Fatalf("%d tokens issued, want 3", len(times))
	}
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d < gap {
			t.Errorf("tokens %d and %d issued %v apart, want ≥ %v", i-1, i, d, gap)
		}
	}
}

// A token the server no longer knows (EGW00121) is replaced once, like an expired one.
func TestTokenRevokedRenewed(t *testing.T) {
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) { cfg.TokenMinInterval = time.Millisecond })
	srv.Publish(tick(samsung, 0, 65800, 10))
	if _, err := c.Price(ctx(t), samsung); err != nil {
		t.Fatal(err)
	}
	srv.RevokeTokens()
	if _, err := c.Price(ctx(t), samsung); err != nil {
		t.Fatalf("after revoke: %v", err)
	}
	if n := srv.TokensIssued(); n != 2 {
		t.Errorf("%d tokens issued, want 2", n)
	}
}

func TestTokenIssuedOnceForConcurrentCalls(t *testing.T) {
	srv, c := start(t, kistest.Options{}, nil)
	srv.Publish(tick(samsung, 0, 65800, 10))
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() { _, err := c.Price(ctx(t), samsung); errs <- err }()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.TokensIssued(); n != 1 {
		t.Errorf("%d tokens, want 1", n)
	}
}

func TestBadCredentialsTyped(t *testing.T) {
	_, c := start(t, kistest.Options{}, func(cfg *kis.Config) { cfg.AppSecret = "wrong-secret-value" })
	_, err := c.Price(ctx(t), samsung)
	var api *kis.APIError
	if !errors.Is(err, kis.ErrBadCredentials) || !errors.As(err, &api) || api.Code != "EGW00105" || api.Status != 403 {
		t.Fatalf("err = %v, want EGW00105 ErrBadCredentials", err)
	}
}

func TestOrdersUseEnvironmentTRs(t *testing.T) {
	for _, env := range []kis.Env{kis.Paper, kis.Real} {
		t.Run(env.String(), func(t *testing.T) {
			srv, c := start(t, kistest.Options{Env: env}, nil)
			srv.Publish(tick(samsung, 0, 65800, 10))
			ack, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 3, Price: 65800})
			if err != nil {
				t.Fatal(err)
			}
			want := map[kis.Env]string{kis.Paper: "VTTC0012U", kis.Real: "TTTC0012U"}[env]
			if srv.Requests(want) != 1 {
				t.Errorf("server saw %d %s requests, want 1", srv.Requests(want), want)
			}
			if ack.OrderNo == "" || ack.Branch == "" || len(ack.Time) != 6 || ack.Recovered {
				t.Errorf("ack = %+v", ack)
			}
		})
	}
}

func TestOrderRejectedTyped(t *testing.T) {
	_, c := start(t, kistest.Options{}, nil)
	_, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Sell, Qty: 1, Price: 65800})
	var api *kis.APIError
	if !errors.As(err, &api) || api.Code != "APBK0400" {
		t.Fatalf("err = %v, want APBK0400", err)
	}
	if _, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: "5930", Side: market.Buy, Qty: 1}); err == nil {
		t.Error("a bad symbol was sent")
	}
}

func TestFillCancelModify(t *testing.T) {
	srv, c := start(t, kistest.Options{}, nil)
	srv.Publish(tick(samsung, 0, 65800, 10))
	buy, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 10, Price: 65000})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := c.ModifyOrder(ctx(t), kis.ReviseRequest{Branch: buy.Branch, OrderNo: buy.OrderNo, Price: 65500})
	if err != nil {
		t.Fatal(err)
	}
	srv.Publish(tick(samsung, 1, 65600, 5)) // above the new limit: no fill
	srv.Publish(tick(samsung, 2, 65500, 5)) // fills the modified order
	bal, err := c.Balance(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(bal.Holdings) != 1 || bal.Holdings[0].Qty != 10 || bal.Holdings[0].Cost != 655000 {
		t.Fatalf("holdings %+v", bal.Holdings)
	}
	if want := srv.Options().Cash - 655000; bal.Cash != want {
		t.Errorf("cash %d, want %d", bal.Cash, want)
	}
	sell, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Sell, Qty: 10, Price: 70000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CancelOrder(ctx(t), kis.ReviseRequest{Branch: sell.Branch, OrderNo: sell.OrderNo}); err != nil {
		t.Fatal(err)
	}
	recs, err := c.DailyOrders(ctx(t), kis.DailyQuery{})
	if err != nil {
		t.Fatal(err)
	}
	byNo := map[string]kis.OrderRecord{}
	for _, r := range recs {
		byNo[r.OrderNo] = r
	}
	if r := byNo[mod.OrderNo]; r.FilledQty != 10 || r.OrigOrderNo != buy.OrderNo || r.AvgPrice != 65500 {
		t.Errorf("modified order record %+v", r)
	}
	if r := byNo[sell.OrderNo]; r.Remaining != 0 || r.FilledQty != 0 {
		t.Errorf("cancelled sell record %+v", r)
	}
}

func TestDailyOrdersAndBalancePaging(t *testing.T) {
	srv, c := start(t, kistest.Options{PageSize: 2}, nil)
	syms := []market.Symbol{"005930", "000660", "035420", "035720", "051910"}
	for i, s := range syms {
		srv.Publish(tick(s, i, 10000, 1))
		if _, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: s, Side: market.Buy, Qty: int64(i + 1), Kind: kis.OrdMarket}); err != nil {
			t.Fatal(err)
		}
		srv.Publish(tick(s, 10+i, 10000, 1))
	}
	recs, err := c.DailyOrders(ctx(t), kis.DailyQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || srv.Requests("VTTC0081R") != 3 {
		t.Fatalf("%d records in %d requests, want 5 in 3 pages", len(recs), srv.Requests("VTTC0081R"))
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.OrderNo] {
			t.Errorf("order %s twice across pages", r.OrderNo)
		}
		seen[r.OrderNo] = true
	}
	bal, err := c.Balance(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(bal.Holdings) != 5 || srv.Requests("VTTC8434R") != 3 {
		t.Fatalf("%d holdings in %d requests", len(bal.Holdings), srv.Requests("VTTC8434R"))
	}
	if bal.Cash != srv.Cash() || bal.Cash != srv.Options().Cash-15*10000 {
		t.Errorf("cash %d, server %d", bal.Cash, srv.Cash())
	}
}

func TestPriceAndBars(t *testing.T) {
	srv, c := start(t, kistest.Options{}, nil)
	srv.SetBase(samsung, 66000)
	for i, p := range []int64{65800, 65900, 65700} {
		srv.Publish(tick(samsung, 20*i, p, 100))
	}
	q, err := c.Price(ctx(t), samsung)
	if err != nil {
		t.Fatal(err)
	}
	if q.Price != 65700 || q.Change != -300 || q.High != 65900 || q.Volume != 300 || q.TickSize != 100 || q.Base != 66000 {
		t.Errorf("quote %+v", q)
	}
	mins, err := c.MinuteBars(ctx(t), samsung, time.Date(2026, 11, 26, 15, 30, 0, 0, market.Seoul))
	if err != nil {
		t.Fatal(err)
	}
	if len(mins) != 1 || mins[0].Open != 65800 || mins[0].High != 65900 || mins[0].Close != 65700 || mins[0].Volume != 300 {
		t.Errorf("minute bars %+v", mins)
	}
	var daily []market.Bar
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, market.Seoul)
	for i := 0; i < 250; i++ {
		daily = append(daily, market.Bar{Symbol: samsung, Timeframe: market.Day1, Start: day.AddDate(0, 0, i),
			Open: 100, High: 110, Low: 90, Close: int64(100 + i), Volume: 1})
	}
	srv.SetDailyBars(samsung, daily)
	got, err := c.DailyBars(ctx(t), samsung, day, day.AddDate(0, 0, 249), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || !got[0].Start.Equal(day) || got[249].Close != 349 {
		t.Fatalf("%d daily bars (paged by 100), first %v", len(got), got[0].Start)
	}
}
