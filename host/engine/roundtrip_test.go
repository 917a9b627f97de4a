package engine

import (
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
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
	// fills on the first print after it, 09:01:05, one tick of slippage up.
	// The sell, placed at 09:04:00, fills at 09:04:05, one tick down.
	buy, sell := r.Fills[0], r.Fills[1]
	if want := priceAt(ticks, day1.Add(65*time.Second)) + 100; buy.Side != market.Buy || buy.Qty != 10 || buy.Price != want {
		t.Errorf("buy %+v, want 10 @ %d", buy, want)
	}
	if want := priceAt(ticks, day1.Add(245*time.Second)) - 100; sell.Side != market.Sell || sell.Qty != 10 || sell.Price != want {
		t.Errorf("sell %+v, want 10 @ %d", sell, want)
	}
	var buys, sells, fees, taxes int64
	for _, f := range r.Fills {
		fee, tax := krx.DefaultFees().Compute(f.Side, f.Value())
		if f.Fee != fee || f.Tax != tax {
			t.Errorf("fill %+v: fee/tax %d/%d, want %d/%d", f, f.Fee, f.Tax, fee, tax)
		}
		if f.Side == market.Buy {
			buys += f.Value()
		} else {
			sells += f.Value()
		}
		fees, taxes = fees+f.Fee, taxes+f.Tax
	}
	if want := r.StartCash - buys - fees - taxes + sells; r.Cash != want {
		t.Errorf("cash %d, want %d = start %d − buys %d − fees %d − taxes %d + sells %d",
			r.Cash, want, r.StartCash, buys, fees, taxes, sells)
	}
	if r.Fees != fees || r.Taxes != taxes || r.Equity != r.Cash {
		t.Errorf("fees %d taxes %d equity %d, want %d %d %d", r.Fees, r.Taxes, r.Equity, fees, taxes, r.Cash)
	}
	if len(r.Positions) != 1 || r.Positions[0].Qty != 0 || r.Positions[0].Realized != sells-buys {
		t.Errorf("positions %+v, want flat with %d realised", r.Positions, sells-buys)
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

func priceAt(ticks []market.Tick, at time.Time) int64 {
	for _, t := range ticks {
		if t.Time.Equal(at) {
			return t.Price
		}
	}
	return 0
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
