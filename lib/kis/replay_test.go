package kis_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

// replay serves recorded KIS bodies (testdata/rest, KIS.md §13) for one
// path, after a token; it checks the client's request headers on the way.
func replay(t *testing.T, env kis.Env, path string, status int, file string) *kis.Client {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "rest", file))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/tokenP", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.x","token_type":"Bearer","expires_in":86400,"access_token_token_expired":"2099-01-01 00:00:00"}`))
	})
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("authorization") != "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.x" || r.Header.Get("appkey") != "replay-app-key" ||
			r.Header.Get("custtype") != "P" || r.Header.Get("tr_id") == "" {
			t.Errorf("request headers incomplete: %v", r.Header)
		}
		w.WriteHeader(status)
		w.Write(body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := kis.New(kis.Config{Env: env, AppKey: "replay-app-key", AppSecret: "replay-app-secret", Account: "12345678-01",
		BaseURL: srv.URL, RatePerSecond: 1000, RateLimitRetries: 1, TokenMinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReplayRealPrice(t *testing.T) {
	c := replay(t, kis.Real, "/uapi/domestic-stock/v1/quotations/inquire-price", 200, "inquire_price_005930.json")
	q, err := c.Price(ctx(t), "005930")
	if err != nil {
		t.Fatal(err)
	}
	want := kis.Quote{Symbol: "005930", Price: 65850, Change: -150, Sign: "5", ChangeRate: -0.23, Open: 65700,
		High: 66000, Low: 65500, Volume: 1943202, Value: 127737129950, Base: 66000, Upper: 85800, Lower: 46200,
		TickSize: 100, LotSize: 1, Status: "55"}
	if q != want {
		t.Fatalf("got  %+v\nwant %+v", q, want)
	}
}

func TestReplayRealOrderResponses(t *testing.T) {
	cases := []struct {
		env  kis.Env
		file string
		want kis.OrderAck
	}{
		{kis.Real, "order_cash_real.json", kis.OrderAck{Branch: "06590", OrderNo: "0000006555", Time: "151059"}},
		{kis.Paper, "order_cash_paper.json", kis.OrderAck{Branch: "00950", OrderNo: "47589", Time: "134354"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			cl := replay(t, c.env, "/uapi/domestic-stock/v1/trading/order-cash", 200, c.file)
			got, err := cl.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: "005930", Side: market.Buy, Qty: 1, Price: 65800})
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestReplayRealErrors(t *testing.T) {
	cases := []struct {
		file   string
		status int
		code   string
		is     error
	}{
		{"error_igw00007.json", 500, "IGW00007", nil},
		{"error_egw00201.json", 500, "EGW00201", kis.ErrRateLimited},
		{"error_egw00123.json", 500, "EGW00123", kis.ErrTokenExpired},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			cl := replay(t, kis.Paper, "/uapi/domestic-stock/v1/quotations/inquire-price", c.status, c.file)
			_, err := cl.Price(ctx(t), "005930")
			var api *kis.APIError
			if !errors.As(err, &api) || api.Code != c.code || api.Status != c.status || api.RtCd != "1" || api.Msg == "" {
				t.Fatalf("err = %#v", err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, c.is)
			}
		})
	}
}

// The token endpoint's own error shape (error_code, HTTP 403).
func TestReplayTokenThrottled(t *testing.T) {
	body, _ := os.ReadFile(filepath.Join("testdata", "rest", "error_egw00133.json"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		w.Write(body)
	}))
	defer srv.Close()
	c, _ := kis.New(kis.Config{Env: kis.Paper, AppKey: "k-replay", AppSecret: "s-replay", BaseURL: srv.URL,
		RatePerSecond: 1000, TokenMinInterval: 1})
	_, err := c.Price(ctx(t), "005930")
	if !errors.Is(err, kis.ErrTokenThrottled) {
		t.Fatalf("err = %v, want ErrTokenThrottled", err)
	}
}

// A 502 from something in front of KIS says nothing about the order: the
// client treats it as a lost response and asks the daily fills.
func TestOrderBehindBadGatewayIsLookedUp(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/tokenP", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token":"tok-502-test","expires_in":86400}`))
	})
	mux.HandleFunc("/uapi/domestic-stock/v1/trading/order-cash", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html>502 Bad Gateway</html>"))
	})
	lookups := 0
	mux.HandleFunc("/uapi/domestic-stock/v1/trading/inquire-daily-ccld", func(w http.ResponseWriter, r *http.Request) {
		lookups++
		w.Write([]byte(`{"rt_cd":"0","msg_cd":"20310000","msg1":"ok","output1":[],"output2":{}}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := kis.New(kis.Config{Env: kis.Paper, AppKey: "k-502", AppSecret: "s-502", Account: "1234567801",
		BaseURL: srv.URL, RatePerSecond: 1000, OrderCheckAttempts: 2, OrderCheckDelay: time.Millisecond})
	_, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: "005930", Side: market.Buy, Qty: 1, Price: 100})
	if !errors.Is(err, kis.ErrOrderNotPlaced) || lookups != 2 {
		t.Fatalf("err = %v after %d lookups, want ErrOrderNotPlaced after 2", err, lookups)
	}
}
