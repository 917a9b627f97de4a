package script

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestBurnersAreStopped: every way we know to burn time or memory inside
// one hook call ends the call with a timeout, a memory stop or a
// sandbox error; none stalls the host. The budget is short and the memory
// budget small, so each case ends quickly.
func TestBurnersAreStopped(t *testing.T) {
	big := `local big = ("x"):rep(2^20) big = big .. big .. big .. big .. big .. big .. big .. big `
	cases := []struct {
		name, body string
		kinds      []ErrorKind // any of these
	}{
		{"plain loop", `while true do end`, []ErrorKind{KindTimeout}},
		{"numeric for", `for i = 1, 1e15 do end`, []ErrorKind{KindTimeout, KindMemory}}, // the counter is boxed: 16 B per step
		{"loop in pcall", `while true do pcall(function() while true do end end) end`, []ErrorKind{KindTimeout}},
		{"error in pcall loop", `while true do pcall(error, "x") end`, []ErrorKind{KindTimeout, KindMemory}},
		{"xpcall handler loop", `xpcall(error, function() while true do end end)`, []ErrorKind{KindTimeout}},
		{"concat in a loop", `local s = "" while true do s = s .. "abc" end`, []ErrorKind{KindTimeout, KindMemory}},
		{"table.concat in a loop", big + `local t = { big, big } while true do local _ = table.concat(t) end`, []ErrorKind{KindTimeout, KindMemory}},
		{"find on a huge string", big + `while true do big:find("y", 1, true) end`, []ErrorKind{KindTimeout}},
		{"sub and byte on a huge string", big + `while true do local _ = big:sub(2):byte(-1) end`, []ErrorKind{KindTimeout}},
		{"upper on a huge string", big + `while true do local _ = big:upper() end`, []ErrorKind{KindTimeout, KindMemory}},
		{"format in a loop", `while true do local _ = string.format("%99d", 1) end`, []ErrorKind{KindTimeout, KindMemory}},
		{"rep in a loop", `while true do local _ = ("x"):rep(2^20) end`, []ErrorKind{KindTimeout, KindMemory}},
		{"char of many values", `local t = {} for i = 1, 7000 do t[i] = 65 end while true do local _ = string.char(unpack(t)) end`, []ErrorKind{KindTimeout, KindMemory}},
		{"length of a big array", `local t = {} for i = 1, 2^16 do t[i] = i end while true do local _ = #t end`, []ErrorKind{KindTimeout}},
		{"tostring of a deep table", `local t = {} for i = 1, 1000 do t = { t } end while true do local _ = tostring(t) end`, []ErrorKind{KindTimeout, KindMemory}},
		{"sort with a looping comparator", `local t = {} for i = 1, 100 do t[i] = i end table.sort(t, function(a, b) while true do end end)`, []ErrorKind{KindTimeout}},
		{"sort in a loop", `local t = {} for i = 1, 2^16 do t[i] = -i end while true do table.sort(t) end`, []ErrorKind{KindTimeout, KindMemory}},
		{"recursion", `local function f() return f() + 1 end f()`, []ErrorKind{KindRuntime}},
		{"tail recursion", `local function f() return f() end f()`, []ErrorKind{KindTimeout}},
		{"__index recursion", `local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end local _ = t.x`, []ErrorKind{KindRuntime}},
		{"__lt loop", `local mt = { __lt = function() while true do end end } local a, b = setmetatable({}, mt), setmetatable({}, mt) local _ = a < b`, []ErrorKind{KindTimeout}},
		{"__concat recursion", `local mt = {} mt.__concat = function(a, b) return a .. b end local a = setmetatable({}, mt) local _ = a .. "x"`, []ErrorKind{KindRuntime}},
		{"__tostring loop", `local t = setmetatable({}, { __tostring = function() while true do end end }) print(t)`, []ErrorKind{KindTimeout}},
		{"unpack huge", `return unpack({}, 1, 1e9)`, []ErrorKind{KindRuntime}},
		{"coroutine", `coroutine.create(function() end)`, []ErrorKind{KindRuntime}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(compileSrc(t, hogSrc(c.body)), newFakeHost(), Options{Budget: 100 * time.Millisecond, MaxFailures: 1, Memory: 16 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var e *Error
			if err := s.Tick(tick(1)); !errors.As(err, &e) {
				t.Fatalf("err = %v, want the call stopped", err)
			}
			st := s.Status()
			if !st.Paused || !slices.Contains(c.kinds, st.Cause) || st.Last.Hook != "on_tick" {
				t.Fatalf("status %+v (cause %s), want stopped by one of %v in on_tick", st, st.Cause, c.kinds)
			}
		})
	}
}
