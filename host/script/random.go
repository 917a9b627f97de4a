package script

import (
	lua "github.com/yuin/gopher-lua"
)

const maxRandomBound = 1 << 53

// luaRandom is math.random from the strategy's own seeded generator, with
// Lua 5.1's forms: random() in [0,1), random(m) in [1,m], random(m,n) in
// [m,n].
func (s *Strategy) luaRandom(L *lua.LState) int {
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(s.rng.Float64()))
		return 1
	case 1:
		m := argWhole(L, 1, "m", 1, maxRandomBound)
		L.Push(lua.LNumber(1 + s.rng.Int64N(m)))
		return 1
	case 2:
		m := argWhole(L, 1, "m", -maxRandomBound, maxRandomBound)
		n := argWhole(L, 2, "n", m, maxRandomBound)
		L.Push(lua.LNumber(m + s.rng.Int64N(n-m+1)))
		return 1
	}
	L.RaiseError("math.random: wrong number of arguments")
	return 0
}
