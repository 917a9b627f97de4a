package script

import (
	lua "github.com/yuin/gopher-lua"
)

// stateOptions size each LState (LUA.md recommendation 2): a shallower call
// stack and a smaller registry than gopher-lua's defaults, with bounded
// growth, so deep recursion and unpack bombs fail with a catchable error.
// The registry grows in steps of 1024 slots up to 32 Ki slots (512 KiB):
// every step copies it, and with LUA.md's 256-slot steps to 64 Ki slots a
// single unpack(t, 1, 1e7), one Go call the budget cannot interrupt, took
// 1.9 s to fail; with these sizes it takes about 20 ms.
func stateOptions() lua.Options {
	return lua.Options{
		SkipOpenLibs:     true,
		CallStackSize:    120,
		RegistrySize:     1024,
		RegistryMaxSize:  32 * 1024,
		RegistryGrowStep: 1024,
	}
}

// removedGlobals are nil in every strategy state: they reach the file
// system (dofile, loadfile, module), compile code at run time outside the
// review and reload path (load, loadstring), escape an environment
// (getfenv, setfenv), act on the whole Go process (collectgarbage), bypass
// metatables (raw*), or print host internals (_printregs, newproxy).
var removedGlobals = []string{
	"load", "loadstring", "dofile", "loadfile", "getfenv", "setfenv",
	"collectgarbage", "rawget", "rawset", "rawequal", "rawlen", "module",
	"_printregs", "newproxy",
}

// removedFields are library functions set to nil: string.dump cannot work
// in gopher-lua, and math.randomseed seeds Go's process-wide generator (a
// no-op since Go 1.24), which would make replays differ.
var removedFields = [][2]string{{"string", "dump"}, {"math", "randomseed"}}

// newSandbox returns an LState with only base, table, string and math,
// without the removed functions, with capped string builders, and with the
// strategy's own print, require and math.random.
func (s *Strategy) newSandbox() *lua.LState {
	L := lua.NewState(stateOptions())
	for _, open := range []lua.LGFunction{lua.OpenBase, lua.OpenTable, lua.OpenString, lua.OpenMath} {
		L.Push(L.NewFunction(open))
		L.Call(0, 0)
	}
	for _, name := range removedGlobals {
		L.SetGlobal(name, lua.LNil)
	}
	for _, f := range removedFields {
		L.GetGlobal(f[0]).(*lua.LTable).RawSetString(f[1], lua.LNil)
	}
	L.SetGlobal("print", L.NewFunction(s.luaPrint))
	L.SetGlobal("require", L.NewFunction(s.luaRequire))
	L.GetGlobal("math").(*lua.LTable).RawSetString("random", L.NewFunction(s.luaRandom))
	hardenStrings(L)
	return L
}
