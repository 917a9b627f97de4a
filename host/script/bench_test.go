package script

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func benchStrategy(b *testing.B, mode string) (*Strategy, *fakeHost) {
	h := newFakeHost()
	h.indOut = []float64{70123.5}
	s := start(b, "bench.lua", h, Options{Params: map[string]string{"mode": mode}})
	if err := s.Start(nil); err != nil {
		b.Fatal(err)
	}
	return s, h
}

// BenchmarkEmptyHook is the cost of the Go→Lua boundary: an on_tick that
// does nothing, with the tick table refreshed each call as the engine does.
func BenchmarkEmptyHook(b *testing.B) {
	s, _ := benchStrategy(b, "empty")
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
