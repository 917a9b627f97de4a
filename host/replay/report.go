package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Report is the result of a replay, written as JSON by WriteJSON. Its field
// order and formatting are fixed, so equal runs give byte-identical files.
type Report struct {
	Data       []string         `json:"data"`
	From       string           `json:"from"`
	To         string           `json:"to"`
	Ticks      int              `json:"ticks"`
	Strategies []StrategyReport `json:"strategies"`
}

// StrategyReport is one strategy's run on its own paper account.
type StrategyReport struct {
	Name        string           `json:"name"`
	File        string           `json:"file"`
	Status      string           `json:"status"`
	Rejected    int              `json:"rejected"`        // orders refused by the risk gate or the broker
	Error       *StrategyError   `json:"error,omitempty"` // nil when every hook call succeeded
	Stats       Stats            `json:"stats"`
	StartCash   int64            `json:"start_cash"`
	FinalCash   int64            `json:"final_cash"`
	FinalEquity int64            `json:"final_equity"`
	Positions   []PositionReport `json:"positions"`
	Fills       []FillReport     `json:"fills"`
	Equity      []EquityPoint    `json:"equity"`
}

// StrategyError is what made a strategy fail: the last error of its hooks.
// The strategy's figures are those of its run up to the end of the replay
// (or up to the pause, when the failures paused it).
type StrategyError struct {
	Cause   string `json:"cause"`          // runtime, timeout, memory...: what paused it, or the last failure's kind
	Hook    string `json:"hook,omitempty"` // on_start, on_bar, on_stop...
	File    string `json:"file,omitempty"` // the script or module where it happened
	Line    int    `json:"line,omitempty"` // 0 when unknown
	Message string `json:"message"`
}

// Failed returns the names of the strategies that failed, in report order.
func (r *Report) Failed() []string {
	var names []string
	for _, s := range r.Strategies {
		if s.Error != nil {
			names = append(names, s.Name)
		}
	}
	return names
}

// Stats are the headline figures of a strategy's run. Ratios are fractions
// (0.05 is 5 %); money is whole won.
type Stats struct {
	Trades       int     `json:"trades"`
	RoundTrips   int     `json:"round_trips"`
	TotalReturn  float64 `json:"total_return"`
	CAGR         float64 `json:"cagr"`
	MaxDrawdown  float64 `json:"max_drawdown"`
	Sharpe       float64 `json:"sharpe"`
	Sortino      float64 `json:"sortino"`
	WinRate      float64 `json:"win_rate"`
	ProfitFactor float64 `json:"profit_factor"`
	Exposure     float64 `json:"exposure"`
	Fees         int64   `json:"fees"`
	Taxes        int64   `json:"taxes"`
}

// PositionReport is a holding at the end of the run, valued at the last price.
type PositionReport struct {
	Symbol    string `json:"symbol"`
	Qty       int64  `json:"qty"`
	Cost      int64  `json:"cost"`
	LastPrice int64  `json:"last_price"`
	Value     int64  `json:"value"`
	Realized  int64  `json:"realized"`
}

// FillReport is one execution. OrderID is the order's number among its
// strategy's orders (market.Order.Seq), as the strategy saw it, so a
// strategy's report is the same alone or beside others.
type FillReport struct {
	Time    string `json:"time"`
	OrderID int64  `json:"order_id"`
	Symbol  string `json:"symbol"`
	Side    string `json:"side"`
	Qty     int64  `json:"qty"`
	Price   int64  `json:"price"`
	Fee     int64  `json:"fee"`
	Tax     int64  `json:"tax"`
}

// EquityPoint is the account's value (cash plus positions at the last price).
type EquityPoint struct {
	Time   string `json:"time"`
	Equity int64  `json:"equity"`
}

// timeFormat writes every time in KST with a fixed layout.
const timeFormat = "2006-01-02T15:04:05.000+09:00"

func formatTime(t time.Time) string {
	return t.In(kst).Format(timeFormat)
}

// WriteJSON writes the report as indented JSON with a trailing newline.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// WriteSummary prints one line per strategy: the table a user reads first.
func (r *Report) WriteSummary(w io.Writer) error {
	fmt.Fprintf(w, "%d ticks, %s → %s\n", r.Ticks, r.From, r.To)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "strategy\ttrades\treturn\tmax dd\tsharpe\twin rate\tfees\ttaxes\tfinal equity\tstatus\t")
	for _, s := range r.Strategies {
		st := s.Stats
		fmt.Fprintf(tw, "%s\t%d\t%.2f%%\t%.2f%%\t%.2f\t%.1f%%\t%s\t%s\t%s\t%s\t\n",
			s.Name, st.Trades, 100*st.TotalReturn, 100*st.MaxDrawdown, st.Sharpe,
			100*st.WinRate, won(st.Fees), won(st.Taxes), won(s.FinalEquity), s.Status)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// won formats an amount with thousands separators: 100,000,000.
func won(v int64) string {
	s := fmt.Sprint(v)
	neg := v < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
