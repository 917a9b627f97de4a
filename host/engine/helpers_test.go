package engine

import (
	"os"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

func TestMain(m *testing.M) {
	script.HardenProcess() // as cmd/qb does, before any Lua state exists
	os.Exit(m.Run())
}

const sym = market.Symbol("005930")

// day1 and day2 are two KST trading days of the test tapes.
var (
	day1 = time.Date(2026, 3, 4, 9, 0, 0, 0, market.Seoul)
	day2 = time.Date(2026, 3, 5, 9, 0, 0, 0, market.Seoul)
)

// session returns n ticks of sym every 5 s from start, priced by price(i).
func session(start time.Time, n int, price func(i int) int64) []market.Tick {
	out := make([]market.Tick, n)
	for i := range out {
		out[i] = market.Tick{Time: start.Add(time.Duration(i) * 5 * time.Second), Symbol: sym,
			Price: price(i), Volume: 100, Seq: int64(i + 1)}
	}
	return out
}

// wave moves between 70,000 and 70,400 won in 100-won steps, one step a
// half minute: on the tick grid, and never flat for long.
func wave(i int) int64 { return 70_000 + 100*int64((i/6)%5) }

// compile compiles a Lua strategy for a test.
func compile(t testing.TB, file, src string) *script.Program {
	t.Helper()
	p, err := script.Compile(file, []byte(src))
	if err != nil {
		t.Fatalf("compile %s: %v", file, err)
	}
	return p
}

// luaSpec is a Spec for a Lua source with a short time budget.
func luaSpec(t testing.TB, file, src string) Spec {
	return Spec{Program: compile(t, file, src), Options: script.Options{Budget: 50 * time.Millisecond, Log: zerolog.Nop()}}
}

// run starts an engine on cfg, feeds it ticks, stops it and returns the
// results.
func run(t testing.TB, cfg Config, ticks []market.Tick) []Result {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	if err := e.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	for i := range ticks {
		e.Process(&ticks[i])
	}
	if err := e.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	return e.Results()
}

// strings returns the state's list under key as strings.
func stateList(t testing.TB, st script.State, key string) []string {
	t.Helper()
	m, ok := st.(map[string]any)
	if !ok {
		t.Fatalf("state %#v is not a table", st)
	}
	raw, _ := m[key].([]any)
	out := make([]string, len(raw))
	for i, v := range raw {
		out[i], _ = v.(string)
	}
	return out
}

// goStrat is a strategy written in Go, hooks as function fields; a nil
// field is a hook the strategy does not define.
type goStrat struct {
	meta  script.Meta
	h     script.Host
	start func(h script.Host) error
	tick  func(t *market.Tick) error
	bar   func(b *market.Bar) error
	fill  func(f *market.Fill) error
	order func(o *market.Order) error
}

var barMeta = script.Meta{Name: "gobars", Symbols: []market.Symbol{sym}, Timeframe: market.Min1}

func goSpec(g goStrat) Spec {
	return Spec{File: g.meta.Name + ".go", New: func(h script.Host) (Strategy, error) {
		g.h = h
		return &g, nil
	}}
}

func (g *goStrat) Meta() script.Meta { return g.meta }
func (g *goStrat) Wants(h script.Hook) bool {
	switch h {
	case script.HookTick:
		return g.tick != nil
	case script.HookBar:
		return g.bar != nil
	case script.HookFill:
		return g.fill != nil
	case script.HookOrder:
		return g.order != nil
	}
	return false
}
func (g *goStrat) Start(script.State) error {
	if g.start != nil {
		return g.start(g.h)
	}
	return nil
}
func (g *goStrat) Tick(t *market.Tick) error   { return call(g.tick, t) }
func (g *goStrat) Bar(b *market.Bar) error     { return call(g.bar, b) }
func (g *goStrat) Fill(f *market.Fill) error   { return call(g.fill, f) }
func (g *goStrat) Order(o *market.Order) error { return call(g.order, o) }
func (g *goStrat) Stop() (script.State, error) { return nil, nil }
func (g *goStrat) Status() script.Status       { return script.Status{} }
func (g *goStrat) Close()                      {}

func call[T any](fn func(T) error, v T) error {
	if fn == nil {
		return nil
	}
	return fn(v)
}
