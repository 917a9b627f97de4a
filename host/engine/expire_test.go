package engine

import (
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// dayOrder leaves a buy far below the market working on its first bar.
const dayOrder = `
local s = { name = "dayorder", symbols = { "005930" }, timeframe = "1m" }
local bars, log = 0, {}
function s.on_bar(ctx, bar)
  bars = bars + 1
  if bars == 1 then ctx.buy("005930", 1, 60000) end
end
function s.on_order(ctx, o)
  log[#log + 1] = o.status .. " " .. (o.reason or "")
end
function s.on_stop(ctx) return { log = log } end
return s
`

func TestWorkingOrdersExpireAtDayEnd(t *testing.T) {
	var when []time.Time
	sink := sinkFunc(func(ev *Event) {
		if ev.Kind == EventOrder {
			when = append(when, ev.Order.Updated)
		}
	})
	ticks := append(session(day1, 24, wave), session(day2, 24, wave)...)
	r := run(t, Config{Strategies: []Spec{luaSpec(t, "dayorder.lua", dayOrder)}, Sink: sink}, ticks)[0]
	want := []string{"accepted ", "cancelled day ended"}
	if got := stateList(t, r.State, "log"); !slices.Equal(got, want) {
		t.Fatalf("on_order log %q, want %q", got, want)
	}
	midnight := time.Date(2026, 3, 5, 0, 0, 0, 0, market.Seoul)
	if len(when) != 2 || when[1].Before(midnight) || when[1].After(day2) || r.Cancelled != 1 {
		t.Fatalf("order updates at %v (%d cancelled), want the cancel on day 2's first event", when, r.Cancelled)
	}
}

type sinkFunc func(ev *Event)

func (f sinkFunc) Publish(ev *Event) { f(ev) }
