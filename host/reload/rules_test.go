package reload_test

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestSyntaxErrorKeepsOldVersion saves a version that does not compile:
// v1 keeps running and trading, the status names file and line, and the
// next good save runs as v2.
func TestSyntaxErrorKeepsOldVersion(t *testing.T) {
	h := probeHost(t, nil, hostOptions{})
	broken := "-- probe version 2\nlocal s = {\n  name = = \"probe\",\n}\nreturn s\n"
	h.write("probe.lua", broken)
	h.until("v2 to be rejected", false, func() bool { return h.status("probe.lua").Rejected != nil })
	st := h.status("probe.lua")
	want := "running v1, v2 rejected: " + h.path("probe.lua") + ":3: "
	if !strings.HasPrefix(st.String(), want) || st.Version != 1 {
		t.Fatalf("status %q, want it to start %q", st, want)
	}
	if c := h.counters(); c.Rejected != 1 || c.Reloaded != 0 {
		t.Errorf("counters %+v, want 1 rejected, 0 reloaded", c)
	}
	if n := h.logs.logged("reload rejected; the running version stays", map[string]any{"level": "error", "status": st.String()}); n != 1 {
		t.Errorf("%d error lines for the rejection, want 1", n)
	}
	// v1 still trades: the trigger price makes it buy one more share.
	before := accountOf(h.result("probe"))
	h.tick(trigger)
	h.until("v1 to buy on the trigger", true, func() bool { return holding(h.result("probe")) == 11 })
	if after := accountOf(h.result("probe")); after != (account{qty: 11, orders: before.orders + 1, fills: before.fills + 1}) {
		t.Errorf("after the trigger %+v, before %+v: want one more order and fill", after, before)
	}
	if n := h.started("probe", 2); n != 0 {
		t.Errorf("the rejected version started %d times", n)
	}
	// Undoing the bad edit clears the rejection without a reload.
	h.write("probe.lua", probe("probe", 1))
	h.until("the rejection to clear", false, func() bool { return h.status("probe.lua").Rejected == nil })
	if st := h.status("probe.lua"); st.String() != "running v1" || h.started("probe", 1) != 1 {
		t.Errorf("after undoing the edit the status is %q and v1 started %d times; want running v1, started once", st, h.started("probe", 1))
	}
	h.write("probe.lua", probe("probe", 2))
	h.untilVersion("probe.lua", 2)
	if st := h.status("probe.lua"); st.String() != "running v2" {
		t.Errorf("after a good save the status is %q, want running v2", st)
	}
}

// onStartFails is probe v2 whose on_start raises an error at line 6.
func onStartFails() string {
	return strings.Replace(probe("probe", 2), "function s.on_start(ctx, state)\n",
		"function s.on_start(ctx, state)\n  error(\"setup failed\")\n", 1)
}

// TestRuntimeErrorInNewOnStart documents what a version whose on_start
// fails does. It compiled and loaded, so it is installed (v1 is stopped
// and gone); host/script counts the failure. With the default
// MaxFailures the new version runs on without its on_start setup (and
// keeps the account and working orders); with MaxFailures 1 it pauses,
// which cancels its working orders and keeps its position, until the
// file is fixed.
func TestRuntimeErrorInNewOnStart(t *testing.T) {
	t.Run("runs on with the failure counted", func(t *testing.T) {
		h := probeHost(t, nil, hostOptions{})
		before := accountOf(h.result("probe"))
		h.write("probe.lua", onStartFails())
		h.untilVersion("probe.lua", 2) // no tick between the swap and the checks
		r := h.result("probe")
		if r.Status.Paused || r.Status.Failures != 1 || r.Status.Last == nil ||
			r.Status.Last.Hook != "on_start" || r.Status.Last.Line != 6 || !strings.Contains(r.Status.Last.Msg, "setup failed") {
			t.Fatalf("engine status %+v (last %v), want running with 1 failure in on_start at line 6", r.Status, r.Status.Last)
		}
		if st := h.status("probe.lua"); st.String() != "running v2" {
			t.Errorf("reload status %q, want running v2", st)
		}
		if c := h.counters(); c.Reloaded != 1 || c.Rejected != 0 {
			t.Errorf("counters %+v, want 1 reloaded", c)
		}
		if n := h.logs.logged("strategy reloaded", map[string]any{"level": "error", "strategy": "probe"}); n != 1 {
			t.Errorf("%d error lines for the failed on_start, want 1", n)
		}
		if after := accountOf(r); after != before {
			t.Errorf("account %+v, before %+v", after, before)
		}
		h.untilFirstTick("probe", 2)
		h.tick(trigger)
		h.until("v2 to buy on the trigger", true, func() bool { return holding(h.result("probe")) == 11 })
		if r := h.result("probe"); r.Status.Failures != 0 || r.Status.Paused {
			t.Errorf("after good ticks the status is %+v, want running with no failures", r.Status)
		}
	})
	t.Run("pauses at MaxFailures 1", func(t *testing.T) {
		h := probeHost(t, nil, hostOptions{base: baseWithMaxFailures(1)})
		h.write("probe.lua", onStartFails())
		h.untilVersion("probe.lua", 2)
		r := h.result("probe")
		if !r.Status.Paused || !strings.Contains(r.Status.Reason, "setup failed") {
			t.Fatalf("engine status %+v, want paused for the on_start error", r.Status)
		}
		if got := accountOf(r); got != (account{qty: 10, orders: 2, fills: 1, cancelled: 1}) {
			t.Errorf("paused account %+v, want the 10 shares kept and the limit order cancelled", got)
		}
		h.write("probe.lua", probe("probe", 3))
		h.untilVersion("probe.lua", 3)
		h.untilFirstTick("probe", 3)
		if r := h.result("probe"); r.Status.Paused || holding(r) != 10 {
			t.Errorf("after the fix: status %+v, %d shares; want running, 10 shares", r.Status, holding(r))
		}
	})
}

// TestAddFile starts a strategy from a new file, on its own account.
func TestAddFile(t *testing.T) {
	h := probeHost(t, nil, hostOptions{})
	before := accountOf(h.result("probe"))
	h.write("adder.lua", probe("adder", 1))
	h.untilVersion("adder.lua", 1)
	h.until("adder to trade", true, func() bool {
		return accountOf(h.result("adder")) == account{qty: 10, orders: 2, fills: 1}
	})
	if c := h.counters(); c.Added != 1 || c.Reloaded != 0 {
		t.Errorf("counters %+v, want 1 added", c)
	}
	if n := h.started("adder", 1); n != 1 {
		t.Errorf("adder started %d times, want once", n)
	}
	if after := accountOf(h.result("probe")); after != before {
		t.Errorf("probe's account changed from %+v to %+v", before, after)
	}
}

// TestDeleteFile stops the strategy: on_stop's state is in Results, its
// working order is cancelled and its position kept.
func TestDeleteFile(t *testing.T) {
	h := probeHost(t, nil, hostOptions{})
	h.feed(3)
	if err := os.Remove(h.path("probe.lua")); err != nil {
		t.Fatal(err)
	}
	h.until("probe to be removed", false, func() bool { return h.status("probe.lua").Removed })
	r := h.result("probe")
	st, _ := r.State.(map[string]any)
	if !r.Removed || st["v"] != 1.0 || st["ticks"] != float64(h.seq) {
		t.Errorf("removed %v, state %v; want removed with on_stop's {v=1, ticks=%d}", r.Removed, r.State, h.seq)
	}
	if got := accountOf(r); got != (account{qty: 10, orders: 2, fills: 1, cancelled: 1}) {
		t.Errorf("account %+v, want the 10 shares kept and the limit order cancelled", got)
	}
	if s := h.status("probe.lua").String(); s != "removed (was v1)" {
		t.Errorf("status %q", s)
	}
	if c := h.counters(); c.Removed != 1 {
		t.Errorf("counters %+v, want 1 removed", c)
	}
	if n := h.logs.logged("stopped strategy still holds a position", map[string]any{"strategy": "probe", "qty": 10.0}); n != 1 {
		t.Errorf("%d warnings of the position left, want 1", n)
	}
	h.feed(3) // no more events reach it
	if r := h.result("probe"); !reflect.DeepEqual(r.State, st) || accountOf(r).orders != 2 {
		t.Errorf("after more ticks the removed strategy has state %v and %d orders", r.State, accountOf(r).orders)
	}
}

// TestRename moves a file: unchanged content keeps the strategy running
// untouched; a new strategy name in the moved file is a removal plus an
// addition.
func TestRename(t *testing.T) {
	t.Run("same content and name", func(t *testing.T) {
		h := probeHost(t, nil, hostOptions{})
		before := accountOf(h.result("probe"))
		if err := os.Rename(h.path("probe.lua"), h.path("renamed.lua")); err != nil {
			t.Fatal(err)
		}
		h.until("the rename", false, func() bool { return h.counters().Renamed == 1 })
		if st := h.status("renamed.lua"); st.Version != 1 || st.Name != "probe" || st.Removed {
			t.Errorf("renamed.lua status %+v, want probe v1 running", st)
		}
		if st := h.status("probe.lua"); st.File != "" {
			t.Errorf("the old path still has a status: %+v", st)
		}
		if c := h.counters(); c != (reloadCounters{Renamed: 1}) {
			t.Errorf("counters %+v, want 1 renamed only", c)
		}
		n := h.seq
		h.feed(3)
		r := h.stop()[0]
		if got := h.started("probe", 1); got != 1 {
			t.Errorf("on_start ran %d times, want once", got)
		}
		if st, _ := r.State.(map[string]any); st["ticks"] != float64(n+3) {
			t.Errorf("on_stop state %v: the one version should have seen all %d ticks", r.State, n+3)
		}
		if after := accountOf(r); after.qty != before.qty || after.fills != before.fills || after.orders != before.orders {
			t.Errorf("account %+v, before %+v", after, before)
		}
	})
	t.Run("new strategy name", func(t *testing.T) {
		h := probeHost(t, nil, hostOptions{})
		if err := os.Rename(h.path("probe.lua"), h.path("other.lua")); err != nil {
			t.Fatal(err)
		}
		h.write("other.lua", probe("other", 1))
		h.untilVersion("other.lua", 1)
		// host/watch holds a removal back up to a debounce for a rename's
		// other half, so the removal may come after the addition.
		h.until("probe to be removed", false, func() bool { return h.status("probe.lua").Removed })
		h.until("other to trade", true, func() bool {
			return accountOf(h.result("other")) == account{qty: 10, orders: 2, fills: 1}
		})
		if c := h.counters(); c != (reloadCounters{Added: 1, Removed: 1}) {
			t.Errorf("counters %+v, want 1 added and 1 removed", c)
		}
		r := h.result("probe")
		if !r.Removed || accountOf(r) != (account{qty: 10, orders: 2, fills: 1, cancelled: 1}) {
			t.Errorf("probe: removed %v, account %+v; want removed, shares kept, order cancelled", r.Removed, accountOf(r))
		}
	})
}

// TestNoChangeSaveDoesNothing saves the same bytes again: nothing reloads.
func TestNoChangeSaveDoesNothing(t *testing.T) {
	h := probeHost(t, nil, hostOptions{})
	h.write("probe.lua", probe("probe", 1))
	h.write("probe.lua", probe("probe", 2)) // a real change after it, to know the first was seen
	h.untilVersion("probe.lua", 2)
	if c := h.counters(); c.Reloaded != 1 || h.started("probe", 1) != 1 {
		t.Errorf("counters %+v, v1 started %d times; the identical save must not reload", c, h.started("probe", 1))
	}
}

// sized is a strategy that logs, on start, the lot its sizing module gives.
const sized = `local sizing = require("lib.sizing")
local s = { name = "%s", symbols = { "005930" }, timeframe = "1m" }
function s.on_start(ctx, state) ctx.log.info("start", { lot = sizing.lot }) end
function s.on_tick(ctx, t) end
return s
`

// TestSharedModuleChange edits a module two strategies require: both
// reload with the new module, the third strategy is left alone.
func TestSharedModuleChange(t *testing.T) {
	h := newHost(t, map[string]string{
		"a.lua":          sprintf(sized, "a"),
		"b.lua":          sprintf(sized, "b"),
		"c.lua":          probe("c", 1),
		"lib/sizing.lua": "return { lot = 1 }\n",
	}, hostOptions{})
	h.feed(2)
	h.write("lib/sizing.lua", "return { lot = 2 }\n")
	h.untilVersion("a.lua", 2)
	h.untilVersion("b.lua", 2)
	h.feed(2)
	for _, name := range []string{"a", "b"} {
		if n := h.logs.logged("start", map[string]any{"strategy": name, "lot": 2.0}); n != 1 {
			t.Errorf("%s started %d times with lot 2, want once", name, n)
		}
	}
	if st := h.status("c.lua"); st.Version != 1 || h.started("c", 1) != 1 {
		t.Errorf("c status %q, started %d times; it requires nothing and must not reload", st, h.started("c", 1))
	}
	if c := h.counters(); c.Reloaded != 2 {
		t.Errorf("counters %+v, want 2 reloaded", c)
	}
}

// TestStateHandOver checks that on_stop's table reaches the new version's
// on_start whole.
func TestStateHandOver(t *testing.T) {
	const v1 = `local s = { name = "keeper", symbols = { "005930" }, timeframe = "1m" }
local n = 0
function s.on_tick(ctx, t) n = n + 1 end
function s.on_stop(ctx) return { ticks = n, note = "from v1", list = { 1, 2, 3 }, nested = { ok = true } } end
return s
`
	const v2 = `local s = { name = "keeper", symbols = { "005930" }, timeframe = "1m" }
local got
function s.on_start(ctx, state) got = state end
function s.on_stop(ctx) return { got = got, version = 2 } end
return s
`
	h := newHost(t, map[string]string{"keeper.lua": v1}, hostOptions{})
	h.feed(7)
	h.write("keeper.lua", v2)
	h.untilVersion("keeper.lua", 2)
	r := h.stop()[0]
	want := map[string]any{"version": 2.0, "got": map[string]any{
		"ticks": 7.0, "note": "from v1", "list": []any{1.0, 2.0, 3.0}, "nested": map[string]any{"ok": true}}}
	if !reflect.DeepEqual(r.State, want) {
		t.Errorf("final state %#v\nwant %#v", r.State, want)
	}
}

// TestBrokenModule saves a module with a syntax error: the strategies that
// require it keep running their version, their status names the module's
// file and line, and fixing the module reloads them.
func TestBrokenModule(t *testing.T) {
	h := newHost(t, map[string]string{
		"a.lua":          sprintf(sized, "a"),
		"c.lua":          probe("c", 1),
		"lib/sizing.lua": "return { lot = 1 }\n",
	}, hostOptions{})
	h.feed(2)
	h.write("lib/sizing.lua", "return {\n  lot = = 2 }\n")
	h.until("a's reload to be rejected", false, func() bool { return h.status("a.lua").Rejected != nil })
	st := h.status("a.lua")
	if !strings.HasPrefix(st.String(), "running v1, v2 rejected: ") || !strings.Contains(st.String(), "sizing.lua:2") {
		t.Errorf("a status %q, want running v1 with v2 rejected at sizing.lua:2", st)
	}
	if st := h.status("c.lua"); st.String() != "running v1" {
		t.Errorf("c status %q: it requires nothing", st)
	}
	h.write("lib/sizing.lua", "return { lot = 3 }\n")
	h.untilVersion("a.lua", 2)
	if st := h.status("a.lua"); st.String() != "running v2" {
		t.Errorf("after the fix a's status is %q, want running v2", st)
	}
	if n := h.logs.logged("start", map[string]any{"strategy": "a", "lot": 3.0}); n != 1 {
		t.Errorf("a started %d times with lot 3, want once", n)
	}
	if c := h.counters(); c.Rejected != 1 || c.Reloaded != 1 {
		t.Errorf("counters %+v, want 1 rejected and 1 reloaded", c)
	}
}

// TestOldOnStopFails: when the running version's on_stop raises an error
// the new version still goes in, starting with no state, on the same
// account; the reload is logged as an error.
func TestOldOnStopFails(t *testing.T) {
	h := newHost(t, map[string]string{"probe.lua": strings.Replace(probe("probe", 1),
		"function s.on_stop(ctx) return", "function s.on_stop(ctx) error(\"cannot stop\") return", 1)}, hostOptions{})
	h.until("probe to hold 10 shares and rest a limit order", true, func() bool {
		return accountOf(h.result("probe")) == account{qty: 10, orders: 2, fills: 1}
	})
	h.write("probe.lua", probe("probe", 2))
	h.untilVersion("probe.lua", 2)
	if n := h.logs.logged("start", map[string]any{"strategy": "probe", "v": 2.0, "from": 0.0, "qty": 10.0, "orders": 1.0}); n != 1 {
		t.Errorf("v2 started %d times with no state, 10 shares and 1 order; want once\n%s", n, h.logs.String())
	}
	if n := h.logs.logged("strategy reloaded", map[string]any{"level": "error", "status": "running v2"}); n != 1 {
		t.Errorf("%d error lines for the failed on_stop, want 1", n)
	}
	h.untilFirstTick("probe", 2)
}
