package kis_test

import (
	"context"
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/kis/kistest"
	"github.com/qbtrading/qb/lib/market"
)

// A whole paper session against the protocol server: stream trades, place
// an order, get its execution notices, read the balance.
func Example() {
	srv, _ := kistest.New(kistest.Options{Cash: 10_000_000})
	defer srv.Close()
	o := srv.Options()
	c, _ := kis.New(kis.Config{Env: kis.Paper, AppKey: kis.Secret(o.AppKey), AppSecret: kis.Secret(o.AppSecret),
		Account: kis.Secret(o.Account), HTSID: kis.Secret(o.HTSID), BaseURL: srv.URL(), WSURL: srv.WSURL()})

	notices := make(chan kis.Notice, 4)
	trades := make(chan kis.Trade, 4)
	feed := c.NewFeed(kis.Handler{
		Trade:  func(t *kis.Trade) { trades <- *t },
		Notice: func(n kis.Notice) { notices <- n },
	}, kis.FeedOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_ = feed.Subscribe(ctx, kis.TRTrade, "005930")
	_ = feed.SubscribeNotices(ctx)
	go feed.Run(ctx)
	for srv.Subscribers(kis.TRNoticePaper, o.HTSID) == 0 {
		time.Sleep(time.Millisecond)
	}

	at := time.Date(2026, 11, 26, 9, 0, 0, 0, market.Seoul)
	srv.Publish(market.Tick{Time: at, Symbol: "005930", Price: 65800, Volume: 10})
	t := <-trades
	fmt.Println("trade", t.Symbol, t.Price, t.Volume, t.Time.Format("15:04:05"))

	ack, err := c.PlaceOrder(ctx, kis.OrderRequest{Symbol: "005930", Side: market.Buy, Qty: 10, Kind: kis.OrdMarket})
	fmt.Println("order", ack.OrderNo, err)
	srv.Publish(market.Tick{Time: at.Add(time.Second), Symbol: "005930", Price: 65900, Volume: 5})
	fmt.Println(<-notices)
	fmt.Println(<-notices)

	bal, _ := c.Balance(ctx)
	fmt.Println("cash", bal.Cash, "holding", bal.Holdings[0].Symbol, bal.Holdings[0].Qty)
	// Output:
	// trade 005930 65800 10 09:00:00
	// order 10001 <nil>
	// notice{order 10001 BUY 005930 qty 10 price 0 accepted account ****01}
	// notice{order 10001 BUY 005930 qty 10 price 0 filled 10@65900 account ****01}
	// cash 9341000 holding 005930 10
}
