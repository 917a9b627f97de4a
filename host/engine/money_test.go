package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// Tests of the cash and loss checks that stand between a strategy and an
// overdrawn or runaway account (issue 18). Fees are the default tariff:
// commission 0.015 % of the value rounded down to the won; a KOSPI sale in
// 2026 also pays 0.05 % transaction tax and 0.15 % rural tax, each rounded
// down.

const sym2 = market.Symbol("000660")

// barActions is a Go strategy on 1-minute bars of sym and sym2 that runs
// actions[n] on the n-th closed bar and records what each Submit returned.
type barActions struct {
	actions map[int]func(h script.Host) []error
	errs    map[int][]error
	cancels []string // reasons of the orders cancelled
}

func (b *barActions) spec() Spec {
	b.errs = map[int][]error{}
	bars := 0
	g := goStrat{meta: script.Meta{Name: "money", Symbols: []market.Symbol{sym, sym2}, Timeframe: market.Min1}}
	var h script.Host
	g.start = func(host script.Host) error { h = host; return nil }
	g.bar = func(bar *market.Bar) error {
		if bar.Symbol != sym {
			return nil
		}
		bars++
		if act := b.actions[bars]; act != nil {
			b.errs[bars] = act(h)
		}
		return nil
	}
	g.order = func(o *market.Order) error {
		if o.Status == market.OrderCancelled {
			b.cancels = append(b.cancels, o.Reason)
		}
		return nil
	}
	return goSpec(g)
}

func buy(h script.Host, s market.Symbol, qty, price int64) error {
	typ := market.LimitOrder
	if price == 0 {
		typ = market.MarketOrder
	}
	_, err := h.Submit(script.OrderRequest{Symbol: s, Side: market.Buy, Type: typ, Qty: qty, Price: price})
	return err
}

func sell(h script.Host, s market.Symbol, qty int64) error {
	_, err := h.Submit(script.OrderRequest{Symbol: s, Side: market.Sell, Type: market.MarketOrder, Qty: qty})
	return err
}

// wantErrs checks the errors of one bar's orders: "" admitted, otherwise
// the rule and a part of the reason, "rule|reason".
func wantErrs(t *testing.T, bar int, got []error, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("bar %d: %d orders, want %d", bar, len(got), len(want))
	}
	for i, w := range want {
		if w == "" {
			if got[i] != nil {
				t.Errorf("bar %d order %d refused: %v", bar, i+1, got[i])
			}
			continue
		}
		rule, reason, _ := strings.Cut(w, "|")
		var r *risk.Rejection
		if !errors.As(got[i], &r) || string(r.Rule) != rule || !strings.Contains(r.Error(), reason) {
			t.Errorf("bar %d order %d: err %v, want rule %q with %q", bar, i+1, got[i], rule, reason)
		}
	}
}

func flat(int) int64 { return 70_000 }

// TestMarketBuyReservesAtCollar places two market buys at once on a
// 1,000,000-won account at 70,000 won. The first, 8 shares, reserves at
// the collar, 70,000 + 1 % = 70,700: 8 × 70,700 = 565,600 + fee 84
// (84.84) = 565,684, leaving 434,316. The second, 7 shares, needs
// 7 × 70,700 = 494,900 + fee 74 (74.235) = 494,974: refused. Were market
// buys reserved at their price (0), both would fill, 15 × 70,100 won =
// 1,051,500 + fees, and the cash would end below zero.
func TestMarketBuyReservesAtCollar(t *testing.T) {
	b := &barActions{actions: map[int]func(script.Host) []error{
		1: func(h script.Host) []error { return []error{buy(h, sym, 8, 0), buy(h, sym, 7, 0)} },
	}}
	r := run(t, Config{Strategies: []Spec{b.spec()}, Cash: 1_000_000}, session(day1, 60, flat))[0]
	wantErrs(t, 1, b.errs[1], "", "cash|order needs 494,974 won with fees, 434,316 free (1,000,000 cash, 565,684 reserved for open buys)")
	// The first fills at 09:01:05, one tick of slippage up: 8 × 70,100 =
	// 560,800 + fee 84 (84.12): cash 1,000,000 − 560,884 = 439,116.
	if r.Cash != 439_116 || len(r.Fills) != 1 || r.Fills[0].Qty != 8 {
		t.Errorf("cash %d, fills %+v; want 439,116 after one fill of 8", r.Cash, r.Fills)
	}
}

// TestOpenBuysReserveAcrossSymbols: cash reserved for an open buy of one
// symbol is not free for a buy of another. On 1,000,000 won a limit buy of
// 10 005930 at 60,000 (below the market: it stays open) reserves 600,000 +
// fee 90 = 600,090, leaving 399,910; a buy of 5 000660 at 100,000 needs
// 500,000 + fee 75 = 500,075 and is refused. Once the first is cancelled
// the same buy fits.
func TestOpenBuysReserveAcrossSymbols(t *testing.T) {
	b := &barActions{actions: map[int]func(script.Host) []error{
		1: func(h script.Host) []error { return []error{buy(h, sym, 10, 60_000), buy(h, sym2, 5, 100_000)} },
		2: func(h script.Host) []error {
			return []error{h.Cancel(1), buy(h, sym2, 5, 100_000)}
		},
	}}
	run(t, Config{Strategies: []Spec{b.spec()}, Cash: 1_000_000}, session(day1, 60, flat))
	wantErrs(t, 1, b.errs[1], "", "cash|order needs 500,075 won with fees, 399,910 free (1,000,000 cash, 600,090 reserved for open buys)")
	wantErrs(t, 2, b.errs[2], "", "")
}

// TestBreakerSeesTheFillsCash: the daily loss breaker (limit 100,000 won)
// judges the equity after a fill is fully booked, cash included, so a
// round trip that loses a little does not trip it, and a loss past the
// limit does.
//
// At 70,000 won, a market buy of 10 at bar 1 fills at 70,100 (one tick of
// slippage): 701,000 + fee 105 (105.15). A market sell of 10 at bar 3
// fills at 69,900: 699,000 − fee 104 (104.85) − tax 349 (0.05 %: 349.5)
// − 1,048 (0.15 %: 1,048.5). The day's loss is 2,000 + 105 + 104 + 349 +
// 1,048 = 3,606 won: the buy of 20 at bar 5 is admitted and fills at
// 70,100, 1,402,000 + fee 210 (210.3). At 09:06 the price falls to 60,000:
// the 20 shares lose 20 × 10,000 = 200,000 against the 70,000 they were
// marked at, and the day's loss is 3,606 + 2,000 (slippage) + 210 (fee) +
// 200,000 = 205,816: the breaker trips and the buy at bar 8 is refused.
func TestBreakerSeesTheFillsCash(t *testing.T) {
	lim := risk.DefaultLimits()
	lim.MaxDailyLoss = 100_000
	b := &barActions{actions: map[int]func(script.Host) []error{
		1: func(h script.Host) []error { return []error{buy(h, sym, 10, 0)} },
		3: func(h script.Host) []error { return []error{sell(h, sym, 10)} },
		5: func(h script.Host) []error { return []error{buy(h, sym, 20, 0)} },
		8: func(h script.Host) []error { return []error{buy(h, sym, 1, 0)} },
	}}
	fall := func(i int) int64 {
		if i < 72 { // 09:06:00
			return 70_000
		}
		return 60_000
	}
	r := run(t, Config{Strategies: []Spec{b.spec()}, Limits: &lim}, session(day1, 120, fall))[0]
	wantErrs(t, 1, b.errs[1], "")
	wantErrs(t, 3, b.errs[3], "")
	wantErrs(t, 5, b.errs[5], "")
	wantErrs(t, 8, b.errs[8], "daily loss|strategy lost 205,816 won today by 2026-03-04 09:06 KST (limit 100,000)")
	if len(r.Fills) != 3 {
		t.Fatalf("fills %+v, want buy, sell, buy", r.Fills)
	}
	// 100,000,000 − 701,105 + 697,499 − 1,402,210 = 98,594,184.
	if r.Cash != 98_594_184 {
		t.Errorf("cash %d, want 98,594,184", r.Cash)
	}
}

// TestMarketBuyAtAGappedOpen: a market buy placed after the close (on the
// 15:29 bar, delivered at 15:30 when the next day's first trade arrives)
// is reserved at the collar over the close, 70,000 + 1 % = 70,700, but
// fills at the next day's open. Before the fill it is checked again for
// cash at the collar over the open; an order the cash no longer covers is
// cancelled instead of overdrawing the account. Cash 1,000,000 won; fees
// 0.015 %, rounded down.
func TestMarketBuyAtAGappedOpen(t *testing.T) {
	for _, tc := range []struct {
		name   string
		qty    int64
		open   int64
		cash   int64
		cancel string
	}{
		// Admitted: 13 × 70,700 = 919,100 + fee 137 = 919,237. At the open
		// 75,000 the collar is 75,750 → 75,800 on the grid: 13 × 75,800 =
		// 985,400 + 147 = 985,547, covered. Fill at 75,100: 976,300 + fee
		// 146 (146.445); cash 1,000,000 − 976,446 = 23,554.
		{"gap covered", 13, 75_000, 23_554, ""},
		// Admitted: 14 × 70,700 = 989,800 + 148 = 989,948. At the open it
		// needs 14 × 75,800 = 1,061,200 + 159 = 1,061,359: cancelled. It
		// would have filled at 75,100: 1,051,400 + 157, cash −51,557.
		{"gap not covered", 14, 75_000, 1_000_000,
			"cash: the market moved to 75,000 won; the order needs 1,061,359 won with fees at 75,800, 1,000,000 free"},
		// Open 70,500: collar 71,205 → 71,300; 14 × 71,300 = 998,200 + 149
		// = 998,349, covered. Fill at 70,600: 988,400 + 148; cash 11,452.
		{"small move", 14, 70_500, 11_452, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &barActions{actions: map[int]func(script.Host) []error{
				2: func(h script.Host) []error { return []error{buy(h, sym, tc.qty, 0)} },
			}}
			eve := session(time.Date(2026, 3, 4, 15, 28, 0, 0, market.Seoul), 24, flat) // to 15:29:55
			open := session(day2, 12, func(int) int64 { return tc.open })
			r := run(t, Config{Strategies: []Spec{b.spec()}, Cash: 1_000_000}, append(eve, open...))[0]
			wantErrs(t, 2, b.errs[2], "")
			if r.Cash != tc.cash {
				t.Errorf("cash %d, want %d; fills %+v", r.Cash, tc.cash, r.Fills)
			}
			var cancels []string
			for _, c := range b.cancels {
				if c != "engine stopped" {
					cancels = append(cancels, c)
				}
			}
			if tc.cancel == "" && len(cancels) != 0 || tc.cancel != "" && (len(cancels) != 1 || cancels[0] != tc.cancel) {
				t.Errorf("cancelled %q, want %q", cancels, tc.cancel)
			}
		})
	}
}
