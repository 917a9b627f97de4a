package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// barOnly is a bar strategy: it never asks for ticks.
const barOnly = `
local s = { name = "bars", symbols = { "005930" }, timeframe = "1m" }
local n = 0
function s.on_bar(ctx, bar) n = n + 1 end
return s
`

// tickOnly is an empty on_tick strategy: the cost of the Lua boundary.
const tickOnly = `
local s = { name = "ticks", symbols = { "005930" }, timeframe = "1m" }
function s.on_tick(ctx, tick) end
return s
`

// feeder produces an endless tape, 10 ticks a second, without allocating.
type feeder struct {
	t market.Tick
	i int64
}

func newFeeder() *feeder {
	return &feeder{t: market.Tick{Time: day1, Symbol: sym, Price: 70_000, Volume: 10}}
}

func (f *feeder) next() *market.Tick {
	f.i++
	f.t.Time = day1.Add(time.Duration(f.i) * 100 * time.Millisecond)
	f.t.Price = 70_000 + 100*((f.i/50)%7)
	f.t.Seq = f.i
	return &f.t
}

func benchEngine(b *testing.B, specs ...Spec) {
	e, err := New(Config{Strategies: specs})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Start(); err != nil {
		b.Fatal(err)
	}
	f := newFeeder()
	for range 10_000 { // fill the history ring and scratch slices first
		e.Process(f.next())
	}
	b.ReportAllocs()
	for b.Loop() {
		e.Process(f.next())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ticks/s")
}

// BenchmarkEngineTick is the cost of one tick through the engine, one
// bar a minute at 10 ticks a second.
func BenchmarkEngineTick(b *testing.B) {
	b.Run("no-strategies", func(b *testing.B) { benchEngine(b) })
	b.Run("lua-on_bar", func(b *testing.B) { benchEngine(b, luaSpec(b, "bars.lua", barOnly)) })
	b.Run("go-on_bar", func(b *testing.B) {
		benchEngine(b, goSpec(goStrat{meta: barMeta, bar: func(*market.Bar) error { return nil }}))
	})
	b.Run("lua-ma-cross", func(b *testing.B) { benchEngine(b, luaSpec(b, "ma.lua", maCross)) })
	b.Run("lua-on_tick", func(b *testing.B) { benchEngine(b, luaSpec(b, "ticks.lua", tickOnly)) })
	b.Run("lua-on_bar-x3", func(b *testing.B) {
		benchEngine(b, luaSpec(b, "a.lua", barOnly), luaSpec(b, "b.lua", renamed(barOnly, "b")),
			luaSpec(b, "c.lua", renamed(barOnly, "c")))
	})
}

func renamed(src, name string) string {
	return strings.Replace(src, `name = "bars"`, `name = "`+name+`"`, 1)
}

// TestTickPathDoesNotAllocate holds the engine to zero allocations per
// tick outside the strategy, for a bar and a tick strategy written in Go.
func TestTickPathDoesNotAllocate(t *testing.T) {
	tickMeta := barMeta
	tickMeta.Name = "goticks"
	for _, tc := range []struct {
		name string
		g    goStrat
	}{
		{"on_bar", goStrat{meta: barMeta, bar: func(*market.Bar) error { return nil }}},
		{"on_tick", goStrat{meta: tickMeta, tick: func(*market.Tick) error { return nil }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Config{Strategies: []Spec{goSpec(tc.g)}})
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Start(); err != nil {
				t.Fatal(err)
			}
			f := newFeeder()
			for range 10_000 {
				e.Process(f.next())
			}
			if n := testing.AllocsPerRun(6_000, func() { e.Process(f.next()) }); n != 0 {
				t.Fatalf("%.3f allocations per tick", n)
			}
		})
	}
}
