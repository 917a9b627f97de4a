package script

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/qbtrading/qb/lib/market"
	lua "github.com/yuin/gopher-lua"
)

// validName is what a strategy may call itself: it names its paper account,
// its saved state and its log lines.
var validName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

const maxSymbols = 200

// checkContract reads the table a script returned: name, symbols,
// timeframe, params (optional) and hooks. A function-valued key that is not
// a hook is an error, so a typo such as on_tik cannot disable a hook
// silently; other keys are the script's own.
func checkContract(file string, lines declLines, t *lua.LTable, overrides map[string]string) (Meta, [numHooks]*lua.LFunction, *Error) {
	var meta Meta
	var hooks [numHooks]*lua.LFunction
	name, ok := t.RawGetString("name").(lua.LString)
	if !ok || !validName.MatchString(string(name)) {
		return meta, hooks, contractError(file, lines.fields["name"], "name: want a string of 1 to 64 letters, digits, '_', '-' or '.', have %s", describe(t.RawGetString("name")))
	}
	meta.Name = string(name)
	syms, err := checkSymbols(file, lines, t.RawGetString("symbols"))
	if err != nil {
		return meta, hooks, err
	}
	meta.Symbols = syms
	tfv, ok := t.RawGetString("timeframe").(lua.LString)
	tf, perr := market.ParseTimeframe(string(tfv))
	if !ok || perr != nil {
		return meta, hooks, contractError(file, lines.fields["timeframe"], "timeframe: want one of 1s, 1m, 3m, 5m, 10m, 15m, 30m, 1h, 1d, have %s", describe(t.RawGetString("timeframe")))
	}
	meta.Timeframe = tf
	if meta.Params, err = checkParams(file, lines, t.RawGetString("params"), overrides); err != nil {
		return meta, hooks, err
	}
	hooks, err = checkHooks(file, t)
	return meta, hooks, err
}

func checkSymbols(file string, lines declLines, v lua.LValue) ([]market.Symbol, *Error) {
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, contractError(file, lines.fields["symbols"], "symbols: want a list of KRX codes such as { \"005930\" }, have %s", describe(v))
	}
	n := t.Len()
	if n == 0 || n > maxSymbols {
		return nil, contractError(file, lines.fields["symbols"], "symbols: want 1 to %d codes, have %d", maxSymbols, n)
	}
	out := make([]market.Symbol, 0, n)
	for i := 1; i <= n; i++ {
		s, ok := t.RawGetInt(i).(lua.LString)
		if !ok {
			return nil, contractError(file, lines.symbol(i), "symbols[%d]: want a string, have %s", i, describe(t.RawGetInt(i)))
		}
		sym, err := market.ParseSymbol(string(s))
		if err != nil {
			return nil, contractError(file, lines.symbol(i), "symbols[%d]: %v", i, err)
		}
		if slices.Contains(out, sym) {
			return nil, contractError(file, lines.symbol(i), "symbols[%d]: %s is listed twice", i, sym)
		}
		out = append(out, sym)
	}
	return out, nil
}

// checkHooks binds the hook functions and rejects unknown function keys,
// reporting the line where the stray function is defined.
func checkHooks(file string, t *lua.LTable) ([numHooks]*lua.LFunction, *Error) {
	var hooks [numHooks]*lua.LFunction
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		key, isStr := k.(lua.LString)
		h := slices.Index(hookNames[:], string(key))
		fn, isFn := v.(*lua.LFunction)
		switch {
		case isStr && h >= 0 && !isFn:
			return hooks, contractError(file, 0, "%s: want a function, have %s", key, describe(v))
		case h >= 0 && isStr:
			hooks[h] = fn
		case isFn:
			return hooks, contractError(file, fnLine(fn), "unknown hook %s%s (hooks are %s)",
				describe(k), suggest(string(key)), strings.Join(hookNames[:], ", "))
		}
	}
	return hooks, nil
}

// fnLine is where a Lua function is defined; 0 for Go functions.
func fnLine(fn *lua.LFunction) int {
	if fn.Proto == nil {
		return 0
	}
	return fn.Proto.LineDefined
}

// suggest names the hook closest to a misspelt key.
func suggest(key string) string {
	best, dist := "", 3
	for _, h := range hookNames {
		if d := editDistance(key, h); d < dist {
			best, dist = h, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(", did you mean %s?", best)
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// describe renders a Lua value for an error message.
func describe(v lua.LValue) string {
	switch v := v.(type) {
	case lua.LString:
		if len(v) > 40 {
			return fmt.Sprintf("%q… (%d bytes)", string(v[:40]), len(v))
		}
		return fmt.Sprintf("%q", string(v))
	case lua.LNumber:
		return v.String()
	case *lua.LNilType:
		return "nil"
	}
	return "a " + v.Type().String()
}
