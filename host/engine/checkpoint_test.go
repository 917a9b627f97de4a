package engine

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
)

// saver saves its tick count on every tick and in on_fill, buys once on
// its 50th tick and has no on_stop.
const saver = `
local s = { name = "saver", symbols = { "005930" }, timeframe = "1m" }
local n = 0
function s.on_tick(ctx, t)
  n = n + 1
  ctx.save({ n = n })
  if n == 50 then ctx.buy("005930", 1) end
end
function s.on_fill(ctx, f) ctx.save({ n = n, filled = true }) end
return s
`

type sent struct {
	at time.Time
	st script.State
}

// A checkpoint goes out on the first save, then at most once a minute of
// engine time, and at once after a fill; at Stop the last one is the
// result's state when there is no on_stop.
func TestCheckpointsAfterFillsAndEveryMinute(t *testing.T) {
	ticks := session(day1, 120, wave) // 10 minutes, a tick every 5 s
	var e *Engine
	var out []sent
	e, err := New(Config{Strategies: []Spec{luaSpec(t, "saver.lua", saver)},
		Checkpoint: func(name string, st script.State) {
			if name != "saver" {
				t.Errorf("checkpoint of %q", name)
			}
			out = append(out, sent{e.Now(), st})
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	for i := range ticks {
		e.Process(&ticks[i])
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no checkpoint")
	}
	if n := out[0].st.(map[string]any)["n"]; n != 1.0 {
		t.Errorf("first checkpoint %v, want the first save", out[0].st)
	}
	fills := 0
	for i := 1; i < len(out); i++ {
		if out[i].st.(map[string]any)["filled"] == true {
			fills++
			continue
		}
		if gap := out[i].at.Sub(out[i-1].at); gap < time.Minute || gap > time.Minute+5*time.Second {
			t.Errorf("checkpoint %d came %v after the one before; want every minute", i, gap)
		}
	}
	if fills != 1 {
		t.Errorf("%d checkpoints after a fill, want 1: %v", fills, out)
	}
	if len(out) > 14 {
		t.Errorf("%d checkpoints for 10 minutes of saves on every tick", len(out))
	}
	r := e.Results()[0]
	if got := r.State.(map[string]any)["n"]; got != float64(len(ticks)) {
		t.Errorf("result state %v, want the last save (n = %d)", r.State, len(ticks))
	}
}

// A reload hands the new version the old one's last checkpoint when its
// on_stop returns nothing, and an on_stop table goes out as a checkpoint.
func TestReloadHandsOverCheckpoint(t *testing.T) {
	ticks := session(day1, 24, wave)
	var out []script.State
	e, err := New(Config{Strategies: []Spec{luaSpec(t, "saver.lua", saver)},
		Checkpoint: func(_ string, st script.State) { out = append(out, st) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		e.Process(&ticks[i])
	}
	v2 := `
local s = { name = "saver", symbols = { "005930" }, timeframe = "1m" }
local got
function s.on_start(ctx, state) got = state end
function s.on_tick(ctx, t) end
function s.on_stop(ctx) return { was = got and got.n, v = 2 } end
return s
`
	if err := e.Replace("saver", luaSpec(t, "saver.lua", v2)); err != nil {
		t.Fatal(err)
	}
	if err := e.Replace("saver", luaSpec(t, "saver.lua", v2)); err != nil {
		t.Fatal(err)
	}
	// v1 had no on_stop: v2 started with v1's last save (n = 12), and
	// v2's on_stop table went out as the checkpoint.
	last, ok := out[len(out)-1].(map[string]any)
	if !ok || last["v"] != 2.0 || last["was"] != 12.0 {
		t.Errorf("after the second reload the checkpoint is %v, want v2's on_stop table {v = 2, was = 12}", out[len(out)-1])
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
}
