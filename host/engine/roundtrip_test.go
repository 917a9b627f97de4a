package engine

import (
	"slices"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

const roundTrip = `
local s = { name = "roundtrip", symbols = { "005930" }, timeframe = "1m", params = { qty = 10 } }
local bars, log = 0, {}

function s.on_bar(ctx, bar)
  bars = bars + 1
  if bars == 1 then ctx.buy("005930", ctx.params.qty) end
  if bars == 4 then ctx.sell("005930", ctx.position("005930").qty) end
end

function s.on_fill(ctx, f)
  log[#log + 1] = "fill:" .. f.side .. ":" .. f.qty
end

function s.on_order(ctx, o)
  log[#log + 1] = o.status .. ":" .. o.side
end

function s.on_stop(ctx) return { log = log } end
return s
`

func TestRoundTripReconciles(t *testing.T) {
	ticks := session(day1, 120, wave) // 09:00:00 .. 09:09:55
	sink := &recorder{}
	res := run(t, Config{Strategies: []Spec{luaSpec(t, "roundtrip.lua", roundTrip)}, Sink: sink}, ticks)
	r := res[0]
	if len(r.Fills) != 2 {
		t.Fatalf("fills = %+v, want a buy and a sell", r.Fills)
	}
	// The first bar (09:00) closes at 09:01:00; the market buy placed then
	// fills on the first print after it, 09:01:05 (tick 13 of the wave:
	// 70,200), one tick of slippage up: 70,300. The sell, placed at
	// 09:04:00, fills at 09:04:05 (tick 49: 70,300), one tick down: 70,200.
	//
	// Fees (2026, KOSPI), each rounded down to the won:
	//   buy  10 × 70,300 = 703,000: commission 0.015 % = 105.45 → 105
	//   sell 10 × 70,200 = 702,000: commission 105.3 → 105,
	//        transaction tax 0.05 % = 351, rural tax 0.15 % = 1,053
	// Cash: 100,000,000 − 703,000 − 105 + 702,000 − 105 − 351 − 1,053
	//     = 99,997,386; realised P&L 702,000 − 703,000 = −1,000.
	want := []market.Fill{
		{Side: market.Buy, Qty: 10, Price: 70_300, Fee: 105, Tax: 0},
		{Side: market.Sell, Qty: 10, Price: 70_200, Fee: 105, Tax: 351 + 1_053},
	}
	for i, w := range want {
		f := r.Fills[i]
		if f.Side != w.Side || f.Qty != w.Qty || f.Price != w.Price || f.Fee != w.Fee || f.Tax != w.Tax {
			t.Errorf("fill %d: %+v, want %s %d @ %d, fee %d, tax %d", i+1, f, w.Side, w.Qty, w.Price, w.Fee, w.Tax)
		}
	}
	if r.StartCash != 100_000_000 || r.Cash != 99_997_386 || r.Equity != r.Cash {
		t.Errorf("start %d, cash %d, equity %d; want 100,000,000, 99,997,386, 99,997,386", r.StartCash, r.Cash, r.Equity)
	}
	if r.Fees != 210 || r.Taxes != 1_404 {
		t.Errorf("fees %d, taxes %d; want 210, 1,404", r.Fees, r.Taxes)
	}
	if len(r.Positions) != 1 || r.Positions[0].Qty != 0 || r.Positions[0].Cost != 0 || r.Positions[0].Realized != -1_000 {
		t.Errorf("positions %+v, want flat with −1,000 realised", r.Positions)
	}
	wantLog := []string{"accepted:buy", "fill:buy:10", "filled:buy", "accepted:sell", "fill:sell:10", "filled:sell"}
	if got := stateList(t, r.State, "log"); !slices.Equal(got, wantLog) {
		t.Errorf("hook log %q, want %q", got, wantLog)
	}
	first, last := r.Curve[0], r.Curve[len(r.Curve)-1]
	if len(r.Curve) != 2 || !first.Time.Equal(day1) || first.Equity != r.StartCash ||
		!last.Time.Equal(ticks[len(ticks)-1].Time) || last.Equity != r.Equity {
		t.Errorf("equity curve %+v, want start and end", r.Curve)
	}
	if sink.bars != 9 || sink.fills != 2 || sink.orders != 4 {
		t.Errorf("sink saw %d bars, %d fills, %d order updates; want 9, 2, 4", sink.bars, sink.fills, sink.orders)
	}
}

// recorder is a Sink that counts what it is sent.
type recorder struct{ bars, orders, fills int }

func (r *recorder) Publish(ev *Event) {
	switch ev.Kind {
	case EventBar:
		r.bars++
	case EventOrder:
		r.orders++
	case EventFill:
		r.fills++
	}
}
