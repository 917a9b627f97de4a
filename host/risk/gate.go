package risk

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// ID identifies a strategy registered with a Gate.
type ID int

// Exposure is what the strategy submitting an order has, as the engine's
// books say at the moment of the check.
type Exposure struct {
	Cash        int64 // cash on the account, won
	Committed   int64 // cash reserved for its open buys (value and fees), won
	Held        int64 // shares held of the order's symbol
	OpenBuyQty  int64 // shares of the symbol still to fill on open buys
	OpenSellQty int64 // shares of the symbol still to fill on open sells
	OpenOrders  int   // working orders of any symbol
}

// Quote is what is known of the order's symbol.
//
// PrevClose is the base of the daily ±30 % price limits. When it is
// unknown (0: the first day of a replay, or a symbol first traded today)
// the price-limit rule is skipped; the tick grid and every other rule
// still apply, and the exchange itself refuses a price outside its band.
//
// Grid is the tick-size table of the symbol's market on the order's date
// (krx.GridOn); the zero Grid is today's.
type Quote struct {
	Last      int64 // last trade price, won; 0 when none seen yet
	PrevClose int64 // previous session's close, won; 0 when unknown
	Grid      krx.Grid
}

// Fees prices the commission and tax of a trade of value won;
// krx.FeeSchedule is one.
type Fees interface {
	Compute(side market.Side, value int64) (fee, tax int64)
}

// Gate checks orders against Limits. Create it with New.
//
// A risk gate limits new risk; it never traps a position. An exit, a sell
// of no more shares than are held and not already on open sells (see
// Exposure), cannot add risk, so it passes the exposure limits (order
// value, position shares and value), the open-order cap and both daily
// loss breakers: a strategy stopped or an account halted for the day can
// still close what it holds. An exit still needs a valid order, a price on
// the tick grid inside the day's limits (or a market order once the symbol
// has traded), and room in the order rate window, which only delays it by
// at most a minute.
type Gate struct {
	lim  Limits
	fees Fees

	strats       []strategy
	day          int64 // current KST day number, see kstDay
	acctEquity   int64 // sum of the strategies' last equity
	acctDayStart int64
	acctLoss     trip
}

type strategy struct {
	name     string
	orders   window
	equity   int64
	dayStart int64
	loss     trip
}

// New returns a Gate applying lim, with fees used to price the cash an
// order needs.
func New(lim Limits, fees Fees) *Gate {
	return &Gate{lim: lim, fees: fees, day: -1 << 62}
}

// Limits returns the limits the gate applies.
func (g *Gate) Limits() Limits { return g.lim }

// Register adds a strategy whose account starts at equity and returns its
// ID for Admit and Mark.
func (g *Gate) Register(name string, equity int64) ID {
	g.strats = append(g.strats, strategy{
		name: name, orders: newWindow(g.lim.MaxOrdersPerMinute), equity: equity, dayStart: equity,
	})
	g.acctEquity += equity
	g.acctDayStart += equity
	return ID(len(g.strats) - 1)
}

// Admit checks o, submitted by strategy id at o.Created, and returns nil
// or a *Rejection. An admitted order counts towards the order rate; the
// caller then sends it to the broker. Admit allocates only when it refuses.
func (g *Gate) Admit(id ID, o *market.Order, x Exposure, q Quote) error {
	if err := o.Validate(); err != nil {
		return reject(RuleInvalid, "%v", err)
	}
	g.roll(o.Created)
	s := &g.strats[id]
	now := unixNano(o.Created)
	if err := g.checkState(s, now, exits(o, x), x); err != nil {
		return err
	}
	if err := g.checkPrice(o, q); err != nil {
		return err
	}
	if err := g.checkSize(o, x, q); err != nil {
		return err
	}
	s.orders.add(now)
	return nil
}

// exits reports whether o only reduces a held position: a sell of no more
// shares than are held and not already on open sells. There is no short
// selling, so every sell the holdings rule lets through is an exit.
func exits(o *market.Order, x Exposure) bool {
	return o.Side == market.Sell && o.Qty <= x.Held-x.OpenSellQty
}

// checkState applies the rules that depend on the strategy's recent
// history rather than on the order. The breakers and the open-order cap
// spare an exit, the order rate does not (see Gate).
func (g *Gate) checkState(s *strategy, now int64, exit bool, x Exposure) error {
	const minute = int64(time.Minute)
	switch {
	case g.acctLoss.hit && !exit:
		return reject(RuleAccountLoss, "account %s (limit %s); until the next KST day only sells of held shares are admitted",
			g.acctLoss, won(g.lim.MaxAccountDailyLoss))
	case s.loss.hit && !exit:
		return reject(RuleDailyLoss, "strategy %s (limit %s); until the next KST day only sells of held shares are admitted",
			s.loss, won(g.lim.MaxDailyLoss))
	case s.orders.full(now, minute):
		wait := time.Duration(s.orders.oldest() + minute - now)
		return reject(RuleOrderRate, "%d orders in the last minute >= %d, next allowed in %s",
			s.orders.n, g.lim.MaxOrdersPerMinute, wait)
	case g.lim.MaxOpenOrders > 0 && x.OpenOrders >= g.lim.MaxOpenOrders && !exit:
		return reject(RuleOpenOrders, "%d open orders >= %d", x.OpenOrders, g.lim.MaxOpenOrders)
	}
	return nil
}

// checkPrice applies the exchange's price rules to a limit price and makes
// sure a market order can be valued.
func (g *Gate) checkPrice(o *market.Order, q Quote) error {
	if o.Type == market.MarketOrder {
		if q.Last <= 0 {
			return reject(RuleNoPrice, "market order for %s before any trade was seen; use a limit price", o.Symbol)
		}
		return nil
	}
	if g := q.Grid; !g.OnGrid(o.Price) {
		return reject(RuleTickSize, "%s won is not on the tick grid (tick %s won; nearest %s or %s)",
			won(o.Price), won(g.TickSize(o.Price)), won(g.RoundDown(o.Price)), won(g.RoundUp(o.Price)))
	}
	if q.PrevClose > 0 {
		if l := q.Grid.PriceLimits(q.PrevClose); !l.Contains(o.Price) {
			return reject(RulePriceLimit, "%s won outside today's limits %s..%s (previous close %s)",
				won(o.Price), won(l.Lower), won(l.Upper), won(q.PrevClose))
		}
	}
	return nil
}

// Price is the per-share price the gate values o at: the limit price, or
// for a market order the last trade price (sells) or the collar above it
// (buys, see Limits.MarketBuyCollarBP). The engine reserves cash for an
// open buy at this price.
func (g *Gate) Price(o *market.Order, q Quote) int64 {
	if o.Type == market.LimitOrder {
		return o.Price
	}
	if o.Side == market.Sell || g.lim.MarketBuyCollarBP <= 0 {
		return q.Last
	}
	p := q.Grid.RoundUp(q.Last + mulDivUp(q.Last, g.lim.MarketBuyCollarBP, 10_000))
	if q.PrevClose > 0 {
		p = min(p, q.Grid.PriceLimits(q.PrevClose).Upper)
	}
	return max(p, q.Last)
}

// Cost is the cash a buy of qty at price needs: value plus fee (and tax,
// which is zero for buys under KRX rules).
func (g *Gate) Cost(side market.Side, qty, price int64) int64 {
	v := mulSat(qty, price)
	fee, tax := g.fees.Compute(side, v)
	return addSat(v, fee+tax)
}

// checkSize applies the holdings rule to a sell, and the value, position
// and cash rules to a buy. A sell that passes the holdings rule is an exit,
// which the exposure limits spare: however much the position has grown in
// value, it can be closed.
func (g *Gate) checkSize(o *market.Order, x Exposure, q Quote) error {
	if o.Side == market.Sell {
		if free := x.Held - x.OpenSellQty; o.Qty > free {
			return reject(RuleHoldings, "sell of %s shares of %s, %s free (%s held, %s on open sells)",
				won(o.Qty), o.Symbol, won(free), won(x.Held), won(x.OpenSellQty))
		}
		return nil
	}
	price := g.Price(o, q)
	if l, value := g.lim.MaxOrderValue, mulSat(o.Qty, price); l > 0 && value > l {
		return reject(RuleOrderValue, "%s won > %s (%s × %s)", won(value), won(l), won(o.Qty), won(price))
	}
	after := x.Held + x.OpenBuyQty + o.Qty
	if l := g.lim.MaxPositionShares; l > 0 && after > l {
		return reject(RulePositionShares, "%s shares of %s after this order > %s", won(after), o.Symbol, won(l))
	}
	if l := g.lim.MaxPositionValue; l > 0 && mulSat(after, price) > l {
		return reject(RulePositionValue, "%s won of %s after this order > %s (%s shares at %s)",
			won(mulSat(after, price)), o.Symbol, won(l), won(after), won(price))
	}
	need, free := g.Cost(o.Side, o.Qty, price), x.Cash-x.Committed
	if need > free {
		return reject(RuleCash, "order needs %s won with fees, %s free (%s cash, %s reserved for open buys)",
			won(need), won(free), won(x.Cash), won(x.Committed))
	}
	return nil
}

// String describes the gate's limits, for a start-up log line.
func (g *Gate) String() string { return fmt.Sprintf("%+v", g.lim) }
