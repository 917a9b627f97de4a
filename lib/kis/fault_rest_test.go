package kis_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

// A storm of concurrent orders against a server enforcing 10 requests a
// second, with extra EGW00201 answers thrown in: the client's limiter keeps
// it under the limit, refused requests are sent again after a back-off, and
// every order is placed exactly once.
func TestRateLimitStormNoOrderLost(t *testing.T) {
	const rps, n = 10, 12
	srv, c := start(t, kistest.Options{RatePerSecond: rps}, func(cfg *kis.Config) { cfg.RatePerSecond = rps })
	srv.Publish(tick(samsung, 0, 1000, 1))
	if _, err := c.Price(ctx(t), samsung); err != nil { // token first, outside the storm
		t.Fatal(err)
	}
	srv.RateLimitNext(4)
	var wg sync.WaitGroup
	errs := make([]error, n)
	acks := make([]kis.OrderAck, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acks[i], errs[i] = c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: int64(i + 1), Price: 1000})
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
		seen[acks[i].OrderNo] = true
	}
	orders := srv.Orders()
	if len(orders) != n || len(seen) != n {
		t.Fatalf("server has %d orders, client %d acks, want %d each", len(orders), len(seen), n)
	}
	qty := map[int64]int{}
	for _, o := range orders {
		qty[o.Qty]++
	}
	for i := range n {
		if qty[int64(i+1)] != 1 {
			t.Errorf("order of %d shares placed %d times", i+1, qty[int64(i+1)])
		}
	}
	if got := srv.RateLimited(); got != 4 {
		t.Errorf("server refused %d requests, want only the 4 forced ones (the limiter held)", got)
	}
}

// The server takes the order and drops the HTTP response: the client finds
// the order in the daily fills instead of sending it again, and does not
// mistake an identical earlier order for it.
func TestLostOrderResponseNoDuplicate(t *testing.T) {
	srv, c := start(t, kistest.Options{}, nil)
	srv.Publish(tick(samsung, 0, 65800, 1))
	req := kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 5, Price: 65000}
	first, err := c.PlaceOrder(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	srv.LoseOrderResponses(1)
	second, err := c.PlaceOrder(ctx(t), req)
	if err != nil {
		t.Fatalf("lost response not recovered: %v", err)
	}
	if !second.Recovered || second.OrderNo == first.OrderNo || second.OrderNo == "" {
		t.Fatalf("recovered ack %+v (first %+v)", second, first)
	}
	orders := srv.Orders()
	if len(orders) != 2 || orders[1].No != second.OrderNo {
		t.Fatalf("server orders %+v, want exactly the two sent", orders)
	}
}

// The order never reached the exchange (the request was lost on the way):
// the client says so with ErrOrderNotPlaced and sends nothing twice.
func TestLostOrderNotPlaced(t *testing.T) {
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) { cfg.OrderCheckAttempts = 2 })
	srv.Publish(tick(samsung, 0, 65800, 1))
	srv.DropOrderRequests(1)
	_, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 5, Price: 65000})
	if !errors.Is(err, kis.ErrOrderNotPlaced) {
		t.Fatalf("err = %v, want ErrOrderNotPlaced", err)
	}
	if n := len(srv.Orders()); n != 0 {
		t.Errorf("server has %d orders, want 0", n)
	}
	if n := srv.Requests("VTTC0081R"); n != 2 {
		t.Errorf("%d daily-fills lookups, want 2", n)
	}
}

// When even the lookup fails, the outcome is unknown and said to be.
func TestLostOrderStatusUnknown(t *testing.T) {
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) {
		cfg.HTTPClient = &http.Client{Timeout: time.Second}
		cfg.OrderCheckAttempts = 2
	})
	srv.Publish(tick(samsung, 0, 65800, 1))
	if _, err := c.Price(ctx(t), samsung); err != nil {
		t.Fatal(err)
	}
	srv.SetDelay(2 * time.Second)
	_, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 5, Price: 65000})
	if !errors.Is(err, kis.ErrOrderStatusUnknown) {
		t.Fatalf("err = %v, want ErrOrderStatusUnknown", err)
	}
}

// Our clock running ahead of KIS's must not hide the lost order.
func TestLostOrderFoundWithClockAhead(t *testing.T) {
	srv, c := start(t, kistest.Options{}, func(cfg *kis.Config) {
		cfg.Now = func() time.Time { return time.Now().Add(10 * time.Second) }
	})
	srv.Publish(tick(samsung, 0, 65800, 1))
	srv.LoseOrderResponses(1)
	ack, err := c.PlaceOrder(ctx(t), kis.OrderRequest{Symbol: samsung, Side: market.Buy, Qty: 5, Price: 65000})
	if err != nil || !ack.Recovered {
		t.Fatalf("ack %+v, err %v", ack, err)
	}
	if n := len(srv.Orders()); n != 1 {
		t.Errorf("%d orders on the server", n)
	}
}
