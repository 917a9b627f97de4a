package script

import (
	"fmt"
	"math"

	"github.com/qbtrading/qb/lib/market"
	lua "github.com/yuin/gopher-lua"
)

// Ranges for numbers that come back from Lua. Lua numbers are float64,
// exact for whole numbers up to 2^53.
const (
	maxQty      = 1_000_000_000
	maxPrice    = 10_000_000_000
	maxOrderID  = 1 << 53
	maxBars     = 10_000
	maxIndParam = 10_000
	maxIndArgs  = 8
)

// argSymbol reads argument n as one of the strategy's declared symbols.
func (s *Strategy) argSymbol(L *lua.LState, n int) market.Symbol {
	v, ok := L.Get(n).(lua.LString)
	if !ok {
		L.ArgError(n, "symbol: want a string such as \"005930\", have "+describe(L.Get(n)))
	}
	for _, sym := range s.meta.Symbols {
		if string(sym) == string(v) {
			return sym
		}
	}
	L.ArgError(n, fmt.Sprintf("symbol %s is not in this strategy's symbols", describe(v)))
	return ""
}

// argWhole reads argument n as a whole number in [lo, hi].
func argWhole(L *lua.LState, n int, name string, lo, hi int64) int64 {
	v, ok := L.Get(n).(lua.LNumber)
	f := float64(v)
	if !ok || math.IsNaN(f) || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		L.ArgError(n, fmt.Sprintf("%s: want a whole number in %d..%d, have %s", name, lo, hi, describe(L.Get(n))))
	}
	return int64(f)
}

// argFinite reads argument n as a finite number in [lo, hi].
func argFinite(L *lua.LState, n int, name string, lo, hi float64) float64 {
	v, ok := L.Get(n).(lua.LNumber)
	f := float64(v)
	if !ok || math.IsNaN(f) || f < lo || f > hi {
		L.ArgError(n, fmt.Sprintf("%s: want a number in %g..%g, have %s", name, lo, hi, describe(L.Get(n))))
	}
	return f
}

// DefaultGTCSessions is the life of a GTC order whose options name no
// sessions: 20 trading sessions, about a month.
const DefaultGTCSessions = 20

// argLifetime reads argument n, an order's options table {tif = "day" |
// "gtc", sessions = n}, as the order's life in sessions. A day order
// lives one session; a GTC order sessions (DefaultGTCSessions when not
// given), at most market.MaxSessions.
func argLifetime(L *lua.LState, n int) int {
	opts, ok := L.Get(n).(*lua.LTable)
	if !ok {
		L.ArgError(n, "options: want a table such as {tif = \"gtc\", sessions = 5}, have "+describe(L.Get(n)))
	}
	tif := "day"
	switch v := opts.RawGetString("tif").(type) {
	case *lua.LNilType:
	case lua.LString:
		tif = string(v)
	default:
		L.ArgError(n, "options.tif: want \"day\" or \"gtc\", have "+describe(v))
	}
	sessions := opts.RawGetString("sessions")
	switch {
	case tif == "day" && sessions == lua.LNil:
		return 1
	case tif == "day":
		L.ArgError(n, "options.sessions: only a GTC order lives more than one session (add tif = \"gtc\")")
	case tif != "gtc":
		L.ArgError(n, fmt.Sprintf("options.tif: want \"day\" or \"gtc\", have %q", tif))
	case sessions == lua.LNil:
		return DefaultGTCSessions
	}
	v, ok := sessions.(lua.LNumber)
	f := float64(v)
	if !ok || f != math.Trunc(f) || f < 1 || f > market.MaxSessions {
		L.ArgError(n, fmt.Sprintf("options.sessions: want a whole number in 1..%d, have %s", market.MaxSessions, describe(sessions)))
	}
	return int(f)
}

// scratch holds buffers reused across ctx calls, so the per-tick ones
// (indicators) allocate nothing on the Go side.
type scratch struct {
	params []float64
	out    []float64
	orders []market.Order
	bars   []market.Bar
}
