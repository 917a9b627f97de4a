package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/lib/market"
)

// riskScript runs the Lua actions of a case on given bars and records
// every rejection reason that reaches on_order, and every error ctx.buy
// or ctx.sell returned, for on_stop to hand back.
const riskScript = `
local s = { name = "risky", symbols = { "005930", "000660" }, timeframe = "1m" }
local bars, reasons, errors = 0, {}, {}
local function try(id, err) if not id then errors[#errors + 1] = err end end
local actions = { %s }

function s.on_bar(ctx, bar)
  bars = bars + 1
  if actions[bars] then actions[bars](ctx) end
end

function s.on_order(ctx, o)
  if o.status == "rejected" then reasons[#reasons + 1] = o.reason end
end

function s.on_stop(ctx) return { reasons = reasons, errors = errors } end
return s
`

// TestRiskReasonsReachOnOrder trips every rule of the gate from Lua. The
// tape is two days of 10 minutes at 70,000 won, except that day 2 drops to
// 66,000 at 09:02. Bars 1-10 are day 1's; bar 11, day 2's first, is the
// first time the previous close (70,000) is known.
func TestRiskReasonsReachOnOrder(t *testing.T) {
	ticks := append(session(day1, 120, func(int) int64 { return 70_000 }),
		session(day2, 120, func(i int) int64 { return map[bool]int64{true: 70_000, false: 66_000}[i < 24] })...)
	for _, tc := range []struct {
		rule    risk.Rule
		limits  func(l *risk.Limits)
		cash    int64
		actions string // Lua: [bar] = function(ctx) ... end
		reason  string
	}{
		{risk.RuleTickSize, nil, 0, `[10] = function(ctx) try(ctx.buy("005930", 1, 70050)) end`,
			"tick size: 70,050 won is not on the tick grid"},
		{risk.RulePriceLimit, nil, 0, `[11] = function(ctx) try(ctx.buy("005930", 1, 91100)) end`,
			"price limit: 91,100 won outside today's limits 49,000..91,000 (previous close 70,000)"},
		{risk.RuleNoPrice, nil, 0, `[10] = function(ctx) try(ctx.buy("000660", 1)) end`,
			"no price: market order for 000660 before any trade was seen"},
		{risk.RuleOrderValue, nil, 0, `[10] = function(ctx) try(ctx.buy("005930", 300, 70000)) end`,
			"max order value: 21,000,000 won > 20,000,000"},
		{risk.RulePositionShares, func(l *risk.Limits) { l.MaxPositionShares = 10 }, 0,
			`[10] = function(ctx) try(ctx.buy("005930", 11, 70000)) end`, "max position shares: 11 shares of 005930"},
		{risk.RulePositionValue, func(l *risk.Limits) { l.MaxPositionValue = 1_000_000 }, 0,
			`[10] = function(ctx) try(ctx.buy("005930", 15, 70000)) end`, "max position value: 1,050,000 won of 005930"},
		{risk.RuleHoldings, nil, 0, `[10] = function(ctx) try(ctx.sell("005930", 1)) end`,
			"holdings: sell of 1 shares of 005930, 0 free"},
		{risk.RuleCash, nil, 1_000_000, `[10] = function(ctx) try(ctx.buy("005930", 15, 70000)) end`,
			"cash: order needs 1,050,157 won with fees, 1,000,000 free"},
		{risk.RuleOpenOrders, func(l *risk.Limits) { l.MaxOpenOrders = 1 }, 0,
			`[10] = function(ctx) try(ctx.buy("005930", 1, 60000)); try(ctx.buy("005930", 1, 60000)) end`,
			"open orders: 1 open orders >= 1"},
		{risk.RuleOrderRate, func(l *risk.Limits) { l.MaxOrdersPerMinute = 2 }, 0,
			`[10] = function(ctx) for i = 1, 3 do try(ctx.buy("005930", 1, 60000)) end end`,
			"order rate: 2 orders in the last minute >= 2"},
		{risk.RuleDailyLoss, func(l *risk.Limits) { l.MaxDailyLoss = 10_000 }, 0,
			`[11] = function(ctx) try(ctx.buy("005930", 10)) end, [14] = function(ctx) try(ctx.buy("005930", 1)) end`,
			"daily loss: strategy lost"},
		{risk.RuleAccountLoss, func(l *risk.Limits) { l.MaxDailyLoss, l.MaxAccountDailyLoss = 0, 10_000 }, 0,
			`[11] = function(ctx) try(ctx.buy("005930", 10)) end, [14] = function(ctx) try(ctx.buy("005930", 1)) end`,
			"account daily loss: account lost"},
	} {
		t.Run(string(tc.rule), func(t *testing.T) {
			lim := risk.DefaultLimits()
			if tc.limits != nil {
				tc.limits(&lim)
			}
			spec := luaSpec(t, "risky.lua", fmt.Sprintf(riskScript, tc.actions))
			r := run(t, Config{Strategies: []Spec{spec}, Limits: &lim, Cash: tc.cash}, ticks)[0]
			reasons, errs := stateList(t, r.State, "reasons"), stateList(t, r.State, "errors")
			if len(reasons) != 1 || !strings.Contains(reasons[0], tc.reason) {
				t.Fatalf("on_order reasons %q, want one containing %q", reasons, tc.reason)
			}
			if len(errs) != 1 || errs[0] != reasons[0] {
				t.Errorf("ctx order errors %q, want the same reason", errs)
			}
			if r.Rejected != 1 {
				t.Errorf("rejected = %d, want 1", r.Rejected)
			}
		})
	}
}

// TestExitsPassTheGate buys within the limits, then sells every share
// held where a buy of the same size would be refused: after the price rose
// past the order value limit, or after a daily loss breaker tripped. The
// sell is admitted and fills, so the position is closed.
func TestExitsPassTheGate(t *testing.T) {
	dayTwo := append(session(day1, 120, func(int) int64 { return 70_000 }),
		session(day2, 120, func(i int) int64 { return map[bool]int64{true: 70_000, false: 66_000}[i < 24] })...)
	rise := session(day1, 120, func(i int) int64 { return map[bool]int64{true: 70_000, false: 100_000}[i < 48] })
	for _, tc := range []struct {
		name    string
		limits  func(l *risk.Limits)
		ticks   []market.Tick
		actions string // Lua: [bar] = function(ctx) ... end
		reasons []string
		qty     int64 // shares bought, then sold
	}{
		// 280 × 70,700 (the market buy collar) = 19,796,000 won; at
		// 100,000 won the position is worth 28,000,000.
		{"over max order value", nil, rise,
			`[2] = function(ctx) try(ctx.buy("005930", 280)) end,
			 [8] = function(ctx) try(ctx.sell("005930", ctx.position("005930").qty)) end`, nil, 280},
		{"daily loss", func(l *risk.Limits) { l.MaxDailyLoss = 10_000 }, dayTwo,
			`[11] = function(ctx) try(ctx.buy("005930", 10)) end,
			 [14] = function(ctx) try(ctx.buy("005930", 1)); try(ctx.sell("005930", 10)) end`,
			[]string{"daily loss: strategy lost 41,105 won today by 2026-03-05 09:02 KST (limit 10,000)"}, 10},
		{"account daily loss", func(l *risk.Limits) { l.MaxDailyLoss, l.MaxAccountDailyLoss = 0, 10_000 }, dayTwo,
			`[11] = function(ctx) try(ctx.buy("005930", 10)) end,
			 [14] = function(ctx) try(ctx.buy("005930", 1)); try(ctx.sell("005930", 10)) end`,
			[]string{"account daily loss: account lost 41,105 won today by 2026-03-05 09:02 KST (limit 10,000)"}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := risk.DefaultLimits()
			if tc.limits != nil {
				tc.limits(&lim)
			}
			spec := luaSpec(t, "risky.lua", fmt.Sprintf(riskScript, tc.actions))
			r := run(t, Config{Strategies: []Spec{spec}, Limits: &lim}, tc.ticks)[0]
			reasons := stateList(t, r.State, "reasons")
			if len(reasons) != len(tc.reasons) {
				t.Fatalf("on_order reasons %q, want %d", reasons, len(tc.reasons))
			}
			for i, want := range tc.reasons {
				if !strings.Contains(reasons[i], want) {
					t.Errorf("reason %q, want one containing %q", reasons[i], want)
				}
			}
			if r.Rejected != len(tc.reasons) {
				t.Errorf("rejected = %d, want %d", r.Rejected, len(tc.reasons))
			}
			filled := map[market.Side]int64{} // the tape's volume fills an order in parts
			for _, f := range r.Fills {
				filled[f.Side] += f.Qty
			}
			if filled[market.Buy] != tc.qty || filled[market.Sell] != tc.qty {
				t.Fatalf("filled %v, want %d bought and sold", filled, tc.qty)
			}
			if len(r.Positions) != 1 || r.Positions[0].Qty != 0 {
				t.Errorf("positions %+v, want the position closed", r.Positions)
			}
		})
	}
}
