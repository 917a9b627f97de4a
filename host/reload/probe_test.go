package reload_test

import (
	"fmt"
	"testing"

	"github.com/qbtrading/qb/host/engine"
)

// probe is a strategy whose version shows in what it logs. On its first
// tick with no position and no order it buys 10 shares at market and
// rests a limit buy for 1 share far below the market (60,000 won, never
// reached by the feed); a tick at the trigger price buys 1 more share.
// on_start logs what it inherited; on_stop hands on its version and the
// ticks it saw.
const probeSrc = `-- probe version %[1]d
local s = { name = "%[2]s", symbols = { "005930" }, timeframe = "1m" }
local V = %[1]d
local ticks, announced = 0, false
function s.on_start(ctx, state)
  ctx.log.info("start", { v = V, from = state and state.v or 0, inherited = state and state.ticks or 0,
    qty = ctx.position("005930").qty, orders = #ctx.orders() })
end
function s.on_tick(ctx, t)
  ticks = ticks + 1
  if not announced then
    announced = true
    ctx.log.info("first tick", { v = V })
  end
  if ctx.position("005930").qty == 0 and #ctx.orders() == 0 then
    ctx.buy("005930", 10)
    ctx.buy("005930", 1, 60000)
  elseif t.price == 70500 then
    ctx.buy("005930", 1)
  end
end
function s.on_stop(ctx) return { v = V, ticks = ticks } end
return s
`

// probe returns version v of the probe strategy called name.
func probe(name string, v int) string { return fmt.Sprintf(probeSrc, v, name) }

// holding is the shares of sym a result holds.
func holding(r engine.Result) int64 {
	for _, p := range r.Positions {
		if p.Symbol == sym {
			return p.Qty
		}
	}
	return 0
}

// account is what a swap must leave alone: the position, the orders
// admitted, the fills and the cancellations.
type account struct {
	qty                      int64
	orders, fills, cancelled int
}

func accountOf(r engine.Result) account {
	return account{qty: holding(r), orders: r.Orders, fills: len(r.Fills), cancelled: r.Cancelled}
}

// probeHost starts a host running probe v1 (as probe.lua) plus extra
// files, and feeds ticks until the probe holds its 10 shares with the
// limit order working.
func probeHost(t *testing.T, extra map[string]string, opt hostOptions) *host {
	t.Helper()
	files := map[string]string{"probe.lua": probe("probe", 1)}
	for k, v := range extra {
		files[k] = v
	}
	h := newHost(t, files, opt)
	h.until("probe to hold 10 shares and rest a limit order", true, func() bool {
		return accountOf(h.result("probe")) == account{qty: 10, orders: 2, fills: 1}
	})
	return h
}

// started counts the probe's on_start log lines of version v.
func (h *host) started(name string, v int) int {
	return h.logs.logged("start", map[string]any{"strategy": name, "v": float64(v)})
}

// untilFirstTick feeds ticks until version v of name has handled one.
func (h *host) untilFirstTick(name string, v int) {
	h.t.Helper()
	h.until(fmt.Sprintf("%s v%d to handle a tick", name, v), true, func() bool {
		return h.logs.logged("first tick", map[string]any{"strategy": name, "v": float64(v)}) > 0
	})
}
