package engine

import (
	"strings"
	"testing"
)

const holderV1 = `
local s = { name = "holder", symbols = { "005930" }, timeframe = "1m" }
local bars = 0
function s.on_bar(ctx, bar)
  bars = bars + 1
  if bars == 1 then ctx.buy("005930", 7) end
end
function s.on_stop(ctx) return { bars = bars } end
return s
`

// holderV2 checks, on its first bar, that it inherited the state, the
// position and a warm indicator.
const holderV2 = `
local s = { name = "holder", symbols = { "005930" }, timeframe = "1m" }
local inherited, first = nil, nil
function s.on_start(ctx, state) inherited = state and state.bars end
function s.on_bar(ctx, bar)
  if first then return end
  local sma = ctx.sma("005930", 20)
  first = { bars = inherited, qty = ctx.position("005930").qty, sma_ready = sma ~= nil }
end
function s.on_stop(ctx) return first end
return s
`

func TestReplaceKeepsAccountAndHistory(t *testing.T) {
	ticks := session(day1, 360, wave) // 30 minutes
	e, err := New(Config{Strategies: []Spec{luaSpec(t, "holder.lua", holderV1)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	for i := range 300 { // 25 minutes: 24 closed bars
		e.Process(&ticks[i])
	}
	if err := e.Replace("holder", luaSpec(t, "other.lua", strings.Replace(holderV2, `"holder"`, `"other"`, 1))); err == nil ||
		!strings.Contains(err.Error(), `declares name "other"`) {
		t.Fatalf("replace by a differently named script: %v", err)
	}
	if err := e.Replace("holder", luaSpec(t, "broken.lua", `error("load fails")`)); err == nil {
		t.Fatal("replace by a script that fails to load succeeded")
	}
	if err := e.Replace("holder", luaSpec(t, "holder.lua", holderV2)); err != nil {
		t.Fatal(err)
	}
	for i := 300; i < len(ticks); i++ {
		e.Process(&ticks[i])
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	r := e.Results()[0]
	st, _ := r.State.(map[string]any)
	if st["bars"] != 24.0 || st["qty"] != 7.0 || st["sma_ready"] != true {
		t.Fatalf("new version saw %v; want 24 bars of state, 7 shares held and a ready SMA(20)", r.State)
	}
}

func TestAddAndRemoveWhileRunning(t *testing.T) {
	ticks := session(day1, 360, wave)
	e, err := New(Config{Strategies: []Spec{luaSpec(t, "ma.lua", maCross)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	feed := func(from, to int) {
		for i := from; i < to; i++ {
			e.Process(&ticks[i])
		}
	}
	feed(0, 100)
	if err := e.Add(luaSpec(t, "ma.lua", maCross)); err == nil {
		t.Fatal("a second strategy named ma was added")
	}
	if err := e.Add(luaSpec(t, "holder.lua", holderV1)); err != nil {
		t.Fatal(err)
	}
	feed(100, 200) // holder buys 7 on its first bar
	if err := e.Remove("holder"); err != nil {
		t.Fatal(err)
	}
	feed(200, 250)
	mid := e.Results()[0] // results are in name order
	if mid.Name != "holder" || !mid.Removed || mid.Positions[0].Qty != 7 || len(mid.Fills) != 1 {
		t.Fatalf("removed strategy: %+v; want its 7 shares kept", mid)
	}
	if st, _ := mid.State.(map[string]any); st["bars"] != 8.0 {
		t.Errorf("on_stop state %v, want the 8 bars it saw", mid.State)
	}
	if err := e.Add(luaSpec(t, "holder.lua", holderV1)); err != nil { // restored: same account
		t.Fatal(err)
	}
	feed(250, len(ticks))
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	end := e.Results()[0]
	if end.Removed || end.Positions[0].Qty != 14 || len(end.Fills) != 2 {
		t.Fatalf("revived strategy: %+v; want a second buy of 7 on the same account", end)
	}
}
