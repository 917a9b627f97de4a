package script

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// Estimated sizes, in bytes, of what a strategy's state holds: close to
// what gopher-lua allocates for each, so the estimate is of the right
// order, not exact.
const (
	sizeTable    = 96 // an LTable with its maps' headers
	sizeEntry    = 40 // one live entry, when the table's storage cannot be read
	sizeSlot     = 16 // one slot of a table's array part or keys slice
	sizeMapEntry = 48 // one entry of one of a table's Go maps
	sizeFunction = 64 // an LFunction and its upvalue slice
	sizeString   = 16 // a string header
	bigString    = 4096
)

// sizer estimates the memory a strategy's state retains: a walk of the
// values reachable from its globals, hooks and loaded modules, counting
// tables (their storage, see footprint), functions and string bytes. It stops as soon as the
// estimate passes limit, so a walk costs at most about limit/sizeEntry
// steps, and it keeps its own stack: a deeply nested table cannot
// overflow the Go stack.
type sizer struct {
	limit   int64
	bytes   int64
	tables  map[*lua.LTable]struct{}
	funcs   map[*lua.LFunction]struct{}
	strings map[*byte]struct{} // long strings counted once
	stack   []lua.LValue
}

func newSizer(limit int64) *sizer {
	return &sizer{limit: limit, tables: map[*lua.LTable]struct{}{}, funcs: map[*lua.LFunction]struct{}{},
		strings: map[*byte]struct{}{}}
}

// reset readies z for a new walk, keeping its maps' storage: a strategy
// walks its state again and again, about as large each time.
func (z *sizer) reset(limit int64) {
	z.limit, z.bytes = limit, 0
	clear(z.tables)
	clear(z.funcs)
	clear(z.strings)
	clear(z.stack[:cap(z.stack)]) // drop references to the last walk's values
	z.stack = z.stack[:0]
}

// over reports whether the estimate has passed the limit.
func (z *sizer) over() bool { return z.bytes > z.limit }

// add counts v and everything reachable from it not counted yet, and
// returns how many bytes that added.
func (z *sizer) add(v lua.LValue) int64 {
	before := z.bytes
	z.stack = append(z.stack[:0], v)
	for len(z.stack) > 0 && !z.over() {
		v := z.stack[len(z.stack)-1]
		z.stack = z.stack[:len(z.stack)-1]
		z.visit(v)
	}
	return z.bytes - before
}

func (z *sizer) visit(v lua.LValue) {
	switch v := v.(type) {
	case lua.LString:
		z.str(string(v))
	case *lua.LTable:
		if _, ok := z.tables[v]; ok {
			return
		}
		z.tables[v] = struct{}{}
		z.bytes += sizeTable
		if v.Metatable != nil && v.Metatable != lua.LNil {
			z.stack = append(z.stack, v.Metatable)
		}
		size, keys := footprint(v)
		z.bytes += size
		for _, k := range keys { // every hash key it keeps, deleted ones too
			z.push(k)
		}
		v.ForEach(func(k, val lua.LValue) {
			if !ltable.ok {
				z.bytes += sizeEntry
				z.push(k)
			}
			z.push(val)
		})
	case *lua.LFunction:
		if _, ok := z.funcs[v]; ok {
			return
		}
		z.funcs[v] = struct{}{}
		z.bytes += sizeFunction
		if v.Env != nil {
			z.stack = append(z.stack, v.Env)
		}
		for _, uv := range v.Upvalues {
			if uv != nil {
				z.bytes += sizeString
				z.push(uv.Value())
			}
		}
	}
}

// push queues v if it can hold more than its slot.
func (z *sizer) push(v lua.LValue) {
	switch v := v.(type) {
	case lua.LString:
		z.str(string(v))
	case *lua.LTable, *lua.LFunction:
		z.stack = append(z.stack, v)
	}
}

// str counts a string's bytes; a long one shared by many slots (the same
// Go string) is counted once.
func (z *sizer) str(s string) {
	if len(s) >= bigString {
		p := unsafe.StringData(s)
		if _, ok := z.strings[p]; ok {
			return
		}
		z.strings[p] = struct{}{}
	}
	z.bytes += int64(len(s))
}

// retained estimates what the strategy's state holds, root by root, and
// returns the estimate and the root that holds the most ("global cache",
// "upvalue prices of on_bar"). It stops early once over limit.
func (s *Strategy) retained(limit int64) (int64, string) {
	if s.sizer == nil {
		s.sizer = newSizer(limit)
	}
	z := s.sizer
	z.reset(limit)
	defer z.reset(0) // hold nothing of the state between walks
	var top string
	var topBytes int64
	root := func(name string, v lua.LValue) {
		if z.over() {
			return
		}
		if n := z.add(v); n > topBytes {
			top, topBytes = name, n
		}
	}
	type named struct {
		name string
		v    lua.LValue
	}
	var globals []named
	z.tables[s.L.G.Global] = struct{}{} // the container, not a root: _G names it
	z.bytes += sizeTable
	s.L.G.Global.ForEach(func(k, v lua.LValue) { globals = append(globals, named{"global " + lua.LVAsString(k), v}) })
	// a deterministic attribution of shared values
	slices.SortFunc(globals, func(a, b named) int { return strings.Compare(a.name, b.name) })
	for _, g := range globals {
		root(g.name, g.v)
	}
	for h, fn := range s.hooks {
		if fn == nil {
			continue
		}
		for i, uv := range fn.Upvalues {
			name := fmt.Sprintf("upvalue %d of %s", i+1, Hook(h))
			if i < len(fn.Proto.DbgUpvalues) {
				name = fmt.Sprintf("upvalue %s of %s", fn.Proto.DbgUpvalues[i], Hook(h))
			}
			root(name, uv.Value())
		}
	}
	// what the host hands the script on every call: a script may keep
	// things in ctx or in the reused argument tables
	root("ctx", s.ctx)
	for _, a := range []struct {
		name string
		t    *lua.LTable
	}{{"the tick table", s.args.tick}, {"the bar table", s.args.bar}, {"the fill table", s.args.fill}, {"the order table", s.args.order}} {
		if a.t != nil {
			root(a.name, a.t)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.loaded)) {
		root("module "+name, s.loaded[name])
	}
	root("the string metatable", s.L.GetMetatable(lua.LString("")))
	return z.bytes, top
}

// checkRetained runs the estimate and returns a KindMemory error when the
// state holds more than the budget.
func (s *Strategy) checkRetained(hook string) *Error {
	n, top := s.retained(s.opt.Memory)
	if n <= s.opt.Memory {
		return nil
	}
	return &Error{File: s.prog.File, Hook: hook, Kind: KindMemory,
		Msg: fmt.Sprintf("retains more than its memory budget of %s (the most by %s)", mib(s.opt.Memory), top)}
}

// mib formats a byte count in MiB.
func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
