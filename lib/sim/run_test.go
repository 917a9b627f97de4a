package sim

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// runAsync starts Run and returns the channel its result arrives on.
func runAsync(ctx context.Context, s *Sim, out chan<- market.Tick, pace time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, out, pace) }()
	return done
}

// waitReturn fails unless Run has returned context.Canceled. The long
// timeout only keeps a broken Run from hanging the test.
func waitReturn(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

// TestRunSendsNext: Run sends exactly the sequence Next gives, paced fast
// (a session in 0.39 s, 17 µs a tick), and stops on cancel.
func TestRunSendsNext(t *testing.T) {
	cfg := Config{Seed: 9}
	twin := mustNew(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan market.Tick)
	done := runAsync(ctx, mustNew(t, cfg), out, 390*time.Millisecond)
	for i := range 500 {
		if got, want := <-out, twin.Next(); !sameTick(got, want) {
			t.Fatalf("tick %d: Run sent %+v, Next gives %+v", i, got, want)
		}
	}
	cancel()
	waitReturn(t, done)
}

func TestRunCancel(t *testing.T) {
	for _, tc := range []struct {
		name string
		pace time.Duration
		read int // ticks taken before the cancel
	}{
		// Unpaced, nobody reading: Run is blocked on the send.
		{"blocked on send", -1, 0},
		// A session in 10⁶ hours: the first tick is due at once, the second
		// in about 43 hours; Run is blocked on its timer.
		{"waiting for the next tick", 1_000_000 * time.Hour, 1},
		{"default pace", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			out := make(chan market.Tick)
			done := runAsync(ctx, mustNew(t, Config{}), out, tc.pace)
			for range tc.read {
				<-out
			}
			cancel()
			waitReturn(t, done)
		})
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := make(chan market.Tick, 10)
	if err := mustNew(t, Config{}).Run(ctx, out, -1); !errors.Is(err, context.Canceled) || len(out) != 0 {
		t.Fatalf("Run = %v with %d ticks sent, want context.Canceled and none", err, len(out))
	}
}
