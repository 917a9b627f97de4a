package replay

import (
	"time"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/stats"
)

var kst = market.Seoul

// Summarize turns the engine's results into a report of a run over ticks
// ticks of data, from from to to.
func Summarize(data []string, from, to time.Time, ticks int, results []engine.Result) *Report {
	r := &Report{
		Data:  data,
		From:  formatTime(from),
		To:    formatTime(to),
		Ticks: ticks,
	}
	for _, res := range results {
		r.Strategies = append(r.Strategies, strategyReport(res))
	}
	return r
}

func strategyReport(res engine.Result) StrategyReport {
	st := stats.Compute(res.Curve, res.Fills)
	sr := StrategyReport{
		Name:        res.Name,
		File:        res.File,
		Status:      status(res),
		Rejected:    res.Rejected,
		Error:       strategyError(res.Status),
		StartCash:   res.StartCash,
		FinalCash:   res.Cash,
		FinalEquity: res.Equity,
		Stats: Stats{
			Trades:       len(res.Fills),
			RoundTrips:   st.RoundTrips,
			TotalReturn:  st.TotalReturn,
			CAGR:         st.CAGR,
			MaxDrawdown:  st.MaxDrawdown,
			Sharpe:       st.Sharpe,
			Sortino:      st.Sortino,
			WinRate:      st.WinRate,
			ProfitFactor: st.ProfitFactor,
			Exposure:     st.Exposure,
			Fees:         res.Fees,
			Taxes:        res.Taxes,
		},
		Positions: []PositionReport{},
		Fills:     make([]FillReport, 0, len(res.Fills)),
		Equity:    make([]EquityPoint, 0, len(res.Curve)),
	}
	for _, h := range res.Positions {
		sr.Positions = append(sr.Positions, PositionReport{
			Symbol: string(h.Symbol), Qty: h.Qty, Cost: h.Cost,
			LastPrice: h.Last, Value: h.Qty * h.Last, Realized: h.Realized,
		})
	}
	for _, f := range res.Fills {
		sr.Fills = append(sr.Fills, FillReport{
			Time: formatTime(f.Time), OrderID: f.OrderSeq, Symbol: string(f.Symbol),
			Side: f.Side.String(), Qty: f.Qty, Price: f.Price, Fee: f.Fee, Tax: f.Tax,
		})
	}
	for _, p := range res.Curve {
		sr.Equity = append(sr.Equity, EquityPoint{Time: formatTime(p.Time), Equity: p.Equity})
	}
	return sr
}

func status(res engine.Result) string {
	st := res.Status
	switch {
	case res.Removed:
		return "removed"
	case !st.Paused && st.Last != nil:
		// A failure the strategy ran on after is still a failure of the
		// run: Status.String would say "running" once a call succeeded.
		return "failed: " + st.Last.Error()
	}
	return st.String()
}

// strategyError is the error that made a strategy fail, nil if none of its
// hook calls failed.
func strategyError(st script.Status) *StrategyError {
	e := st.Last
	switch {
	case e == nil && !st.Paused:
		return nil
	case e == nil:
		return &StrategyError{Cause: st.Cause.String(), Message: st.Reason}
	}
	cause := e.Kind
	if st.Paused && st.Cause != 0 {
		cause = st.Cause
	}
	return &StrategyError{Cause: cause.String(), Hook: e.Hook, File: e.File, Line: e.Line, Message: e.Msg}
}
