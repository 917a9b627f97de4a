package script

import (
	"fmt"
	"math"

	"github.com/qbtrading/qb/lib/market"
	lua "github.com/yuin/gopher-lua"
)

// namedIndicators are the ctx shortcuts for lib/ta indicators and how many
// numeric parameters each takes (fewer uses lib/ta's defaults). Results come
// back in lib/ta's output order: macd → macd, signal, hist; bbands → upper,
// middle, lower; stoch → k, d.
var namedIndicators = [...]struct {
	name   string
	params int
}{
	{"sma", 1}, {"ema", 1}, {"wma", 1}, {"rsi", 1}, {"atr", 1}, {"stddev", 1},
	{"roc", 1}, {"highest", 1}, {"lowest", 1},
	{"macd", 3}, {"bbands", 2}, {"stoch", 3},
}

// indicatorFn is ctx.<name>(symbol, params...) → values... | nil.
func (s *Strategy) indicatorFn(name string, nparams int) lua.LGFunction {
	return func(L *lua.LState) int {
		sym := s.argSymbol(L, 1)
		return s.indicator(L, sym, name, 2, nparams)
	}
}

// luaIndicator is ctx.indicator(name, symbol, params...) for any lib/ta name.
func (s *Strategy) luaIndicator(L *lua.LState) int {
	v, ok := L.Get(1).(lua.LString)
	if !ok || !validIndicatorName(string(v)) {
		L.ArgError(1, "name: want a lib/ta indicator name such as \"sma\", have "+describe(L.Get(1)))
	}
	sym := s.argSymbol(L, 2)
	return s.indicator(L, sym, string(v), 3, maxIndArgs)
}

// indicator reads the parameters from argument first on, asks the host and
// pushes the outputs, or nil while the indicator is not ready. Both buffers
// are reused, so the Go side allocates nothing per call.
func (s *Strategy) indicator(L *lua.LState, sym market.Symbol, name string, first, nparams int) int {
	top := L.GetTop()
	if top-first+1 > nparams {
		L.ArgError(first+nparams, fmt.Sprintf("%s takes at most %d parameters", name, nparams))
	}
	params := s.scratch.params[:0]
	for i := first; i <= top; i++ {
		params = append(params, argFinite(L, i, "parameter", 0, maxIndParam))
	}
	s.scratch.params = params
	out, ready, err := s.host.Indicator(sym, name, params, s.scratch.out[:0])
	s.scratch.out = out[:0]
	if err != nil {
		L.RaiseError("ctx.%s: %v", name, err)
	}
	if !ready || len(out) == 0 {
		L.Push(lua.LNil)
		return 1
	}
	for _, v := range out {
		if math.IsNaN(v) { // an output still warming up
			L.Push(lua.LNil)
			continue
		}
		L.Push(lua.LNumber(v))
	}
	return len(out)
}

func validIndicatorName(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < 'a' || s[i] > 'z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}
