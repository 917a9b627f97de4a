package live

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/market"
)

// recorder is an Engine that remembers what the loop asked of it.
type recorder struct {
	mu       sync.Mutex
	ticks    []market.Tick
	advances []time.Time
}

func (r *recorder) Process(t *market.Tick) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ticks = append(r.ticks, *t)
}

func (r *recorder) Advance(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.advances = append(r.advances, now)
}

func (r *recorder) Results() []engine.Result { return nil }

func TestRunFeedsTicksInOrderUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan market.Tick)
	eng := &recorder{}
	done := make(chan int)
	go func() {
		n, _ := Run(ctx, eng, Config{Ticks: ticks, Log: zerolog.Nop()})
		done <- n
	}()
	for i := range 100 {
		ticks <- market.Tick{Symbol: "005930", Price: int64(1000 + i), Volume: 1}
	}
	cancel()
	if n := <-done; n != 100 {
		t.Fatalf("Run processed %d ticks, want 100", n)
	}
	for i, tk := range eng.ticks {
		if tk.Price != int64(1000+i) {
			t.Fatalf("tick %d has price %d: out of order", i, tk.Price)
		}
	}
}

func TestRunAdvancesTheClockWithoutTicks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng := &recorder{}
	now := time.Date(2024, 1, 2, 9, 0, 0, 0, market.Seoul)
	go Run(ctx, eng, Config{Ticks: make(chan market.Tick), Clock: func() time.Time { return now }, Tick: time.Millisecond, Log: zerolog.Nop()})
	deadline := time.After(10 * time.Second)
	for {
		eng.mu.Lock()
		n := len(eng.advances)
		eng.mu.Unlock()
		if n >= 3 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("the clock never advanced the engine")
		case <-time.After(time.Millisecond):
		}
	}
}

func TestRunReportsAClosedFeed(t *testing.T) {
	ticks := make(chan market.Tick)
	close(ticks)
	if _, err := Run(context.Background(), &recorder{}, Config{Ticks: ticks, Log: zerolog.Nop()}); err == nil {
		t.Fatal("a closed feed ended the run without an error")
	}
}
