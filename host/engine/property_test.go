package engine

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/risk"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// Property tests of the accounts and the risk gate (issue 18): a Go
// strategy places random buys, sells and cancels (market and limit, random
// sizes, day and GTC) from every hook, over random tick tapes of two
// symbols and three days, on a small account whose limits bind often.
// After every tick, and in every hook, the test checks what a trader
// relies on against its own books, kept from the fills:
//
//   - cash is never negative, and never less than what the open buys have
//     reserved (so every open buy can be paid for);
//   - the cash reserved is what the open buys can cost at their reserve
//     price (the limit, or for a market buy the collar, see reservePrice),
//     commission included;
//   - each position is the sum of its fills under average-cost rules, and
//     no sell ever fills more than is held, nor is an order admitted to
//     sell more than is held and not already on open sells;
//   - cash is the start less buys, fees and taxes plus sells; equity is
//     cash plus the positions at the last price; the fee and tax totals are
//     the sums of the fills', each worked out from the KRX rates;
//   - every order is admitted exactly when the limits allow it: an
//     admitted order breaks none; a refused one breaks the rule named,
//     the first in the gate's order (the loss breakers and the order rate
//     are checked for plausibility only).

var propLimits = risk.Limits{
	MaxPositionShares:   60,
	MaxPositionValue:    3_000_000,
	MaxOrderValue:       1_500_000,
	MaxOpenOrders:       5,
	MaxOrdersPerMinute:  8,
	MaxDailyLoss:        150_000,
	MaxAccountDailyLoss: 0,
	MarketBuyCollarBP:   100,
}

const propCash = 3_000_000

// Three KST trading days, Wednesday to Friday.
var propDays = []time.Time{
	time.Date(2026, 3, 4, 9, 0, 0, 0, market.Seoul),
	time.Date(2026, 3, 5, 9, 0, 0, 0, market.Seoul),
	time.Date(2026, 3, 6, 9, 0, 0, 0, market.Seoul),
}

// randomTape returns ticks of sym (from about 70,000 won, 100-won ticks)
// and sym2 (about 1,950 won, across the 1- and 5-won bands) on the KRX
// grid, in time order, and each symbol's close per KST day. Each day opens
// with a gap of up to ±15 % from the previous close and moves up to three
// ticks a print, always inside the day's ±30 % band; on some days the last
// print is just before the 15:30 close, so a minute bar closes after the
// session and the orders placed on it wait for the next day's open.
func randomTape(rng *rand.Rand) ([]market.Tick, map[market.Symbol]map[int64]int64) {
	closes := map[market.Symbol]map[int64]int64{}
	var ticks []market.Tick
	for _, s := range []struct {
		sym  market.Symbol
		base int64
	}{{sym, 70_000}, {sym2, 1_950}} {
		closes[s.sym] = map[int64]int64{}
		p, prev := s.base, int64(0)
		for d, day := range propDays {
			band := krx.Limits{Lower: 1, Upper: 1 << 40}
			if d > 0 {
				band = krx.PriceLimits(prev)
				gap := prev * int64(rng.IntN(301)-150) / 1000 // −15 % .. +15 %
				p = min(max(krx.RoundDown(prev+gap), band.Lower), band.Upper)
			}
			at := day
			n := 40 + rng.IntN(80)
			for i := range n {
				if i > 0 {
					at = at.Add(time.Duration(1+rng.IntN(15)) * time.Second)
					p = min(max(krx.AddTicks(p, rng.IntN(7)-3), band.Lower), band.Upper)
				}
				if i == n-1 && rng.IntN(2) == 0 {
					at = day.Add(6*time.Hour + 29*time.Minute + 50*time.Second) // 15:29:50
				}
				ticks = append(ticks, market.Tick{Time: at, Symbol: s.sym, Price: p, Volume: 1 + int64(rng.IntN(40))})
			}
			prev = p
			closes[s.sym][kstDay(day.UnixNano())] = p
		}
	}
	slices.SortStableFunc(ticks, func(a, b market.Tick) int { return a.Time.Compare(b.Time) })
	for i := range ticks {
		ticks[i].Seq = int64(i + 1)
	}
	return ticks, closes
}

// books is the test's own account, kept from the engine's fills.
type books struct {
	t      testing.TB
	e      *Engine
	h      script.Host
	rng    *rand.Rand
	closes map[market.Symbol]map[int64]int64

	reserve  map[int64]int64 // order number → per-share reserve price, as reservePrice works it out
	lastPx   map[market.Symbol]int64
	working  []market.Order // the market buys working at the last look
	admitted []time.Time    // when each admitted order was placed
	seen     int            // fills of the account checked so far
	pos      map[market.Symbol]*market.Position
	buys     int64 // Σ value of buy fills
	sells    int64
	fees     int64
	taxes    int64
	failed   bool
	counts   map[string]int // outcomes, to show the test exercises them
}

func (b *books) fail(format string, args ...any) {
	b.t.Helper()
	if !b.failed {
		b.failed = true
		b.t.Errorf(format, args...)
	}
}

// commission is 0.015 % of the value, rounded down to the won.
func commission(value int64) int64 { return value * 15 / 100_000 }

// sellTaxes are a 2026 KOSPI sale's: 0.05 % transaction tax and 0.15 %
// rural tax, each rounded down to the won (both symbols are KOSPI's).
func sellTaxes(value int64) int64 { return value*5/10_000 + value*15/10_000 }

// prevClose is the close of the last tape day before the KST day of now.
func (b *books) prevClose(s market.Symbol, now time.Time) int64 {
	d := kstDay(now.UnixNano())
	best, pc := int64(-1<<62), int64(0)
	for day, c := range b.closes[s] {
		if day < d && day > best {
			best, pc = day, c
		}
	}
	return pc
}

// reservePrice is the per-share price a buy is valued and reserved at:
// its limit; for a market buy the last price plus 1 % rounded up to the
// grid, no higher than the day's upper limit.
func (b *books) reservePrice(req script.OrderRequest, last, prev int64) int64 {
	if req.Type == market.LimitOrder {
		return req.Price
	}
	p := krx.RoundUp(last + (last*100+9_999)/10_000)
	if prev > 0 {
		p = min(p, krx.PriceLimits(prev).Upper)
	}
	return max(p, last)
}

// committed is what the open buys can cost at their reserve prices.
func (b *books) committed() int64 {
	var c int64
	for _, o := range b.h.OpenOrders(nil) {
		if o.Side == market.Buy {
			v := o.Remaining() * b.reserve[o.ID]
			c += v + commission(v)
		}
	}
	return c
}

// check compares the engine's books with the test's.
func (b *books) check(where string) {
	b.t.Helper()
	if b.failed {
		return
	}
	s := b.e.strats[0]
	a := &s.acct
	// A new print re-values the market buys that may fill on it at the
	// collar over it, when that is higher (recheckMarketBuys); a fill
	// never takes more than that.
	for _, y := range []market.Symbol{sym, sym2} {
		last, _ := b.h.LastPrice(y)
		if last == b.lastPx[y] {
			continue
		}
		b.lastPx[y] = last
		for _, o := range b.working {
			if o.Symbol == y {
				r := b.reservePrice(script.OrderRequest{Type: market.MarketOrder}, last, b.prevClose(y, b.h.Now()))
				b.reserve[o.ID] = max(b.reserve[o.ID], r)
			}
		}
	}
	for _, f := range a.fills[b.seen:] {
		v := f.Qty * f.Price
		wantTax := int64(0)
		if f.Side == market.Sell {
			wantTax = sellTaxes(v)
		}
		if f.Fee != commission(v) || f.Tax != wantTax {
			b.fail("%s: fill %+v: fee %d tax %d, want %d %d", where, f, f.Fee, f.Tax, commission(v), wantTax)
		}
		p := b.pos[f.Symbol]
		if p == nil {
			p = &market.Position{Symbol: f.Symbol}
			b.pos[f.Symbol] = p
		}
		switch f.Side {
		case market.Buy:
			if r := b.reserve[f.OrderSeq]; f.Price > r {
				b.fail("%s: buy fill %+v above the %d won its order reserved", where, f, r)
			}
			p.Qty, p.Cost = p.Qty+f.Qty, p.Cost+v
			b.buys += v
		case market.Sell:
			if f.Qty > p.Qty {
				b.fail("%s: sell fill %+v of more than the %d held", where, f, p.Qty)
				return
			}
			removed := p.Cost // average cost: the sold shares' share, rounded down; all of it when flat
			if f.Qty < p.Qty {
				removed = p.Cost * f.Qty / p.Qty
			}
			p.Qty, p.Cost, p.Realized = p.Qty-f.Qty, p.Cost-removed, p.Realized+v-removed
			b.sells += v
		}
		b.fees += f.Fee
		b.taxes += f.Tax
	}
	b.seen = len(a.fills)

	cash := b.h.Cash()
	if want := propCash - b.buys - b.fees - b.taxes + b.sells; cash != want {
		b.fail("%s: cash %d, want %d (start − buys %d − fees %d − taxes %d + sells %d)",
			where, cash, want, b.buys, b.fees, b.taxes, b.sells)
	}
	if a.fees != b.fees || a.taxes != b.taxes {
		b.fail("%s: fees %d taxes %d, fills sum to %d %d", where, a.fees, a.taxes, b.fees, b.taxes)
	}
	c := b.committed()
	if x := s.exposure(sym); x.Committed != c {
		b.fail("%s: %d reserved for open buys, they can cost %d", where, x.Committed, c)
	}
	if cash < 0 || cash < c {
		b.fail("%s: cash %d, %d reserved for open buys: overdrawn", where, cash, c)
	}
	equity := cash
	open := b.h.OpenOrders(nil)
	for _, y := range []market.Symbol{sym, sym2} {
		want := market.Position{Symbol: y}
		if p := b.pos[y]; p != nil {
			want = *p
		}
		if got := b.h.Position(y); got != want {
			b.fail("%s: position %+v, fills make %+v", where, got, want)
		}
		if last, ok := b.h.LastPrice(y); ok {
			equity += want.Qty * last
		}
		var onSells int64
		for _, o := range open {
			if o.Symbol == y && o.Side == market.Sell {
				onSells += o.Remaining()
			}
		}
		if onSells > want.Qty {
			b.fail("%s: %d shares of %s on open sells, %d held", where, onSells, y, want.Qty)
		}
	}
	if got := b.h.Equity(); got != equity {
		b.fail("%s: equity %d, want cash + positions at last = %d", where, got, equity)
	}
	b.look()
}

// look notes the market buys working now.
func (b *books) look() {
	b.working = b.working[:0]
	for _, o := range b.h.OpenOrders(nil) {
		if o.Side == market.Buy && o.Type == market.MarketOrder {
			b.working = append(b.working, o)
		}
	}
}

// violated returns the first rule, in the gate's order, that req breaks
// (the loss breakers and the order rate aside), "" for none, and whether
// req is an exit. It also returns the price the order is valued at.
func (b *books) violated(req script.OrderRequest) (risk.Rule, bool, int64) {
	now := b.h.Now()
	last, _ := b.h.LastPrice(req.Symbol)
	prev := b.prevClose(req.Symbol, now)
	held := b.h.Position(req.Symbol).Qty
	open := b.h.OpenOrders(nil)
	var openBuy, openSell int64
	for _, o := range open {
		if o.Symbol != req.Symbol {
			continue
		}
		if o.Side == market.Buy {
			openBuy += o.Remaining()
		} else {
			openSell += o.Remaining()
		}
	}
	exit := req.Side == market.Sell && req.Qty <= held-openSell
	lim := propLimits
	price := b.reservePrice(req, last, prev)
	switch {
	case len(open) >= lim.MaxOpenOrders && !exit:
		return risk.RuleOpenOrders, exit, price
	case req.Type == market.MarketOrder && last <= 0:
		return risk.RuleNoPrice, exit, price
	case req.Type == market.LimitOrder && !krx.OnGrid(req.Price):
		return risk.RuleTickSize, exit, price
	case req.Type == market.LimitOrder && prev > 0 && !krx.PriceLimits(prev).Contains(req.Price):
		return risk.RulePriceLimit, exit, price
	case req.Side == market.Sell && !exit:
		return risk.RuleHoldings, exit, price
	case req.Side == market.Sell:
		return "", exit, price
	}
	after := held + openBuy + req.Qty
	v := req.Qty * price
	switch {
	case v > lim.MaxOrderValue:
		return risk.RuleOrderValue, exit, price
	case after > lim.MaxPositionShares:
		return risk.RulePositionShares, exit, price
	case after*price > lim.MaxPositionValue:
		return risk.RulePositionValue, exit, price
	case v+commission(v) > b.h.Cash()-b.committed():
		return risk.RuleCash, exit, price
	}
	return "", exit, price
}

// rateFull reports whether MaxOrdersPerMinute orders were admitted in the
// minute before now.
func (b *books) rateFull(now time.Time) bool {
	n := 0
	for _, at := range b.admitted {
		if now.Sub(at) < time.Minute {
			n++
		}
	}
	return n >= propLimits.MaxOrdersPerMinute
}

// submit places req and checks the gate's verdict against the limits.
func (b *books) submit(req script.OrderRequest) {
	now := b.h.Now()
	rule, exit, price := b.violated(req)
	full := b.rateFull(now)
	seq, err := b.h.Submit(req)
	var r *risk.Rejection
	switch {
	case err == nil:
		b.counts["admitted"]++
		if rule != "" || full {
			b.fail("%s admitted at %s, but it breaks %q (rate full %v)", fmtReq(req), now, rule, full)
		}
		b.admitted = append(b.admitted, now)
		if req.Side == market.Buy {
			b.reserve[seq] = price
		}
	case !errors.As(err, &r):
		b.fail("%s: %v", fmtReq(req), err)
	case r.Rule == risk.RuleDailyLoss || r.Rule == risk.RuleAccountLoss:
		b.counts[string(r.Rule)]++
		if exit {
			b.fail("exit %s refused: %v", fmtReq(req), err)
		}
	case r.Rule == risk.RuleOrderRate:
		b.counts[string(r.Rule)]++
		if !full {
			b.fail("%s refused at %s, but fewer than %d orders in the last minute: %v",
				fmtReq(req), now, propLimits.MaxOrdersPerMinute, err)
		}
	default:
		b.counts[string(r.Rule)]++
		if r.Rule != rule {
			b.fail("%s at %s refused by %q (%v), want %q", fmtReq(req), now, r.Rule, err, rule)
		}
	}
}

func fmtReq(req script.OrderRequest) string {
	return fmt.Sprintf("%s %s %d %s @ %d (%d sessions)", req.Type, req.Side, req.Qty, req.Symbol, req.Price, req.Sessions)
}

// act places up to two random orders or cancels.
func (b *books) act() {
	for range b.rng.IntN(3) {
		y := []market.Symbol{sym, sym2}[b.rng.IntN(2)]
		k := b.rng.IntN(10)
		if k == 9 {
			if open := b.h.OpenOrders(nil); len(open) > 0 {
				id := open[b.rng.IntN(len(open))].ID
				if err := b.h.Cancel(id); err != nil {
					b.fail("cancel of working order %d: %v", id, err)
				}
				b.counts["cancel"]++
			}
			continue
		}
		req := script.OrderRequest{Symbol: y, Side: market.Buy, Type: market.MarketOrder}
		if k >= 5 {
			req.Side = market.Sell
		}
		if b.rng.IntN(10) < 6 {
			last, ok := b.h.LastPrice(y)
			if !ok {
				last = 1_950
			}
			req.Type, req.Price = market.LimitOrder, krx.AddTicks(last, b.rng.IntN(13)-6)
			switch b.rng.IntN(20) {
			case 0:
				req.Price++ // off the grid above 2,000 won
			case 1:
				if pc := b.prevClose(y, b.h.Now()); pc > 0 {
					req.Price = krx.AddTicks(krx.PriceLimits(pc).Upper, 1-2*b.rng.IntN(2)) // just inside or outside
				}
			case 2:
				if pc := b.prevClose(y, b.h.Now()); pc > 0 {
					req.Price = krx.AddTicks(krx.PriceLimits(pc).Lower, 1-2*b.rng.IntN(2))
				}
			}
		}
		if req.Side == market.Buy {
			req.Qty = 1 + int64(b.rng.IntN(25))
			if y == sym2 {
				req.Qty *= 20
			}
		} else {
			req.Qty = 1 + int64(b.rng.IntN(int(b.h.Position(y).Qty)+3))
		}
		if b.rng.IntN(8) == 0 {
			req.Sessions = 2
		}
		b.submit(req)
	}
}

func (b *books) spec() Spec {
	g := goStrat{meta: script.Meta{Name: "random", Symbols: []market.Symbol{sym, sym2}, Timeframe: market.Min1}}
	hook := func(where string, p int) error {
		b.check(where)
		if b.rng.IntN(10) < p {
			b.act()
			b.look()
		}
		return nil
	}
	g.start = func(h script.Host) error { b.h = h; return nil }
	g.tick = func(*market.Tick) error { return hook("on_tick", 3) }
	g.bar = func(*market.Bar) error { return hook("on_bar", 5) }
	g.fill = func(*market.Fill) error { return hook("on_fill", 2) }
	g.order = func(o *market.Order) error {
		if o.Status == market.OrderCancelled && strings.HasPrefix(o.Reason, "cash: the market moved") {
			b.counts["market buy cancelled for cash"]++
		}
		return hook("on_order", 1)
	}
	return goSpec(g)
}

func TestAccountProperties(t *testing.T) {
	runs := 120
	if testing.Short() {
		runs = 30
	}
	rng := rand.New(rand.NewPCG(18, 2026))
	total := map[string]int{}
	for run := range runs {
		ticks, closes := randomTape(rng)
		b := &books{t: t, rng: rand.New(rand.NewPCG(uint64(run), 18)), closes: closes,
			reserve: map[int64]int64{}, lastPx: map[market.Symbol]int64{}, pos: map[market.Symbol]*market.Position{}, counts: total}
		lim := propLimits
		e, err := New(Config{Strategies: []Spec{b.spec()}, Cash: propCash, Limits: &lim})
		if err != nil {
			t.Fatal(err)
		}
		b.e = e
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		for i := range ticks {
			e.Process(&ticks[i])
			b.check(fmt.Sprintf("after tick %d (%s %s @ %d)", i, ticks[i].Time.Format(time.DateTime), ticks[i].Symbol, ticks[i].Price))
		}
		if err := e.Stop(); err != nil {
			t.Fatal(err)
		}
		b.check("after stop")
		r := e.Results()[0]
		var fees, taxes int64
		for _, f := range r.Fills {
			fees, taxes = fees+f.Fee, taxes+f.Tax
		}
		if r.Fees != fees || r.Taxes != taxes || r.Equity != r.Cash+positionsAt(r.Positions) {
			b.fail("result fees %d taxes %d equity %d; fills %d %d", r.Fees, r.Taxes, r.Equity, fees, taxes)
		}
		if b.failed {
			t.Fatalf("run %d failed (tape seed 18/2026, strategy seed %d)", run, run)
		}
	}
	t.Logf("outcomes over %d runs: %v", runs, total)
	// The runs must exercise every rule the test judges, or it proves little.
	for _, k := range []string{"admitted", "cancel", "market buy cancelled for cash", string(risk.RuleCash), string(risk.RuleHoldings), string(risk.RuleOrderValue),
		string(risk.RulePositionShares), string(risk.RulePositionValue), string(risk.RuleOpenOrders), string(risk.RuleTickSize),
		string(risk.RulePriceLimit), string(risk.RuleOrderRate)} {
		if total[k] == 0 {
			t.Errorf("no %q outcome in %d runs", k, runs)
		}
	}
}

func positionsAt(ps []Holding) int64 {
	var v int64
	for _, p := range ps {
		v += p.Qty * p.Last
	}
	return v
}
