package script

import (
	"errors"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/rs/zerolog"
)

// Host is what a strategy's ctx reaches. The engine implements it once per
// strategy. Every method is called on the engine's goroutine, inside a hook,
// and must return quickly: the time budget cannot interrupt Go code.
type Host interface {
	// Now is the engine's clock: the data's time in a replay.
	Now() time.Time
	// Submit passes an order through the risk gate; the error text (a
	// rejection reason) is handed back to Lua as nil, err.
	Submit(req OrderRequest) (int64, error)
	// Cancel asks to cancel a working order; the error text goes to Lua.
	Cancel(id int64) error
	// Position is the strategy's holding in sym (zero when flat).
	Position(sym market.Symbol) market.Position
	// Cash is the strategy's available cash in won.
	Cash() int64
	// Equity is cash plus positions at their last prices, in won.
	Equity() int64
	// OpenOrders appends the strategy's working orders to dst.
	OpenOrders(dst []market.Order) []market.Order
	// LastPrice is the last trade seen for sym (the past only).
	LastPrice(sym market.Symbol) (int64, bool)
	// Bars appends up to n closed bars of the strategy's timeframe to dst,
	// oldest first.
	Bars(sym market.Symbol, n int, dst []market.Bar) []market.Bar
	// Indicator computes a lib/ta indicator over closed bars and appends its
	// outputs, in lib/ta's order, to out; ready is false while it warms up.
	Indicator(sym market.Symbol, name string, params []float64, out []float64) ([]float64, bool, error)
}

// OrderRequest is an order as a strategy asks for it.
type OrderRequest struct {
	Symbol market.Symbol
	Side   market.Side
	Type   market.OrderType
	Qty    int64 // shares, 1..1e9
	Price  int64 // won; 0 for a market order
	// Sessions is the order's life in trading sessions: 0 or 1 for a day
	// order, more for a good-till-cancelled one (market.Order.Sessions).
	Sessions int
}

// Options tune a Strategy. The zero value is usable.
type Options struct {
	// Budget is the longest one hook call may run (default 200 ms). A call
	// over it is aborted once the process is seen keeping a core busy, and
	// after four budgets in any case, so a thread the OS left waiting is not
	// blamed (see the package doc). Keep it well above a hook's worst case.
	Budget time.Duration
	// MaxFailures is how many consecutive failed calls pause the strategy
	// (default 5).
	MaxFailures int
	// Log receives print and ctx.log output.
	Log zerolog.Logger
	// Params override the script's params by name; each value is parsed as
	// the default's type. A name the script does not declare is an error.
	Params map[string]string
	// ModuleDir is the only directory require loads from; empty disables
	// require.
	ModuleDir string
	// Memory is the strategy's memory budget in bytes (default
	// DefaultMemory, 64 MiB): when its Lua state is estimated to retain
	// more (an estimate walked off the hot path, at least once a second
	// while hooks run), the strategy is stopped (KindMemory). A negative
	// value switches the memory checks off, CallMemory's too.
	Memory int64
	// CallMemory is how many bytes one hook call may allocate, garbage
	// included (default 4 × Memory): a call past it is aborted and the
	// strategy stopped (KindMemory). Only one hook runs at a time, so
	// this bounds the transient memory of all strategies together.
	CallMemory int64
	// Seed seeds math.random; 0 derives it from the program's hash, so a
	// replay of the same file draws the same numbers.
	Seed uint64
}

// Defaults for Options.
const (
	DefaultBudget      = 200 * time.Millisecond
	DefaultMaxFailures = 5
	DefaultMemory      = 64 << 20
)

func (o Options) withDefaults() Options {
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	if o.MaxFailures <= 0 {
		o.MaxFailures = DefaultMaxFailures
	}
	if o.Memory == 0 {
		o.Memory = DefaultMemory
	}
	if o.CallMemory <= 0 || o.Memory < 0 {
		o.CallMemory = 4 * max(o.Memory, 0)
	}
	return o
}

// errNoHost is what ctx functions report in a strategy built without a host.
var errNoHost = errors.New("no host: this strategy was built only to read its declarations")

// noHost stands in for a nil Host: operations fail with errNoHost and
// queries return nothing, so no ctx function can panic.
type noHost struct{}

func (noHost) Now() time.Time                                             { return time.Time{} }
func (noHost) Submit(OrderRequest) (int64, error)                         { return 0, errNoHost }
func (noHost) Cancel(int64) error                                         { return errNoHost }
func (noHost) Position(sym market.Symbol) market.Position                 { return market.Position{Symbol: sym} }
func (noHost) Cash() int64                                                { return 0 }
func (noHost) Equity() int64                                              { return 0 }
func (noHost) OpenOrders(dst []market.Order) []market.Order               { return dst }
func (noHost) LastPrice(market.Symbol) (int64, bool)                      { return 0, false }
func (noHost) Bars(_ market.Symbol, _ int, dst []market.Bar) []market.Bar { return dst }
func (noHost) Indicator(_ market.Symbol, _ string, _ []float64, out []float64) ([]float64, bool, error) {
	return out, false, errNoHost
}
