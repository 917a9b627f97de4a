package script

import (
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// reachable returns every table and function reachable from a strategy's
// globals, ctx, hooks and string metatable.
func reachable(s *Strategy) (map[*lua.LTable]struct{}, map[*lua.LFunction]struct{}) {
	z := newSizer(1 << 62)
	z.add(s.L.G.Global)
	z.add(s.ctx)
	z.add(s.L.GetMetatable(lua.LString("")))
	for _, fn := range s.hooks {
		if fn != nil {
			z.add(fn)
		}
	}
	return z.tables, z.funcs
}

// TestNothingIsShared: two strategies built from one program share no
// table and no function, so nothing one does to its libraries, string
// metatable or ctx can reach the other.
func TestNothingIsShared(t *testing.T) {
	p := load(t, "hooks.lua")
	a, err := New(p, newFakeHost(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := New(p, newFakeHost(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ta, fa := reachable(a)
	tb, fb := reachable(b)
	if len(ta) < 5 || len(fa) < 50 {
		t.Fatalf("walk found %d tables and %d functions; it should see the libraries", len(ta), len(fa))
	}
	for tbl := range ta {
		if _, ok := tb[tbl]; ok {
			t.Errorf("a table is reachable from both strategies: %v", tbl)
		}
	}
	for fn := range fa {
		if _, ok := fb[fn]; ok {
			t.Errorf("a function is reachable from both strategies: %v", fn)
		}
	}
}

// TestTamperingStaysInItsState: a strategy that rewrites its string
// metatable, libraries and globals changes nothing for another.
func TestTamperingStaysInItsState(t *testing.T) {
	p := load(t, "probe.lua")
	a := start(t, "probe.lua", nil, Options{})
	b, err := New(p, newFakeHost(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := eval(t, a, `
		local mt = getmetatable("")
		mt.__index = { upper = function() return "pwned" end }
		mt.__metatable = "locked"
		string.format = nil; table.sort = nil; math.floor = nil; pairs = nil
		setmetatable(_G, { __index = function() error("trap") end })
		return ("a"):upper()`); err != nil {
		t.Fatal(err)
	}
	got, err := eval(t, b, `return table.concat({ ("a"):upper(), string.format("%d", 7), type(table.sort),
		tostring(math.floor(2.5)), type(pairs), tostring(getmetatable("") == string), tostring(undefined) }, ",")`)
	if err != nil || got != "A,7,function,2,function,true,nil" {
		t.Errorf("the other strategy sees %q, %v", got, err)
	}
}

// TestReachableGoFunctions pins the Go functions a script can call: a new
// one must be added here, and so reviewed, before the sandbox exposes it.
func TestReachableGoFunctions(t *testing.T) {
	s := start(t, "hooks.lua", nil, Options{})
	var names []string
	collect := func(prefix string, tbl *lua.LTable) {
		tbl.ForEach(func(k, v lua.LValue) {
			if fn, ok := v.(*lua.LFunction); ok && fn.IsG {
				names = append(names, prefix+lua.LVAsString(k))
			}
		})
	}
	collect("", s.L.G.Global)
	for _, lib := range []string{"string", "table", "math"} {
		collect(lib+".", s.L.GetGlobal(lib).(*lua.LTable))
	}
	collect("ctx.", s.ctx)
	collect("ctx.log.", s.ctx.RawGetString("log").(*lua.LTable))
	slices.Sort(names)
	want := "assert ctx.atr ctx.bars ctx.bbands ctx.buy ctx.cancel ctx.cash ctx.ema ctx.equity ctx.highest " +
		"ctx.indicator ctx.last ctx.log.debug ctx.log.error ctx.log.info ctx.log.warn ctx.lowest ctx.macd ctx.now " +
		"ctx.orders ctx.position ctx.roc ctx.rsi ctx.save ctx.sell ctx.sma ctx.stddev ctx.stoch ctx.wma error getmetatable " +
		"ipairs math.abs math.acos math.asin math.atan math.atan2 math.ceil math.cos math.cosh math.deg math.exp " +
		"math.floor math.fmod math.frexp math.ldexp math.log math.log10 math.max math.min math.mod math.modf " +
		"math.pow math.rad math.random math.sin math.sinh math.sqrt math.tan math.tanh next pairs pcall print " +
		"require select setmetatable string.byte string.char string.find string.format string.gfind string.gmatch " +
		"string.gsub string.len string.lower string.match string.rep string.reverse string.sub string.upper " +
		"table.concat table.getn table.insert table.maxn table.remove table.sort tonumber tostring type unpack xpcall"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("reachable Go functions:\n got %s\nwant %s", got, want)
	}
}
