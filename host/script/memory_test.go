package script

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// hogSrc is a strategy whose on_tick is body (at line 3).
func hogSrc(body string) string {
	return "local s = { name = 'hog', symbols = { '005930' }, timeframe = '1m' }\nlocal keep = {}\n" +
		"function s.on_tick(ctx, t) " + body + " end\nfunction s.on_bar(ctx, b) end\nreturn s\n"
}

// TestCallOverMemoryBudgetStops: a hook that allocates past the budget in
// one call is aborted and the strategy stopped, with the limit, hook and
// line in its status. The time budget is long, so only the memory watch
// can stop these.
func TestCallOverMemoryBudgetStops(t *testing.T) {
	cases := []struct{ name, body string }{
		{"doubling string", `local s = "x" while true do s = s .. s end`},
		{"table growth", `local t = {} local i = 0 while true do i = i + 1 t[i] = { i } end`},
		{"string pieces", `local t = {} local i = 0 while true do i = i + 1 t[i] = ("y"):rep(1000) .. i end`},
		{"garbage in pcall", `while true do pcall(function() local t = {} for i = 1, 1000 do t[i] = {} end end) end`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(compileSrc(t, hogSrc(c.body)), newFakeHost(), Options{Budget: 20 * time.Second, Memory: 8 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			err = s.Tick(tick(70000))
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindPaused || e.Hook != "on_tick" || e.Line != 3 {
				t.Fatalf("err = %v, want the strategy stopped in on_tick at line 3", err)
			}
			st := s.Status()
			if !st.Paused || st.Cause != KindMemory || st.Last == nil || st.Last.Kind != KindMemory ||
				!strings.Contains(st.Reason, "per-call memory budget of 32 MiB") || !strings.Contains(st.Reason, "inline.lua:3: on_tick") {
				t.Errorf("status = %+v", st)
			}
			if s.Wants(HookBar) || s.Bar(bar(1)) != nil {
				t.Error("a stopped strategy still runs hooks")
			}
		})
	}
}

// TestRetainedOverBudgetStops: a strategy that keeps a little more in a
// global on every call, each call well under the budget, is stopped once
// the estimate of what it retains passes the budget, and the status names
// the global.
func TestRetainedOverBudgetStops(t *testing.T) {
	src := hogSrc(`for i = 1, 4 do big[#big + 1] = ("z"):rep(2^20 - 8) .. string.format("%08d", #big) end`)
	src = strings.Replace(src, "local keep = {}", "big = {}", 1)
	s, err := New(compileSrc(t, src), newFakeHost(), Options{Memory: 24 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	calls := 0
	// at most 40 calls (160 MiB): a broken estimate fails the test, not the machine
	for ; calls < 40 && !s.Status().Paused; calls++ {
		if err := s.Tick(tick(70000)); err != nil && !s.Status().Paused {
			t.Fatalf("call %d: %v", calls, err)
		}
		time.Sleep(2 * memPoll) // let the watchdog account the call
	}
	st := s.Status()
	if !st.Paused || st.Cause != KindMemory || !strings.Contains(st.Reason, "retains more than its memory budget of 24 MiB") ||
		!strings.Contains(st.Reason, "global big") {
		t.Fatalf("after %d calls: status %+v", calls, st)
	}
	if calls < 6 { // 6 calls hold 24 MiB: the estimate must not stop it early
		t.Errorf("stopped after %d calls (%d MiB retained), under the budget", calls, 4*calls)
	}
}

// TestHoardingInHostTablesStops: ctx and the reused hook argument tables
// live as long as the strategy, so what a script keeps there counts.
func TestHoardingInHostTablesStops(t *testing.T) {
	for _, where := range []string{"ctx", "t"} {
		t.Run(where, func(t *testing.T) {
			body := where + `.stash = ` + where + `.stash or {} for i = 1, 4 do table.insert(` + where + `.stash, ("z"):rep(2^20 - 8) .. string.format("%08d", #` + where + `.stash)) end`
			s, err := New(compileSrc(t, hogSrc(body)), newFakeHost(), Options{Memory: 16 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			// at most 40 calls (160 MiB): a broken estimate fails the test, not the machine
			for i := 0; i < 40 && !s.Status().Paused; i++ {
				_ = s.Tick(tick(70000))
				time.Sleep(2 * memPoll)
			}
			if st := s.Status(); st.Cause != KindMemory || !strings.Contains(st.Reason, "retains more") {
				t.Fatalf("status %+v", st)
			}
		})
	}
}

// TestQuietStrategyIsNotStopped: a strategy that allocates a little per
// call and retains a bounded window runs on, however many calls.
func TestQuietStrategyIsNotStopped(t *testing.T) {
	src := hogSrc(`keep[#keep % 100 + 1] = { price = t.price, note = "p" .. t.price }`)
	s, err := New(compileSrc(t, src), newFakeHost(), Options{Memory: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 20000; i++ {
		if err := s.Tick(tick(70000 + int64(i%50)*100)); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n, _ := s.retained(8 << 20); n <= 0 || n > 1<<20 {
		t.Errorf("retained estimate %d bytes for a 100-entry window", n)
	}
}

// TestMemoryWatchOff: Memory < 0 switches the watch off; the time budget
// still holds.
func TestMemoryWatchOff(t *testing.T) {
	s, err := New(compileSrc(t, hogSrc(`local t = {} local i = 0 while true do i = i + 1 t[i % 1000] = { i } end`)),
		newFakeHost(), Options{Budget: 50 * time.Millisecond, Memory: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var e *Error
	if err := s.Tick(tick(1)); !errors.As(err, &e) || e.Kind != KindTimeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

func TestSizer(t *testing.T) {
	L := lua.NewState(stateOptions())
	defer L.Close()
	list := func(n int, v func(i int) lua.LValue) *lua.LTable {
		t := L.NewTable()
		for i := 1; i <= n; i++ {
			t.RawSetInt(i, v(i))
		}
		return t
	}
	long := lua.LString(strings.Repeat("s", 1<<20))
	cyclic := L.NewTable()
	cyclic.RawSetString("self", cyclic)
	deep := L.NewTable()
	for cur, i := deep, 0; i < 200000; i++ {
		next := L.NewTable()
		cur.RawSetString("n", next)
		cur = next
	}
	deleted := L.NewTable() // keys stored and deleted: gopher-lua keeps them
	for i := 0; i < 10000; i++ {
		k := fmt.Sprintf("key%06d", i)
		deleted.RawSetString(k, lua.LTrue)
		deleted.RawSetString(k, lua.LNil)
	}
	emptied := L.NewTable() // an array part filled, then set to nil
	for i := 1; i <= 100000; i++ {
		emptied.Append(lua.LNumber(i))
	}
	for i := 1; i <= 100000; i++ {
		emptied.RawSetInt(i, lua.LNil)
	}
	cases := []struct {
		name     string
		v        lua.LValue
		lo, hi   int64
		limit    int64
		wantOver bool
	}{
		{"number", lua.LNumber(1), 0, 0, 1 << 30, false},
		{"string", lua.LString("abc"), 3, 3, 1 << 30, false},
		{"list of numbers", list(1000, func(i int) lua.LValue { return lua.LNumber(i) }), 1000 * 16, 1000 * 64, 1 << 30, false},
		{"one long string shared 1000 times", list(1000, func(int) lua.LValue { return long }), 1 << 20, 1<<20 + 100_000, 1 << 30, false},
		{"1000 distinct strings", list(1000, func(i int) lua.LValue { return lua.LString(strings.Repeat("x", 1000+i)) }), 1_500_000, 1_600_000, 1 << 30, false},
		// L.NewTable preallocates 32 array slots, as a Lua {} does not
		{"a cycle counts once", cyclic, sizeTable, 1024, 1 << 30, false},
		{"deep nesting, no Go recursion", deep, 200000 * sizeTable, 200001 * 1024, 1 << 30, false},
		{"stops at the limit", deep, 1 << 20, 1<<20 + 2*(sizeTable+2*sizeSlot+3*sizeMapEntry+1), 1 << 20, true},
		{"deleted keys still count", deleted, 10000 * (sizeSlot + sizeMapEntry + 9), 10000 * (2*sizeSlot + sizeMapEntry + 20), 1 << 30, false},
		{"an emptied array still counts", emptied, 100000 * sizeSlot, 3 * 100000 * sizeSlot, 1 << 30, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z := newSizer(c.limit)
			got := z.add(c.v)
			if got < c.lo || got > c.hi || z.over() != c.wantOver {
				t.Errorf("estimate %d (over %v), want %d..%d (over %v)", got, z.over(), c.lo, c.hi, c.wantOver)
			}
		})
	}
}
