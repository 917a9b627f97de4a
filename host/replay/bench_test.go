package replay

import (
	"fmt"
	"testing"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/sim"
)

// tapeTicks is the size of the benchmark tape: a million simulated trades
// over the five default symbols (about nine sessions at one trade a second).
const tapeTicks = 1_000_000

// maCrossLua is the MA cross the Go baseline below repeats line for line.
const maCrossLua = `
local s = { name = "%s", symbols = { "005930" }, timeframe = "1m", params = { fast = 5, slow = 20 } }
local prev
function s.on_bar(ctx, bar)
  local fast, slow = ctx.sma(bar.symbol, 5), ctx.sma(bar.symbol, 20)
  if not fast or not slow then return end
  local diff = fast - slow
  local held = ctx.position(bar.symbol).qty
  if prev and prev <= 0 and diff > 0 and held == 0 then ctx.buy(bar.symbol, 10)
  elseif prev and prev >= 0 and diff < 0 and held > 0 then ctx.sell(bar.symbol, held) end
  prev = diff
end
return s
`

// tickLua counts trades and keeps a running high: a small on_tick body.
const tickLua = `
local s = { name = "%s", symbols = { "005930", "000660", "035420", "005380", "035720" }, timeframe = "1m" }
local n, high = 0, 0
function s.on_tick(ctx, tick)
  n = n + 1
  if tick.price > high then high = tick.price end
end
return s
`

func benchTape(b *testing.B) []market.Tick {
	b.Helper()
	s, err := sim.New(sim.Config{Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	tape := make([]market.Tick, tapeTicks)
	for i := range tape {
		tape[i] = s.Next()
	}
	return tape
}

func luaSpecs(b *testing.B, src string, n int) []engine.Spec {
	b.Helper()
	specs := make([]engine.Spec, n)
	for i := range specs {
		name := fmt.Sprintf("s%d", i)
		prog, err := script.Compile(name+".lua", []byte(fmt.Sprintf(src, name)))
		if err != nil {
			b.Fatal(err)
		}
		specs[i] = engine.Spec{Program: prog}
	}
	return specs
}

// BenchmarkReplay replays a million-tick tape through the engine: one op is
// the whole tape, and ticks/s is the throughput a user sees.
func BenchmarkReplay(b *testing.B) {
	tape := benchTape(b)
	for _, bc := range []struct {
		name  string
		specs func() []engine.Spec
	}{
		{"bar-lua-ma-cross-x1", func() []engine.Spec { return luaSpecs(b, maCrossLua, 1) }},
		{"bar-lua-ma-cross-x3", func() []engine.Spec { return luaSpecs(b, maCrossLua, 3) }},
		{"bar-go-ma-cross-x1", func() []engine.Spec { return []engine.Spec{goMACrossSpec()} }},
		{"tick-lua-x1", func() []engine.Spec { return luaSpecs(b, tickLua, 1) }},
		{"tick-lua-x3", func() []engine.Spec { return luaSpecs(b, tickLua, 3) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				replayOnce(b, tape, bc.specs())
			}
			b.ReportMetric(float64(b.N)*tapeTicks/b.Elapsed().Seconds(), "ticks/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func replayOnce(b *testing.B, tape []market.Tick, specs []engine.Spec) {
	eng, err := engine.New(engine.Config{Strategies: specs})
	if err != nil {
		b.Fatal(err)
	}
	if err := eng.Start(); err != nil {
		b.Fatal(err)
	}
	for i := range tape {
		eng.Process(&tape[i])
	}
	if err := eng.Stop(); err != nil {
		b.Fatal(err)
	}
}

// goMACross is maCrossLua written in Go against the same host: the
// baseline that shows what the Lua boundary costs.
type goMACross struct {
	h      script.Host
	out    []float64
	prev   float64
	primed bool
}

func goMACrossSpec() engine.Spec {
	return engine.Spec{File: "ma_cross.go", New: func(h script.Host) (engine.Strategy, error) {
		return &goMACross{h: h, out: make([]float64, 0, 4)}, nil
	}}
}

func (g *goMACross) sma(sym market.Symbol, n float64) (float64, bool) {
	params := [1]float64{n}
	out, ready, err := g.h.Indicator(sym, "sma", params[:], g.out[:0])
	if err != nil || !ready {
		return 0, false
	}
	return out[0], true
}

func (g *goMACross) Bar(bar *market.Bar) error {
	fast, ok1 := g.sma(bar.Symbol, 5)
	slow, ok2 := g.sma(bar.Symbol, 20)
	if !ok1 || !ok2 {
		return nil
	}
	diff, held := fast-slow, g.h.Position(bar.Symbol).Qty
	switch {
	case g.primed && g.prev <= 0 && diff > 0 && held == 0:
		g.h.Submit(script.OrderRequest{Symbol: bar.Symbol, Side: market.Buy, Type: market.MarketOrder, Qty: 10})
	case g.primed && g.prev >= 0 && diff < 0 && held > 0:
		g.h.Submit(script.OrderRequest{Symbol: bar.Symbol, Side: market.Sell, Type: market.MarketOrder, Qty: held})
	}
	g.prev, g.primed = diff, true
	return nil
}

func (g *goMACross) Meta() script.Meta {
	return script.Meta{Name: "go_ma_cross", Symbols: []market.Symbol{"005930"}, Timeframe: market.Min1}
}
func (g *goMACross) Wants(h script.Hook) bool    { return h == script.HookBar }
func (g *goMACross) Start(script.State) error    { return nil }
func (g *goMACross) Tick(*market.Tick) error     { return nil }
func (g *goMACross) Fill(*market.Fill) error     { return nil }
func (g *goMACross) Order(*market.Order) error   { return nil }
func (g *goMACross) Stop() (script.State, error) { return nil, nil }
func (g *goMACross) Status() script.Status       { return script.Status{} }
func (g *goMACross) Close()                      {}
