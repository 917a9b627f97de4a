package engine

import (
	"fmt"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// The script.Host methods: what a strategy's ctx reaches. They run inside
// the strategy's hooks, on the engine's goroutine.
var _ script.Host = (*strat)(nil)

// Now returns the engine's clock.
func (s *strat) Now() time.Time { return s.e.now }

// A strategy sees its orders by their number among its own orders
// (market.Order.Seq), never by the host-wide ID that storage and brokers
// key them by: in what Submit returns and Cancel takes, and as the ID of
// the orders and the OrderID of the fills its hooks and OpenOrders get.
// So its numbers, and its report, do not depend on how much the
// strategies beside it trade.

// Submit passes an order through the risk gate to the broker. A refused
// order returns its number and the reason; either way on_order hears of
// it after the hook returns.
func (s *strat) Submit(req script.OrderRequest) (int64, error) {
	id, err := s.e.submit(s, market.Order{
		Symbol: req.Symbol, Side: req.Side, Type: req.Type, Qty: req.Qty, Price: req.Price,
		Sessions: req.Sessions,
	})
	if id == 0 {
		return 0, err // not numbered: the strategy is not running
	}
	return s.seq, err // the number submit gave it
}

// Cancel cancels the strategy's working order number seq.
func (s *strat) Cancel(seq int64) error {
	if !s.running() {
		return errStopped
	}
	i := s.acct.findSeq(seq)
	if i < 0 {
		return fmt.Errorf("cancel order %d: not a working order of this strategy", seq)
	}
	return s.e.cancel(s, s.acct.open[i].ID, "cancelled by strategy")
}

// Position returns the strategy's position in sym (zero when flat).
func (s *strat) Position(sym market.Symbol) market.Position {
	if p := s.acct.positions[sym]; p != nil {
		return *p
	}
	return market.Position{Symbol: sym}
}

// Cash returns the account's cash, including what open buys have reserved.
func (s *strat) Cash() int64 { return s.acct.cash }

// Equity returns cash plus positions at the last trade prices.
func (s *strat) Equity() int64 { return s.equity() }

// OpenOrders appends the strategy's working orders, by ID, to dst.
func (s *strat) OpenOrders(dst []market.Order) []market.Order {
	for i := range s.acct.open {
		dst = append(dst, s.acct.open[i].Order)
		dst[len(dst)-1].ID = s.acct.open[i].Seq
	}
	return dst
}

// LastPrice returns the last trade price of sym seen before the event
// being handled.
func (s *strat) LastPrice(sym market.Symbol) (int64, bool) {
	if y := s.e.syms[sym]; y != nil && y.last > 0 {
		return y.last, true
	}
	return 0, false
}

// Bars appends the last n closed bars of sym in the strategy's timeframe,
// oldest first, to dst. Symbols the strategy does not list have none.
func (s *strat) Bars(sym market.Symbol, n int, dst []market.Bar) []market.Bar {
	sr := s.series[sym]
	if sr == nil {
		return dst
	}
	return sr.last(n, dst)
}

// Indicator appends the outputs of a lib/ta indicator over sym's closed
// bars in the strategy's timeframe to out; ready is false while the
// indicator has too few bars.
func (s *strat) Indicator(sym market.Symbol, name string, params []float64, out []float64) ([]float64, bool, error) {
	sr := s.series[sym]
	if sr == nil {
		return out, false, fmt.Errorf("indicator %s: %s is not one of the strategy's symbols", name, sym)
	}
	ind, fresh, err := sr.indicator(name, params)
	if err != nil {
		return out, false, fmt.Errorf("indicator %s: %w", name, err)
	}
	if fresh && sr.dropped > 0 {
		s.log.Warn().Str("indicator", name).Floats64("params", params).Str("symbol", string(sym)).
			Int64("bars_dropped", sr.dropped).Int("bars_kept", sr.n).
			Msg("indicator first asked for after the series dropped its oldest bars; it starts at the oldest kept bar and may differ from one asked for earlier")
	}
	return ind.values(out), ind.ind.Ready(), nil
}
