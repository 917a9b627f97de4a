package kistest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func TestTicksFromBars(t *testing.T) {
	start := time.Date(2026, 11, 26, 9, 0, 0, 0, market.Seoul)
	bars := []market.Bar{
		{Symbol: "005930", Timeframe: market.Min1, Start: start, Open: 100, High: 104, Low: 99, Close: 103, Volume: 10},
		{Symbol: "005930", Timeframe: market.Min1, Start: start.Add(time.Minute), Open: 103, High: 105, Low: 98, Close: 99, Volume: 3},
	}
	ticks, err := TicksFromBars(bars)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range ticks {
		got = append(got, fmt.Sprintf("%s %d %d", tk.Time.Format("15:04:05"), tk.Price, tk.Volume))
	}
	want := "[09:00:00 100 2 09:00:15 99 2 09:00:30 104 2 09:00:45 103 4 09:01:45 99 3]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %s", got, want)
	}
	bad := []market.Bar{{Symbol: "005930", Timeframe: market.Min1, Start: start, Open: 100, High: 90, Low: 99, Close: 100}}
	if _, err := TicksFromBars(bad); err == nil {
		t.Error("a bar with high below low was scripted")
	}
}

func TestServeStreamsUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan market.Tick, 2)
	ticks <- market.Tick{Time: time.Now(), Symbol: "005930", Price: 100, Volume: 1}
	ticks <- market.Tick{Time: time.Now(), Symbol: "005930", Price: 101, Volume: 1}
	close(ticks)
	done := make(chan error, 1)
	var srv *Server
	ready := make(chan struct{})
	go func() { done <- Serve(ctx, Options{}, ticks, func(s *Server) { srv = s; close(ready) }) }()
	<-ready
	deadline := time.Now().Add(5 * time.Second)
	for {
		srv.mu.Lock()
		st := srv.market["005930"]
		last := int64(0)
		if st != nil {
			last = st.last
		}
		srv.mu.Unlock()
		if last == 101 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ticks not streamed")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
