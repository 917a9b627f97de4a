package script

import (
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// probe runs testdata/probe.lua with params and returns on_stop's result.
func probe(t *testing.T, params map[string]string) map[string]any {
	t.Helper()
	s := start(t, "probe.lua", nil, Options{Params: params})
	if err := s.Start(nil); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	return st.(map[string]any)
}

// mustBeAbsent is every global and library field a strategy must not
// reach, written from docs/sandbox.md ("What a script cannot do") and
// DESIGN.md's Sandbox section, not from sandbox.go's own lists: libraries
// never opened, and functions removed from those that are.
var mustBeAbsent = [][2]string{
	{"_G", "os"}, {"_G", "io"}, {"_G", "debug"}, {"_G", "package"}, {"_G", "channel"}, {"_G", "coroutine"},
	{"_G", "load"}, {"_G", "loadstring"}, {"_G", "dofile"}, {"_G", "loadfile"}, {"_G", "module"},
	{"_G", "getfenv"}, {"_G", "setfenv"}, {"_G", "collectgarbage"},
	{"_G", "rawget"}, {"_G", "rawset"}, {"_G", "rawequal"}, {"_G", "rawlen"},
	{"_G", "newproxy"}, {"_G", "_printregs"},
	{"string", "dump"}, {"math", "randomseed"},
}

func TestRemovedGlobalsAreNil(t *testing.T) {
	for _, f := range mustBeAbsent {
		t.Run(f[0]+"."+f[1], func(t *testing.T) {
			if got := probe(t, map[string]string{"lib": f[0], "field": f[1]})["type"]; got != "nil" {
				t.Errorf("type(%s.%s) = %v, want nil", f[0], f[1], got)
			}
		})
	}
}

// The globals and library fields of a strategy's state are exactly these
// allow-lists, from docs/sandbox.md ("What a script can do": base minus
// the removals, table, string, math): a new global, or a removal undone,
// shows here whatever sandbox.go's lists say.
func TestGlobalsAreExactlyTheAllowList(t *testing.T) {
	allow := map[string][]string{
		"_G": {
			"_G", "_GOPHER_LUA_VERSION", "_VERSION", // names and version strings
			"assert", "error", "getmetatable", "ipairs", "math", "next", "pairs", "pcall", "print",
			"require", "select", "setmetatable", "string", "table", "tonumber", "tostring", "type",
			"unpack", "xpcall",
		},
		// gmatch, gfind, gsub and match are kept only to raise "patterns
		// are disabled"; __index makes the table the strings' metatable.
		"string": {"__index", "byte", "char", "find", "format", "gfind", "gmatch", "gsub", "len",
			"lower", "match", "rep", "reverse", "sub", "upper"},
		"table": {"concat", "getn", "insert", "maxn", "remove", "sort"},
		"math": {"abs", "acos", "asin", "atan", "atan2", "ceil", "cos", "cosh", "deg", "exp", "floor",
			"fmod", "frexp", "huge", "ldexp", "log", "log10", "max", "min", "mod", "modf", "pi", "pow",
			"rad", "random", "sin", "sinh", "sqrt", "tan", "tanh"},
	}
	s := start(t, "probe.lua", nil, Options{})
	if err := s.Start(nil); err != nil {
		t.Fatal(err)
	}
	for lib, want := range allow {
		tbl := s.L.G.Global
		if lib != "_G" {
			v, ok := s.L.G.Global.RawGetString(lib).(*lua.LTable)
			if !ok {
				t.Fatalf("%s is not a table", lib)
			}
			tbl = v
		}
		var got []string
		tbl.ForEach(func(k, _ lua.LValue) { got = append(got, k.String()) })
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s holds %v\nwant exactly  %v", lib, got, want)
		}
	}
	for _, f := range mustBeAbsent {
		tbl, _ := s.L.G.Global.RawGetString(f[0]).(*lua.LTable)
		if f[0] == "_G" {
			tbl = s.L.G.Global
		}
		if v := tbl.RawGetString(f[1]); v != lua.LNil {
			t.Errorf("%s.%s is a %s, want nil", f[0], f[1], v.Type())
		}
	}
}

func TestKeptGlobalsWork(t *testing.T) {
	for _, name := range []string{"print", "require", "pairs", "ipairs", "pcall", "error", "tostring", "setmetatable"} {
		t.Run(name, func(t *testing.T) {
			if got := probe(t, map[string]string{"field": name})["type"]; got != "function" {
				t.Errorf("type(%s) = %v, want function", name, got)
			}
		})
	}
}

// TestGlobalsStayInTheirState: a global set by one strategy is not seen by
// another built from the same program.
func TestGlobalsStayInTheirState(t *testing.T) {
	p := load(t, "probe.lua")
	a, err := New(p, newFakeHost(), Options{Params: map[string]string{"set": "shared_secret"}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := New(p, newFakeHost(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, s := range []*Strategy{a, b} {
		if err := s.Start(nil); err != nil {
			t.Fatal(err)
		}
	}
	sa, _ := a.Stop()
	sb, _ := b.Stop()
	if got := sa.(map[string]any)["seen"]; got != "leaked" {
		t.Fatalf("the setter does not see its own global: %v", got)
	}
	if got := sb.(map[string]any)["seen"]; got != "nil" {
		t.Errorf("the other strategy sees shared_secret = %v, want nil", got)
	}
}

// eval runs a chunk in a built strategy's state with ctx as a global and
// returns the first result or the error.
func eval(t testing.TB, s *Strategy, src string) (string, error) {
	t.Helper()
	s.L.SetGlobal("ctx", s.ctx)
	top := s.L.GetTop()
	if err := s.L.DoString(src); err != nil {
		return "", err
	}
	defer s.L.SetTop(top)
	if s.L.GetTop() == top {
		return "", nil
	}
	return s.L.Get(top + 1).String(), nil
}

func TestSandboxLimits(t *testing.T) {
	cases := []struct {
		name, src, want, wantErr string
	}{
		{"rep small", `return #string.rep("ab", 1000)`, "2000", ""},
		{"rep capped", `return string.rep("x", 1024*1024+1)`, "", "exceed"},
		{"rep method capped", `return ("xy"):rep(600000)`, "", "exceed"},
		{"rep huge", `return string.rep("x", 2^40)`, "", "exceed"},
		{"find plain", `return string.find("a.b", ".", 1, true)`, "2", ""},
		{"find no magic", `return ("hello"):find("ll")`, "3", ""},
		{"find init past end", `return tostring(string.find("abc", "c", 1e300, true))`, "nil", ""},
		{"find negative init", `return string.find("abcabc", "a", -3, true)`, "4", ""},
		{"find plain with extra args", `return string.find("a.b", ".", 1, true, "x")`, "2", ""},
		{"find pattern", `return string.find(("a"):rep(20), ("a-"):rep(10) .. "b")`, "", "patterns are disabled"},
		{"match", `return ("abc"):match("b")`, "", "patterns are disabled"},
		{"gsub", `return string.gsub("abc", "b", "x")`, "", "patterns are disabled"},
		{"gmatch", `return string.gmatch("abc", ".")`, "", "patterns are disabled"},
		{"format", `return string.format("%5.2f|%-3d|%s", 3.14159, 7, "x")`, " 3.14|7  |x", ""},
		{"format wide", `return string.format("%999999d", 1)`, "", "too long"},
		{"format precision", `return string.format("%.100f", 1)`, "", "too long"},
		{"concat", `return table.concat({"a", "b", 3}, ",")`, "a,b,3", ""},
		{"concat capped", `local t = {} for i = 1, 20 do t[i] = ("x"):rep(1024*1024) end return table.concat(t)`, "", "exceed"},
		{"sparse index", `local t = {} t[67108000] = true return t[67108000]`, "true", ""},
		{"deep recursion", `local function f(n) return 1 + f(n + 1) end return f(1)`, "", "stack overflow"},
		{"unpack bomb", `local t = {} return select('#', unpack(t, 1, 1e7))`, "", "too many results"},
		{"unpack huge range", `return select('#', unpack({}, -2^62, 2^62))`, "", "too many results"},
		{"unpack nan", `return unpack({}, 0/0)`, "", "nan"},
		{"unpack empty range", `return select('#', unpack({1, 2}, 5, 1))`, "0", ""},
		{"unpack nil holes", `return select('#', unpack({1, nil, 3}, 1, 3))`, "3", ""},
		{"byte bomb", `return select('#', string.byte(("x"):rep(1000000), 1, -1))`, "", "string slice too long"},
		{"byte range", `return select('#', string.byte("abcdef", 2, -2))`, "4", ""},
		{"byte one", `return string.byte("abc", 2)`, "98", ""},
		{"byte huge end", `return select('#', string.byte("abc", 1, 2^60))`, "3", ""},
		{"upper", `return ("aBc"):upper() .. ("aBc"):lower() .. ("abc"):reverse()`, "ABCabccba", ""},
		{"upper huge", `local s = ("x"):rep(2^20) s = table.concat({s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s}) .. "y" return s:upper()`, "", "longer than"},
		{"sort", `local t = {3, 1, 2} table.sort(t) return table.concat(t, ",")`, "1,2,3", ""},
		{"sort comparator", `local t = {3, 1, 2} table.sort(t, function(a, b) return a > b end) return table.concat(t, ",")`, "3,2,1", ""},
		{"sort huge", `local t = {} for i = 1, 2^16 + 1 do table.insert(t, i) end table.sort(t) return #t`, "", "more than the sandbox's"},
		{"concat numbers", `return table.concat({1, 2.5, "x"}, "-", 2, 3)`, "2.5-x", ""},
		{"concat long list", `local t = {} for i = 1, 40000 do t[i] = "a" end return #table.concat(t)`, "40000", ""},
		{"concat bad value", `return table.concat({"a", {}}, ",")`, "", "invalid value (table) at index 2"},
		{"concat hole", `return table.concat({"a"}, ",", 1, 2^53)`, "", "invalid value (nil) at index 2"},
		{"concat empty range", `return table.concat({"a"}, ",", 3)`, "", ""},
		{"format a table with a bad verb", `local s = ("x"):rep(2^20) local t = {} for i = 1, 2000 do t[i] = s end return #string.format("%d|%\248", t, t) < 100`, "true", ""},
		{"format mixed", `return string.format("%s|%5.1f|%s|%d", "a", 2.25, nil, 7)`, "a|  2.2|nil|7", ""},
		{"format names a table", `return string.format("%s", {}):sub(1, 7)`, "table: ", ""},
		{"format many big strings", `local s = ("x"):rep(2^20) return string.format(("%s"):rep(20), s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s)`, "", "would exceed"},
		{"unpack fits", `local t = {} for i = 1, 5000 do t[i] = i end return select('#', unpack(t))`, "5000", ""},
		{"random repeatable", `return math.random(1, 6) >= 1`, "true", ""},
		{"random empty", `return math.random(0)`, "", "want a whole number"},
		{"random unit", `for i = 1, 1000 do local x = math.random() if x < 0 or x >= 1 then return x end end return "ok"`, "ok", ""},
		{"random m", `for i = 1, 1000 do local x = math.random(6) if x < 1 or x > 6 or x % 1 ~= 0 then return x end end return "ok"`, "ok", ""},
		{"random m n", `for i = 1, 1000 do local x = math.random(-3, 3) if x < -3 or x > 3 or x % 1 ~= 0 then return x end end return "ok"`, "ok", ""},
		{"random reversed", `return math.random(5, 1)`, "", "n: want a whole number in 5.."},
		{"random too many", `return math.random(1, 2, 3)`, "", "wrong number of arguments"},
	}
	s := start(t, "probe.lua", nil, Options{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := eval(t, s, c.src)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// TestRandomIsSeeded: two strategies with the same seed draw the same
// numbers; another seed draws others.
func TestRandomIsSeeded(t *testing.T) {
	draw := func(seed uint64) string {
		s := start(t, "probe.lua", nil, Options{Seed: seed})
		got, err := eval(t, s, `local t = {} for i = 1, 8 do t[i] = math.random(1000) end return table.concat(t, ",")`)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a, b, c := draw(7), draw(7), draw(8)
	if a != b {
		t.Errorf("same seed, different draws: %s vs %s", a, b)
	}
	if a == c {
		t.Errorf("different seeds, same draws: %s", a)
	}
}
