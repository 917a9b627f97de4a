package risk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

var t0 = time.Date(2024, 3, 4, 10, 0, 0, 0, market.Seoul)

func testLimits() Limits {
	return Limits{
		MaxPositionShares: 1_000, MaxPositionValue: 50_000_000, MaxOrderValue: 10_000_000,
		MaxOpenOrders: 20, MaxOrdersPerMinute: 3, MaxDailyLoss: 1_000_000, MaxAccountDailyLoss: 1_500_000,
		MarketBuyCollarBP: 100,
	}
}

// scenario is a 100-share limit buy of 005930 at 70,000 won by a strategy
// with 100,000,000 won, holding 50 shares; each case changes one thing.
type scenario struct {
	lim Limits
	o   market.Order
	x   Exposure
	q   Quote
}

func baseScenario() scenario {
	return scenario{
		lim: testLimits(),
		o: market.Order{ID: 1, Strategy: "s", Symbol: "005930", Side: market.Buy, Type: market.LimitOrder,
			Qty: 100, Price: 70_000, Created: t0, Status: market.OrderNew},
		x: Exposure{Cash: 100_000_000, Held: 50},
		q: Quote{Last: 70_000, PrevClose: 70_000},
	}
}

func TestAdmitRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(s *scenario)
		rule   Rule // "" = admitted
		reason string
	}{
		{"base", func(*scenario) {}, "", ""},
		{"invalid qty", func(s *scenario) { s.o.Qty = 0 }, RuleInvalid, "qty"},
		// The limit is 10,000,000 won: 200 × 50,000 is exactly at it and is
		// admitted; 201 × 50,000 = 10,050,000 is a share over. A won over
		// needs a 1-won tick: 909,091 × 11 = 10,000,001 (position shares
		// off, else that rule refuses it first).
		{"order value at limit", func(s *scenario) { s.o.Qty, s.o.Price = 200, 50_000 }, "", ""},
		{"order value one share over", func(s *scenario) { s.o.Qty, s.o.Price = 201, 50_000 },
			RuleOrderValue, "max order value: 10,050,000 won > 10,000,000 (201 × 50,000)"},
		{"order value one won over", func(s *scenario) {
			s.lim.MaxPositionShares = 0
			s.o.Qty, s.o.Price, s.q.PrevClose = 909_091, 11, 0
		}, RuleOrderValue, "max order value: 10,000,001 won > 10,000,000 (909,091 × 11)"},
		{"order value at limit, one won under", func(s *scenario) {
			s.lim.MaxPositionShares = 0
			s.o.Qty, s.o.Price, s.q.PrevClose = 909_090, 11, 0 // 9,999,990
		}, "", ""},
		{"order value over", func(s *scenario) { s.o.Qty = 120; s.o.Price = 100_000; s.q.PrevClose = 100_000 },
			RuleOrderValue, "max order value: 12,000,000 won > 10,000,000"},
		{"market buy value uses collar", func(s *scenario) {
			s.o.Type, s.o.Price, s.o.Qty, s.q.Last = market.MarketOrder, 0, 142, 70_000
		}, RuleOrderValue, "10,039,400 won > 10,000,000 (142 × 70,700)"},
		// An exit is spared the exposure limits: a position that grew past
		// the order value limit can still be closed, at once or in part.
		{"exit over order value", func(s *scenario) { s.o.Side, s.o.Qty, s.x.Held = market.Sell, 200, 200 }, "", ""},
		{"market exit over order value", func(s *scenario) {
			s.o.Type, s.o.Price, s.o.Side, s.o.Qty, s.x.Held = market.MarketOrder, 0, market.Sell, 150, 200
		}, "", ""},
		{"exit over position limits", func(s *scenario) {
			s.lim.MaxPositionShares, s.lim.MaxPositionValue = 100, 1_000_000
			s.o.Side, s.o.Qty, s.x.Held = market.Sell, 100, 1_000
		}, "", ""},
		{"sell over order value and over free", func(s *scenario) {
			s.o.Side, s.o.Qty, s.x.Held, s.x.OpenSellQty = market.Sell, 200, 250, 60
		}, RuleHoldings, "sell of 200 shares of 005930, 190 free (250 held, 60 on open sells)"},
		{"open orders below", func(s *scenario) { s.x.OpenOrders = 19 }, "", ""},
		{"open orders at limit", func(s *scenario) { s.x.OpenOrders = 20 }, RuleOpenOrders, "20 open orders >= 20"},
		{"exit at open orders limit", func(s *scenario) { s.o.Side, s.o.Qty, s.x.OpenOrders = market.Sell, 50, 20 }, "", ""},
		{"sell over free at open orders limit", func(s *scenario) { s.o.Side, s.o.Qty, s.x.OpenOrders = market.Sell, 51, 20 },
			RuleOpenOrders, "20 open orders >= 20"},
		{"on tick grid", func(s *scenario) { s.o.Price = 70_100 }, "", ""},
		{"off tick grid", func(s *scenario) { s.o.Price = 70_050 }, RuleTickSize, "70,050 won is not on the tick grid"},
		{"inside limits", func(s *scenario) { s.o.Price = 91_000; s.o.Qty = 10 }, "", ""},
		{"above upper limit", func(s *scenario) { s.o.Price = 91_100; s.o.Qty = 10 }, RulePriceLimit,
			"91,100 won outside today's limits 49,000..91,000"},
		{"below lower limit", func(s *scenario) { s.o.Price = 48_900; s.o.Qty = 10 }, RulePriceLimit, "outside"},
		// The band binds sells too, exits included: the exchange refuses a
		// sell outside it whatever the strategy holds. 50 held, 10 sold.
		{"exit inside limits", func(s *scenario) { s.o.Side, s.o.Price, s.o.Qty = market.Sell, 49_000, 10 }, "", ""},
		{"exit above upper limit", func(s *scenario) { s.o.Side, s.o.Price, s.o.Qty = market.Sell, 91_100, 10 },
			RulePriceLimit, "91,100 won outside today's limits 49,000..91,000 (previous close 70,000)"},
		{"exit below lower limit", func(s *scenario) { s.o.Side, s.o.Price, s.o.Qty = market.Sell, 48_900, 10 },
			RulePriceLimit, "48,900 won outside today's limits 49,000..91,000 (previous close 70,000)"},
		{"limits unknown", func(s *scenario) { s.o.Price = 91_100; s.o.Qty = 10; s.q.PrevClose = 0 }, "", ""},
		{"market without price", func(s *scenario) { s.o.Type, s.o.Price, s.q.Last = market.MarketOrder, 0, 0 },
			RuleNoPrice, "before any trade"},
		{"position shares at limit", func(s *scenario) { s.o.Price, s.q.PrevClose = 1_000, 0; s.x.Held, s.x.OpenBuyQty = 800, 100 }, "", ""},
		{"position shares over", func(s *scenario) { s.o.Price, s.q.PrevClose = 1_000, 0; s.x.Held, s.x.OpenBuyQty = 800, 101 },
			RulePositionShares, "1,001 shares of 005930 after this order > 1,000"},
		{"position value over", func(s *scenario) { s.x.Held = 700 }, RulePositionValue,
			"56,000,000 won of 005930 after this order > 50,000,000"},
		{"sell what is free", func(s *scenario) { s.o.Side, s.o.Qty, s.x.OpenSellQty = market.Sell, 45, 5 }, "", ""},
		{"sell more than free", func(s *scenario) { s.o.Side, s.o.Qty, s.x.OpenSellQty = market.Sell, 46, 5 },
			RuleHoldings, "sell of 46 shares of 005930, 45 free (50 held, 5 on open sells)"},
		{"sell when flat", func(s *scenario) { s.o.Side, s.x.Held = market.Sell, 0 }, RuleHoldings, "0 free"},
		{"cash enough", func(s *scenario) { s.x.Cash, s.x.Committed = 9_001_050, 2_000_000 }, "", ""},
		{"cash short by fees", func(s *scenario) { s.x.Cash, s.x.Committed = 9_001_049, 2_000_000 }, RuleCash,
			"order needs 7,001,050 won with fees, 7,001,049 free"},
		{"market buy cash at collar", func(s *scenario) {
			s.o.Type, s.o.Price, s.x.Cash = market.MarketOrder, 0, 7_070_000 // 70,700 × 100 + fee > cash
		}, RuleCash, "order needs 7,071,060 won"},
		{"rule off", func(s *scenario) { s.lim.MaxOrderValue = 0; s.o.Qty = 140 }, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := baseScenario()
			tc.change(&s)
			g := New(s.lim, krx.DefaultFees())
			id := g.Register("s", 100_000_000)
			err := g.Admit(id, &s.o, s.x, s.q)
			checkRejection(t, err, tc.rule, tc.reason)
		})
	}
}

func checkRejection(t *testing.T, err error, rule Rule, reason string) {
	t.Helper()
	if rule == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var r *Rejection
	if !errors.As(err, &r) {
		t.Fatalf("err = %v, want a rejection by %q", err, rule)
	}
	if r.Rule != rule || !strings.Contains(r.Error(), reason) {
		t.Fatalf("rejection %q (rule %q), want rule %q with %q", r.Error(), r.Rule, rule, reason)
	}
	if !strings.HasPrefix(r.Error(), string(rule)+": ") {
		t.Fatalf("reason %q does not start with the rule", r.Error())
	}
}

func TestCollarPrice(t *testing.T) {
	g := New(testLimits(), krx.DefaultFees())
	buy := market.Order{Side: market.Buy, Type: market.MarketOrder}
	for _, tc := range []struct {
		last, prev, want int64
	}{
		{70_000, 0, 70_700},      // +1 % is on the grid
		{70_050, 0, 70_800},      // 70,750.5 rounds up to the 100-won grid
		{90_500, 70_000, 91_000}, // capped at the upper limit
		{1_000, 0, 1_010},
		{1, 0, 2}, // +1 % of 1 won rounds up to a whole tick
	} {
		if got := g.Price(&buy, Quote{Last: tc.last, PrevClose: tc.prev}); got != tc.want {
			t.Errorf("collar of %d (prev %d) = %d, want %d", tc.last, tc.prev, got, tc.want)
		}
	}
}

func TestOrderRateSlidingWindow(t *testing.T) {
	s := baseScenario()
	g := New(s.lim, krx.DefaultFees()) // 3 orders per minute
	id := g.Register("s", 100_000_000)
	at := func(d time.Duration) *market.Order { o := s.o; o.Created = t0.Add(d); return &o }
	for _, step := range []struct {
		at   time.Duration
		rule Rule
	}{
		{0, ""}, {10 * time.Second, ""}, {20 * time.Second, ""},
		{59 * time.Second, RuleOrderRate}, // 3 in [0:59): full
		{60 * time.Second, ""},            // the order at 0 left the window
		{61 * time.Second, RuleOrderRate}, // 10, 20, 60 remain
		{70 * time.Second, ""},            // 10 left
		{130 * time.Second, ""},           // 20, 60, 70 left; 130 alone
	} {
		checkRejection(t, g.Admit(id, at(step.at), s.x, s.q), step.rule, "")
	}
	// A refused order does not count: a flood of refusals does not lock
	// the strategy out once the window has moved.
	other := g.Register("other", 100_000_000)
	for i := range 3 {
		checkRejection(t, g.Admit(other, at(time.Duration(i)*time.Second), s.x, s.q), "", "")
	}
	for i := range 10 {
		err := g.Admit(other, at(time.Duration(3+i)*time.Second), s.x, s.q)
		checkRejection(t, err, RuleOrderRate, "3 orders in the last minute >= 3")
	}
	checkRejection(t, g.Admit(other, at(60*time.Second), s.x, s.q), "", "")
}

func TestOrderBeforeTheClockStarts(t *testing.T) {
	s := baseScenario()
	s.lim.MaxOrdersPerMinute = 1
	g := New(s.lim, krx.DefaultFees())
	id := g.Register("s", 100_000_000)
	early := s.o
	early.Created = time.Time{} // placed in on_start, before any tick
	checkRejection(t, g.Admit(id, &early, s.x, s.q), "", "")
	checkRejection(t, g.Admit(id, &s.o, s.x, s.q), "", "") // the zero-time order is long gone
	checkRejection(t, g.Admit(id, &s.o, s.x, s.q), RuleOrderRate, "1 orders in the last minute")
}

func TestDailyLoss(t *testing.T) {
	s := baseScenario() // strategy limit 1,000,000; account 1,500,000
	g := New(s.lim, krx.DefaultFees())
	a := g.Register("a", 100_000_000)
	b := g.Register("b", 100_000_000)
	order := func(d time.Duration) *market.Order { o := s.o; o.Created = t0.Add(d); return &o }

	g.Mark(a, t0, 99_000_001) // lost 999,999
	checkRejection(t, g.Admit(a, order(time.Second), s.x, s.q), "", "")
	g.Mark(a, t0.Add(2*time.Second), 99_000_000) // lost 1,000,000: limit reached
	g.Mark(a, t0.Add(3*time.Second), 99_900_000) // recovers, but the latch holds
	checkRejection(t, g.Admit(a, order(4*time.Second), s.x, s.q), RuleDailyLoss,
		"strategy lost 1,000,000 won today by 2024-03-04 10:00 KST (limit 1,000,000)")
	checkRejection(t, g.Admit(b, order(5*time.Second), s.x, s.q), "", "") // b unaffected

	g.Mark(b, t0.Add(6*time.Second), 99_400_000) // account: −100,000 − 600,000
	checkRejection(t, g.Admit(b, order(7*time.Second), s.x, s.q), "", "")
	g.Mark(a, t0.Add(8*time.Second), 99_100_000) // account −1,500,000: halt
	if !g.Halted() || !g.Stopped(a) || g.Stopped(b) {
		t.Fatalf("halted %v, stopped a %v b %v", g.Halted(), g.Stopped(a), g.Stopped(b))
	}
	checkRejection(t, g.Admit(b, order(9*time.Second), s.x, s.q), RuleAccountLoss,
		"account lost 1,500,000 won today by 2024-03-04 10:00 KST (limit 1,500,000)")

	// The next KST day (midnight in Seoul is 15:00 UTC) starts afresh from
	// the equity at the end of this one.
	tomorrow := time.Date(2024, 3, 5, 0, 0, 1, 0, market.Seoul)
	o := s.o
	o.Created = tomorrow
	checkRejection(t, g.Admit(a, &o, s.x, s.q), "", "")
	g.Mark(a, tomorrow.Add(time.Second), 98_100_001) // 999,999 below yesterday's close
	if g.Stopped(a) || g.Halted() {
		t.Fatal("latched on a new day's loss below the limit")
	}
}

// TestBreakersSpareExits trips a daily loss breaker, lets the equity
// recover above the day's start, and then sends a buy, an exit of every
// share held (worth more than MaxOrderValue) and a sell of one share more.
// The buy is refused with the loss at the trip, not the (negative) loss
// now; the exit passes.
func TestBreakersSpareExits(t *testing.T) {
	for _, tc := range []struct {
		name        string
		strat, acct int64 // MaxDailyLoss, MaxAccountDailyLoss
		tripAt      int64 // equity that trips the breaker
		rule        Rule
		reason      string
	}{
		{"strategy", 1_000_000, 0, 98_765_000, RuleDailyLoss,
			"daily loss: strategy lost 1,235,000 won today by 2024-03-04 10:01 KST (limit 1,000,000); " +
				"until the next KST day only sells of held shares are admitted"},
		{"account", 0, 1_500_000, 98_400_000, RuleAccountLoss,
			"account daily loss: account lost 1,600,000 won today by 2024-03-04 10:01 KST (limit 1,500,000); " +
				"until the next KST day only sells of held shares are admitted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := baseScenario()
			s.lim.MaxDailyLoss, s.lim.MaxAccountDailyLoss = tc.strat, tc.acct
			s.x.Held = 200 // 14,000,000 won at 70,000: over the 10,000,000 order value limit
			g := New(s.lim, krx.DefaultFees())
			id := g.Register("s", 100_000_000)
			g.Mark(id, t0.Add(time.Minute), tc.tripAt)
			g.Mark(id, t0.Add(2*time.Minute), 100_500_000) // recovered: 500,000 won up on the day
			at := func(side market.Side, qty int64) *market.Order {
				o := s.o
				o.Side, o.Qty, o.Created = side, qty, t0.Add(3*time.Minute)
				return &o
			}
			checkRejection(t, g.Admit(id, at(market.Buy, 1), s.x, s.q), tc.rule, tc.reason)
			checkRejection(t, g.Admit(id, at(market.Sell, 200), s.x, s.q), "", "")
			checkRejection(t, g.Admit(id, at(market.Sell, 201), s.x, s.q), tc.rule, tc.reason)
			s.x.OpenSellQty = 200 // the exit is working: nothing is left to sell
			checkRejection(t, g.Admit(id, at(market.Sell, 1), s.x, s.q), tc.rule, tc.reason)
		})
	}
}

func TestRejectionAllocatesOnlyWhenRefusing(t *testing.T) {
	s := baseScenario()
	s.lim.MaxOrdersPerMinute = 0
	g := New(s.lim, krx.DefaultFees())
	id := g.Register("s", 100_000_000)
	allocs := testing.AllocsPerRun(100, func() {
		if err := g.Admit(id, &s.o, s.x, s.q); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Admit of an accepted order allocates %.0f times", allocs)
	}
}

func BenchmarkAdmit(b *testing.B) {
	s := baseScenario()
	s.lim.MaxOrdersPerMinute = 1000
	g := New(s.lim, krx.DefaultFees())
	id := g.Register("s", 100_000_000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		s.o.Created = t0.Add(time.Duration(i) * time.Second)
		if err := g.Admit(id, &s.o, s.x, s.q); err != nil {
			b.Fatal(err)
		}
	}
}
