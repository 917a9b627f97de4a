package script

import (
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Caps on library calls that build one big value inside a single Go call,
// which the time budget cannot interrupt; a size the OS cannot back is a
// fatal out-of-memory error that kills the host (LUA.md, string.rep).
const (
	maxRepBytes = 1 << 20 // string.rep
	luaSpecials = "^$*+?.([%-"
)

// hardenStrings replaces the string and table functions that can stall or
// exhaust the host within one Go call.
func hardenStrings(L *lua.LState) {
	str := L.GetGlobal("string").(*lua.LTable)
	format := str.RawGetString("format").(*lua.LFunction).GFunction
	str.RawSetString("rep", L.NewFunction(strRep))
	str.RawSetString("find", L.NewFunction(strFind))
	str.RawSetString("format", L.NewFunction(func(L *lua.LState) int { return strFormat(L, format) }))
	for _, name := range []string{"match", "gmatch", "gfind", "gsub"} {
		str.RawSetString(name, L.NewFunction(patternsDisabled(name)))
	}
	boundLibraries(L)
}

// strRep is string.rep with its result capped at maxRepBytes.
func strRep(L *lua.LState) int {
	s := L.CheckString(1)
	n := L.CheckInt(2)
	if n <= 0 || s == "" {
		L.Push(lua.LString(""))
		return 1
	}
	if n > maxRepBytes/len(s) {
		L.RaiseError("string.rep: result would exceed %d bytes", maxRepBytes)
	}
	L.Push(lua.LString(strings.Repeat(s, n)))
	return 1
}

// strFind is string.find for plain text only: Lua patterns backtrack
// without bound, and one find can run for seconds. A pattern without magic
// characters is plain text anyway, so ("hello"):find("ll") still works.
func strFind(L *lua.LState) int {
	str := L.CheckString(1)
	pat := L.CheckString(2)
	if !L.ToBool(4) && strings.ContainsAny(pat, luaSpecials) {
		L.RaiseError("string.find: Lua patterns are disabled in the sandbox (they can run without bound); pass plain=true: string.find(s, p, 1, true)")
	}
	init := 1
	if v, ok := L.Get(3).(lua.LNumber); ok {
		f := math.Max(-float64(len(str))-1, math.Min(float64(v), float64(len(str))+2))
		init = int(f)
	} else if L.Get(3) != lua.LNil {
		L.TypeError(3, lua.LTNumber)
	}
	if init < 0 {
		init += len(str) + 1
	}
	init = max(init, 1)
	if init > len(str)+1 {
		L.Push(lua.LNil)
		return 1
	}
	pos := strings.Index(str[init-1:], pat)
	if pos < 0 {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LNumber(init + pos))
	L.Push(lua.LNumber(init + pos + len(pat) - 1))
	return 2
}

func patternsDisabled(name string) lua.LGFunction {
	return func(L *lua.LState) int {
		L.RaiseError("string.%s: Lua patterns are disabled in the sandbox (they can run without bound); use string.find(s, p, 1, true) and string.sub", name)
		return 0
	}
}

// strFormat is string.format with widths and precisions of at most two
// digits, as in Lua 5.1; gopher-lua hands the format to Go's fmt, which
// would pad to a million characters per directive.
func strFormat(L *lua.LState, format lua.LGFunction) int {
	f := L.CheckString(1)
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		for i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0 {
			i++
		}
		for _, part := range [2]bool{true, false} {
			if !part {
				if i >= len(f) || f[i] != '.' {
					break
				}
				i++
			}
			digits := 0
			for i < len(f) && f[i] >= '0' && f[i] <= '9' {
				i++
				digits++
			}
			if digits > 2 {
				L.RaiseError("string.format: invalid format (width or precision too long)")
			}
		}
	}
	formatArgs(L)
	if n := formatSize(L); n > maxStringBytes {
		L.RaiseError("string.format: result of up to %d bytes would exceed %d", n, maxStringBytes)
	}
	return format(L)
}
