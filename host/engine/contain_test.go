package engine

import (
	"reflect"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// maCross trades on a fast/slow SMA cross of the engine's indicators, so
// the determinism test exercises indicators, bars and fills.
const maCross = `
local s = { name = "ma", symbols = { "005930" }, timeframe = "1m", params = { fast = 2, slow = 4 } }
local prev
function s.on_bar(ctx, bar)
  local fast, slow = ctx.sma("005930", ctx.params.fast), ctx.sma("005930", ctx.params.slow)
  if not fast or not slow then return end
  local up = fast > slow
  local held = ctx.position("005930").qty
  if up and prev == false and held == 0 then ctx.buy("005930", 200) end
  if not up and prev and held > 0 then ctx.sell("005930", held) end
  prev = up
end
return s
`

// crashes fails in every on_bar, after leaving a limit order working.
const crashes = `
local s = { name = "crashes", symbols = { "005930" }, timeframe = "1m" }
function s.on_start(ctx) ctx.buy("005930", 1, 50000) end
function s.on_bar(ctx, bar) error("boom") end
return s
`

// spins never returns from on_bar.
const spins = `
local s = { name = "spins", symbols = { "005930" }, timeframe = "1m" }
function s.on_bar(ctx, bar) while true do end end
return s
`

func longTape() []market.Tick {
	ticks := session(day1, 600, func(i int) int64 { return 70_000 + 100*int64((i/20)%9) })
	return append(ticks, session(day2, 600, func(i int) int64 { return 69_000 + 100*int64((i/30)%12) })...)
}

func TestDeterministic(t *testing.T) {
	ticks := longTape()
	cfg := func() Config {
		return Config{Strategies: []Spec{luaSpec(t, "ma.lua", maCross), luaSpec(t, "roundtrip.lua", roundTrip)}}
	}
	a, b := run(t, cfg(), ticks), run(t, cfg(), ticks)
	if len(a[0].Fills) < 2 {
		t.Fatalf("ma strategy made %d fills; the test needs trades", len(a[0].Fills))
	}
	if len(a[0].Curve) != 3 {
		t.Errorf("equity curve %+v, want start, day 1's end and the end", a[0].Curve)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs differ:\n%+v\n%+v", a, b)
	}
}

func TestFailingStrategiesAreContained(t *testing.T) {
	ticks := longTape()
	alone := run(t, Config{Strategies: []Spec{luaSpec(t, "ma.lua", maCross)}}, ticks)[0]
	all := run(t, Config{Strategies: []Spec{
		luaSpec(t, "crashes.lua", crashes), luaSpec(t, "ma.lua", maCross), luaSpec(t, "spins.lua", spins),
	}}, ticks)
	crashed, ma, spun := all[0], all[1], all[2]
	if !crashed.Status.Paused || !spun.Status.Paused {
		t.Errorf("statuses %v / %v, want both paused", crashed.Status, spun.Status)
	}
	if crashed.Cancelled != 1 || crashed.Orders != 1 {
		t.Errorf("crashed strategy: %d orders, %d cancelled; want its working order cancelled on pause",
			crashed.Orders, crashed.Cancelled)
	}
	if ma.Status.Paused || ma.Cash != alone.Cash || ma.Equity != alone.Equity || len(ma.Fills) != len(alone.Fills) {
		t.Fatalf("ma next to failing strategies: cash %d equity %d fills %d; alone: %d %d %d",
			ma.Cash, ma.Equity, len(ma.Fills), alone.Cash, alone.Equity, len(alone.Fills))
	}
	for i := range ma.Fills {
		f, g := ma.Fills[i], alone.Fills[i]
		f.OrderID, g.OrderID = 0, 0 // order IDs are engine-wide
		if f != g {
			t.Errorf("fill %d: %+v, alone %+v", i, f, g)
		}
	}
}

// spiral answers every rejection with a new order that is rejected too.
const spiral = `
local s = { name = "spiral", symbols = { "005930" }, timeframe = "1m" }
local calls = 0
function s.on_bar(ctx, bar) ctx.buy("005930", 1, 70050) end
function s.on_order(ctx, o) calls = calls + 1; ctx.buy("005930", 1, 70050) end
function s.on_stop(ctx) return { calls = calls } end
return s
`

func TestOrderCascadeIsBounded(t *testing.T) {
	r := run(t, Config{Strategies: []Spec{luaSpec(t, "spiral.lua", spiral)}}, session(day1, 36, wave))[0]
	st, _ := r.State.(map[string]any)
	// Two bars close (09:00, 09:01); each starts a cascade cut at maxCascade.
	if st["calls"] != float64(2*maxCascade) || r.Status.Paused {
		t.Fatalf("on_order ran %v times (status %v), want %d", st["calls"], r.Status, 2*maxCascade)
	}
}
