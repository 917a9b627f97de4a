package script

import (
	"fmt"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/qbtrading/qb/lib/market"
)

func benchStrategy(b *testing.B, mode string) (*Strategy, *fakeHost) {
	return benchStrategyWith(b, mode, Options{})
}

func benchStrategyWith(b *testing.B, mode string, opt Options) (*Strategy, *fakeHost) {
	h := newFakeHost()
	h.indOut = []float64{70123.5}
	opt.Params = map[string]string{"mode": mode}
	s := start(b, "bench.lua", h, opt)
	if err := s.Start(nil); err != nil {
		b.Fatal(err)
	}
	return s, h
}

// BenchmarkEmptyHook is the cost of the Go→Lua boundary: an on_tick that
// does nothing, with the tick table refreshed each call as the engine does.
// memory=off switches the allocation watch and the retained-memory
// estimate off (Options.Memory < 0), to show what they cost per call.
func BenchmarkEmptyHook(b *testing.B) {
	for _, c := range []struct {
		name   string
		memory int64
	}{{"memory=on", 0}, {"memory=off", -1}} {
		b.Run(c.name, func(b *testing.B) { benchEmptyHook(b, Options{Memory: c.memory}) })
	}
}

func benchEmptyHook(b *testing.B, opt Options) {
	s, _ := benchStrategyWith(b, "empty", opt)
	t := tick(70000)
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		i++
		t.Price = 70000 + i%50*100 // a moving price, as a real tape has
		t.Time = t.Time.Add(time.Millisecond)
		if err := s.Tick(t); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBarFields: on_bar reading every field of a fresh bar.
func BenchmarkBarFields(b *testing.B) {
	s, _ := benchStrategy(b, "empty")
	br := bar(70000)
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		i++
		br.Close = 70000 + i%50*100
		br.Start = br.Start.Add(time.Duration(market.Min1))
		if err := s.Bar(br); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCtxSMA: on_tick calling ctx.sma once (the host's indicator is a
// fake that returns a stored value, so this measures the binding).
func BenchmarkCtxSMA(b *testing.B) {
	s, _ := benchStrategy(b, "sma")
	t := tick(70000)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Tick(t); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSkippedHook: the engine asking a bar strategy about a tick.
func BenchmarkSkippedHook(b *testing.B) {
	s, err := New(compileSrc(b, strategySrc(`"bar_only"`, `{ "005930" }`, `"1m"`, "{}", "function s.on_bar(ctx, b) end")), newFakeHost(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t := tick(70000)
	b.ReportAllocs()
	for b.Loop() {
		if s.Wants(HookTick) {
			_ = s.Tick(t)
		}
	}
}

// BenchmarkNew: building a strategy from a compiled program (sandbox,
// chunk, contract, ctx).
func BenchmarkNew(b *testing.B) {
	p := load(b, "hooks.lua")
	h := newFakeHost()
	b.ReportAllocs()
	for b.Loop() {
		s, err := New(p, h, Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkWorkingHook: on_tick doing typical per-tick work (a table, a
// string.format, a table.concat, an unpack, a sort of 20 numbers) with the
// memory watch on and off: the cost of the bounded library functions and
// of the watch on a hook that allocates.
func BenchmarkWorkingHook(b *testing.B) {
	for _, c := range []struct {
		name   string
		memory int64
	}{{"memory=on", 0}, {"memory=off", -1}} {
		b.Run(c.name, func(b *testing.B) {
			s, _ := benchStrategyWith(b, "work", Options{Memory: c.memory})
			t := tick(70000)
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Tick(t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLibraryBounds compares the sandbox's bounded library functions
// with gopher-lua's own in a plain state: the per-call price of the
// bounds. One op is 100 calls from a Lua loop.
func BenchmarkLibraryBounds(b *testing.B) {
	calls := map[string]string{
		"format": `local _ = string.format("%s:%d:%5.1f", "buy", 70000, 1.25)`,
		"concat": `local _ = table.concat(list, ",")`,
		"unpack": `local _ = unpack(list)`,
		"byte":   `local _ = string.byte("005930", 1, -1)`,
		"sort":   `table.sort(list)`,
		"upper":  `local _ = ("buy"):upper()`,
	}
	sandbox := start(b, "bench.lua", nil, Options{})
	stock := lua.NewState()
	b.Cleanup(stock.Close)
	for _, name := range []string{"byte", "concat", "format", "sort", "unpack", "upper"} {
		for _, side := range []struct {
			name string
			L    *lua.LState
		}{{"sandbox", sandbox.L}, {"stock", stock}} {
			b.Run(name+"/"+side.name, func(b *testing.B) {
				L := side.L
				if err := L.DoString(`list = {} for i = 1, 20 do list[i] = (i * 7) % 20 end`); err != nil {
					b.Fatal(err)
				}
				fn, err := L.LoadString("for i = 1, 100 do " + calls[name] + " end")
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRetainedEstimate: one walk of a strategy's state, as run at
// most once a second (or per quarter budget of allocations) after a call,
// for the bench strategy and one holding a 10,000-entry history.
func BenchmarkRetainedEstimate(b *testing.B) {
	for _, n := range []int{0, 10000} {
		b.Run(fmt.Sprintf("history=%d", n), func(b *testing.B) {
			s, _ := benchStrategy(b, "empty")
			if _, err := eval(b, s, fmt.Sprintf(`history = {} for i = 1, %d do history[i] = { price = i, time = i } end`, n)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				s.retained(DefaultMemory)
			}
		})
	}
}
