package script

import (
	"errors"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// rejectingHost reports every order as rejected from inside Submit, as an
// engine that runs the risk gate synchronously might.
type rejectingHost struct {
	*fakeHost
	s     *Strategy
	inner []error
}

func (h *rejectingHost) Submit(req OrderRequest) (int64, error) {
	h.inner = append(h.inner, h.s.Order(&market.Order{ID: 9, Symbol: req.Symbol, Side: req.Side, Type: req.Type,
		Qty: req.Qty, Status: market.OrderRejected, Reason: errRejected.Error()}))
	h.inner = append(h.inner, h.s.Tick(tick(1)))
	return 0, errRejected
}

// TestEventsDuringAHookWait: an order update raised from inside ctx.buy is
// delivered after the running hook returns, and a nested tick is refused.
func TestEventsDuringAHookWait(t *testing.T) {
	src := strategySrc(`"reentry"`, `{ "005930" }`, `"1m"`, "{}", `
local log = {}
function s.on_tick(ctx, t)
  log[#log + 1] = "tick " .. t.price
  local id, err = ctx.buy(t.symbol, 1)
  log[#log + 1] = "buy " .. tostring(id)
end
function s.on_order(ctx, o)
  log[#log + 1] = "order " .. o.status
end
function s.on_stop(ctx) return log end`)
	h := &rejectingHost{fakeHost: newFakeHost()}
	s, err := New(compileSrc(t, src), h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.s = s
	if err := s.Tick(tick(70000)); err != nil {
		t.Fatal(err)
	}
	if h.inner[0] != nil {
		t.Errorf("deferring the order update: %v", h.inner[0])
	}
	var e *Error
	if !errors.As(h.inner[1], &e) || e.Hook != "on_tick" {
		t.Errorf("nested Tick = %v, want a re-entry error", h.inner[1])
	}
	st, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	got := st.([]any)
	want := []any{"tick 70000", "buy nil", "order rejected"}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %v, want %v", i, got[i], want[i])
		}
	}
}
