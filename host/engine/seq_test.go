package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// quiet places a limit order, finds it in ctx.orders, cancels it by the
// id ctx.buy returned, then buys at market, logging every id it sees.
const quiet = `
local s = { name = "quiet", symbols = { "005930" }, timeframe = "1m" }
local log, step = {}, 0
function s.on_bar(ctx, bar)
  step = step + 1
  if step == 1 then
    local id = ctx.buy("005930", 1, 60000)
    log[#log + 1] = "limit " .. id .. " listed as " .. ctx.orders()[1].id
    local ok, err = ctx.cancel(id)
    log[#log + 1] = "cancel " .. tostring(ok) .. " " .. tostring(err)
  elseif step == 2 then
    log[#log + 1] = "market " .. ctx.buy("005930", 1)
  end
end
function s.on_order(ctx, o) log[#log + 1] = "order " .. o.id .. " " .. o.status end
function s.on_fill(ctx, f) log[#log + 1] = "fill " .. f.order_id end
function s.on_stop(ctx) return { log = log } end
return s
`

// busy orders at every tick, so host-wide order IDs run far ahead of
// quiet's.
func busy() Spec {
	g := goStrat{meta: script.Meta{Name: "busy", Symbols: []market.Symbol{sym}}}
	g.tick = func(*market.Tick) error {
		_, _ = g.h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.LimitOrder, Qty: 1, Price: 60_000})
		return nil
	}
	return Spec{File: "busy.go", New: func(h script.Host) (Strategy, error) { g.h = h; return &g, nil }}
}

// TestOrderIDsPerStrategy: a strategy numbers its orders from 1 whatever
// its neighbours do, in every place it sees an id, and ctx.cancel takes
// the id it got; the host-wide IDs stay unique for storage.
func TestOrderIDsPerStrategy(t *testing.T) {
	ticks := session(day1, 12*4, wave)
	logs := map[string][]string{}
	for _, tc := range []struct {
		name  string
		specs func() []Spec
	}{
		{"alone", func() []Spec { return []Spec{luaSpec(t, "quiet.lua", quiet)} }},
		{"beside busy", func() []Spec { return []Spec{busy(), luaSpec(t, "quiet.lua", quiet)} }},
	} {
		j := &trail{}
		cfg := Config{Strategies: tc.specs(), Journal: j}
		res := run(t, cfg, ticks)
		q := res[len(res)-1]
		logs[tc.name] = stateList(t, q.State, "log")
		if len(q.Fills) != 1 || q.Fills[0].OrderSeq != 2 {
			t.Fatalf("%s: fills %+v, want order 2 filled", tc.name, q.Fills)
		}
		if len(res) == 2 && q.Fills[0].OrderID <= 2 {
			t.Errorf("%s: host-wide order ID %d, want it above busy's", tc.name, q.Fills[0].OrderID)
		}
		seen := map[string]bool{} // each new order stored, by host-wide ID
		for _, l := range j.lines {
			if id, ok := strings.CutSuffix(l, " new"); ok {
				if seen[id] {
					t.Fatalf("%s: order %s stored new twice", tc.name, id)
				}
				seen[id] = true
			}
		}
	}
	want := []string{"limit 1 listed as 1", "cancel true nil", "order 1 accepted", "order 1 cancelled",
		"market 2", "order 2 accepted", "fill 2", "order 2 filled"}
	for name, got := range logs {
		if !slices.Equal(got, want) {
			t.Errorf("%s: quiet saw\n%q\nwant\n%q", name, got, want)
		}
	}
}

// TestRestoredOrdersKeepTheirNumbers restores a working order (host ID 7)
// and checks the number the strategy sees for it, that ctx.cancel takes
// that number, and the number of its next order.
func TestRestoredOrdersKeepTheirNumbers(t *testing.T) {
	for _, tc := range []struct {
		name               string
		lastSeq, openSeq   int64
		wantOpen, wantNext int64
	}{
		{"numbered", 4, 3, 3, 5},
		{"last seq behind the open order", 2, 6, 6, 7},
		{"stored before orders had numbers", 0, 0, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			g := goStrat{meta: script.Meta{Name: "back", Symbols: []market.Symbol{sym}}}
			g.start = func(h script.Host) error {
				open := h.OpenOrders(nil)
				next, err := h.Submit(script.OrderRequest{Symbol: sym, Side: market.Buy, Type: market.LimitOrder, Qty: 1, Price: 60_000})
				got = append(got, fmt.Sprintf("open %d next %d %v cancel %v", open[0].ID, next, err, h.Cancel(open[0].ID)))
				return nil
			}
			o := workingBuy(7, day1.Add(-time.Hour))
			o.Seq = tc.openSeq
			sp := Spec{File: "back.go", New: func(h script.Host) (Strategy, error) { g.h = h; return &g, nil },
				Restore: &Restore{Cash: 50_000_000, Open: []market.Order{o}, LastSeq: tc.lastSeq}}
			j := &trail{}
			run(t, Config{Strategies: []Spec{sp}, Journal: j, LastOrderID: 5}, session(day1, 2, wave))
			want := fmt.Sprintf("open %d next %d <nil> cancel <nil>", tc.wantOpen, tc.wantNext)
			if len(got) != 1 || got[0] != want {
				t.Fatalf("%q, want %q", got, want)
			}
			if !slices.Contains(j.lines, "journal order 7 cancelled") || !slices.Contains(j.lines, "journal order 8 new") {
				t.Fatalf("trail %v: want host order 7 cancelled and the new order stored as 8", j.lines)
			}
		})
	}
}
