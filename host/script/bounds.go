package script

import (
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Bounds on single library calls. The time budget is checked between VM
// instructions, never inside one Go call, and the memory watch samples
// every few milliseconds, so every builtin a script can reach must finish
// quickly and allocate little whatever its arguments: these limits make
// each one a few milliseconds at most.
const (
	// maxStringBytes is the longest string a builtin builds or walks in
	// one call (string.format's result; upper, lower, reverse's input;
	// table.concat's result).
	maxStringBytes = 16 << 20
	// maxResults is how many values one call may return (unpack,
	// string.byte), as Lua 5.1's "too many results to unpack".
	maxResults = 8000
	// maxSortLen is the longest list table.sort sorts: one sort is one Go
	// call, uninterruptible with the default comparator.
	maxSortLen = 1 << 16
)

// boundLibraries replaces the builtins whose cost grows with their
// arguments by versions that refuse arguments past the bounds above.
func boundLibraries(L *lua.LState) {
	str := L.GetGlobal("string").(*lua.LTable)
	for _, name := range []string{"upper", "lower", "reverse"} {
		orig := str.RawGetString(name).(*lua.LFunction).GFunction
		str.RawSetString(name, L.NewFunction(boundInput("string."+name, orig)))
	}
	byteFn := str.RawGetString("byte").(*lua.LFunction).GFunction
	str.RawSetString("byte", L.NewFunction(func(L *lua.LState) int { return strByte(L, byteFn) }))
	L.SetGlobal("unpack", L.NewFunction(baseUnpack))
	tbl := L.GetGlobal("table").(*lua.LTable)
	sortFn := tbl.RawGetString("sort").(*lua.LFunction).GFunction
	tbl.RawSetString("sort", L.NewFunction(func(L *lua.LState) int { return tableSort(L, sortFn) }))
	tbl.RawSetString("concat", L.NewFunction(tableConcat))
}

// boundInput wraps a string function whose cost is linear in its first
// argument.
func boundInput(name string, fn lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		if s := L.CheckString(1); len(s) > maxStringBytes {
			L.RaiseError("%s: string of %d bytes is longer than the sandbox's %d", name, len(s), maxStringBytes)
		}
		return fn(L)
	}
}

// optIndex reads argument n as an integer index, def when absent. Lua
// numbers are floats; values outside ±2^53 saturate instead of
// overflowing Go's int conversion.
func optIndex(L *lua.LState, n int, def int64) int64 {
	v := L.Get(n)
	if v == lua.LNil {
		return def
	}
	f := float64(L.CheckNumber(n))
	switch {
	case math.IsNaN(f):
		L.ArgError(n, "number expected, got nan")
	case f > 1<<53:
		return 1 << 53
	case f < -(1 << 53):
		return -(1 << 53)
	}
	return int64(f)
}

// strByte is string.byte returning at most maxResults values.
func strByte(L *lua.LState, orig lua.LGFunction) int {
	s := L.CheckString(1)
	i := optIndex(L, 2, 1)
	j := optIndex(L, 3, i)
	n := int64(len(s))
	if i < 0 {
		i += n + 1
	}
	if j < 0 {
		j += n + 1
	}
	i, j = max(i, 1), min(j, n)
	if j-i+1 > maxResults {
		L.RaiseError("string.byte: %d values is more than %d (string slice too long)", j-i+1, maxResults)
	}
	return orig(L)
}

// baseUnpack is unpack(t [, i [, j]]) returning at most maxResults values;
// gopher-lua's pushes until the registry overflows.
func baseUnpack(L *lua.LState) int {
	t := L.CheckTable(1)
	i := optIndex(L, 2, 1)
	j := optIndex(L, 3, int64(t.Len()))
	if i > j {
		return 0
	}
	if j-i+1 > maxResults {
		L.RaiseError("unpack: %d values is more than %d (too many results to unpack)", j-i+1, maxResults)
	}
	for k := i; k <= j; k++ {
		L.Push(t.RawGetInt(int(k)))
	}
	return int(j - i + 1)
}

// tableSort is table.sort for lists of at most maxSortLen elements.
func tableSort(L *lua.LState, orig lua.LGFunction) int {
	if n := L.CheckTable(1).Len(); n > maxSortLen {
		L.RaiseError("table.sort: %d elements is more than the sandbox's %d", n, maxSortLen)
	}
	return orig(L)
}

// tableConcat is table.concat(t [, sep [, i [, j]]]) built in Go with its
// result capped at maxStringBytes; gopher-lua's pushes every element on
// the Lua stack, so it also fails on long lists.
func tableConcat(L *lua.LState) int {
	t := L.CheckTable(1)
	sep := L.OptString(2, "")
	i := optIndex(L, 3, 1)
	j := optIndex(L, 4, int64(t.Len()))
	size := 0
	for k := i; k <= j; k++ { // check and measure first, then build once
		v := t.RawGetInt(int(k))
		switch v := v.(type) {
		case lua.LString:
			size += len(v)
		case lua.LNumber:
			size += len(lua.LVAsString(v))
		default:
			L.RaiseError("table.concat: invalid value (%s) at index %d", v.Type(), k)
		}
		if k < j {
			size += len(sep)
		}
		if size > maxStringBytes {
			L.RaiseError("table.concat: result would exceed %d bytes", maxStringBytes)
		}
	}
	var b strings.Builder
	b.Grow(size)
	for k := i; k <= j; k++ {
		b.WriteString(lua.LVAsString(t.RawGetInt(int(k))))
		if k < j {
			b.WriteString(sep)
		}
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// formatArgs prepares string.format's arguments for Go's fmt, which
// gopher-lua hands them to: a table, function or other reference becomes
// its "table: 0x…" name first. Left as they are, a verb fmt finds invalid
// for them (%d, or a stray byte after %) makes fmt print the value's Go
// structure by reflection, every string it holds included: one call could
// print gigabytes.
func formatArgs(L *lua.LState) {
	for i := 2; i <= L.GetTop(); i++ {
		switch v := L.Get(i).(type) {
		case lua.LString, lua.LNumber, lua.LBool, *lua.LNilType:
		default:
			L.Replace(i, lua.LString(v.String()))
		}
	}
}

// formatSize bounds string.format's result from its arguments: the format
// itself, each string argument four times over (%q escapes a byte to
// four) and at most a few hundred bytes for any other directive (widths
// and precisions have at most two digits).
func formatSize(L *lua.LState) int {
	size := len(L.CheckString(1))
	for i := 2; i <= L.GetTop(); i++ {
		if s, ok := L.Get(i).(lua.LString); ok {
			size += 4*len(s) + 100
		} else {
			size += 512
		}
	}
	return size
}
