package engine

import (
	"slices"
	"strings"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/stats"
)

// Result is one strategy's run.
type Result struct {
	Name      string
	File      string
	Status    script.Status // running, or paused with the reason
	Removed   bool          // stopped by Remove before the end of the run
	State     script.State  // what on_stop returned
	StartCash int64
	Cash      int64
	Equity    int64 // cash plus positions at the last price
	Fees      int64
	Taxes     int64
	Positions []Holding     // every symbol the strategy traded, by symbol
	Fills     []market.Fill // in the order they happened
	Curve     []stats.Point // equity at the start, each KST day's end, and the end
	Orders    int           // admitted by the risk gate and the broker
	Rejected  int           // refused by the gate or the broker
	Cancelled int
}

// Holding is a position with the last price it is valued at.
type Holding struct {
	market.Position
	Last int64 // last trade price, won
}

// Results returns each strategy's result, in name order. Call it after
// Stop for the final figures; before, it shows the run so far.
func (e *Engine) Results() []Result {
	out := make([]Result, 0, len(e.strats))
	for _, s := range e.strats {
		a := &s.acct
		r := Result{
			Name: s.name, File: s.file, Status: s.status, Removed: s.removed, State: s.state,
			StartCash: a.start, Cash: a.cash, Equity: s.equity(), Fees: a.fees, Taxes: a.taxes,
			Fills: slices.Clone(a.fills), Curve: slices.Clone(a.equity),
			Orders: a.orders, Rejected: a.rejected, Cancelled: a.cancelled,
		}
		if !e.stopped && !s.paused && !s.removed {
			r.Status = s.s.Status()
		}
		for _, p := range a.positions {
			r.Positions = append(r.Positions, Holding{Position: *p, Last: e.syms[p.Symbol].last})
		}
		slices.SortFunc(r.Positions, func(x, y Holding) int { return strings.Compare(string(x.Symbol), string(y.Symbol)) })
		out = append(out, r)
	}
	return out
}
