package script

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// State is what on_stop hands to the next on_start: plain data only,
// nil | bool | float64 | string | []any | map[string]any, so it can be
// stored as JSON. A Lua table whose keys are exactly 1..n becomes []any,
// one with string keys map[string]any; an empty table is an empty map.
type State = any

// Bounds on a State, so a script cannot hand the host an unbounded value.
const (
	maxStateDepth   = 16
	maxStateEntries = 10000
	maxStateBytes   = 4 << 20 // string bytes, keys included: the state is written as JSON
)

// stateCopy walks a value once, counting entries and string bytes.
type stateCopy struct{ entries, bytes int }

// text counts n string bytes against maxStateBytes.
func (c *stateCopy) text(path string, n int) error {
	if c.bytes += n; c.bytes > maxStateBytes {
		return fmt.Errorf("%s: more than %d bytes of strings in the state", path, maxStateBytes)
	}
	return nil
}

// fromLua deep-copies v into a State.
func fromLua(v lua.LValue) (State, error) {
	var c stateCopy
	return c.from(v, "state", 0)
}

func (c *stateCopy) from(v lua.LValue, path string, depth int) (any, error) {
	switch v := v.(type) {
	case *lua.LNilType:
		return nil, nil
	case lua.LBool:
		return bool(v), nil
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s: %v cannot be saved (not a finite number)", path, f)
		}
		return f, nil
	case lua.LString:
		if err := c.text(path, len(v)); err != nil {
			return nil, err
		}
		return string(v), nil
	case *lua.LTable:
		if depth >= maxStateDepth {
			return nil, fmt.Errorf("%s: nested deeper than %d tables (a cycle?)", path, maxStateDepth)
		}
		return c.table(v, path, depth+1)
	}
	return nil, fmt.Errorf("%s: a %s cannot be saved, only nil, booleans, numbers, strings and tables", path, v.Type())
}

// table copies a sequence into []any and a string-keyed table into
// map[string]any; anything else is an error naming the key.
func (c *stateCopy) table(t *lua.LTable, path string, depth int) (any, error) {
	var keys []lua.LValue
	var vals []lua.LValue
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		if c.entries++; c.entries > maxStateEntries {
			return nil, fmt.Errorf("%s: more than %d entries in the state", path, maxStateEntries)
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	if isSequence(keys) {
		out := make([]any, len(keys))
		for i, k := range keys {
			idx := int(k.(lua.LNumber))
			x, err := c.from(vals[i], path+"["+strconv.Itoa(idx)+"]", depth)
			if err != nil {
				return nil, err
			}
			out[idx-1] = x
		}
		return out, nil
	}
	out := make(map[string]any, len(keys))
	for i, k := range keys {
		ks, ok := k.(lua.LString)
		if !ok {
			return nil, fmt.Errorf("%s: key %s: a table is saved either as a list (keys 1..n) or with string keys", path, describe(k))
		}
		if err := c.text(path, len(ks)); err != nil {
			return nil, err
		}
		x, err := c.from(vals[i], path+"."+string(ks), depth)
		if err != nil {
			return nil, err
		}
		out[string(ks)] = x
	}
	return out, nil
}

// isSequence reports whether keys are exactly the integers 1..len(keys).
func isSequence(keys []lua.LValue) bool {
	if len(keys) == 0 {
		return false
	}
	seen := make([]bool, len(keys))
	for _, k := range keys {
		n, ok := k.(lua.LNumber)
		if !ok || n != lua.LNumber(int(n)) || int(n) < 1 || int(n) > len(keys) || seen[int(n)-1] {
			return false
		}
		seen[int(n)-1] = true
	}
	return true
}

// toLua converts a State into Lua values in L. Map keys are inserted in
// sorted order, so pairs() visits them the same way on every run.
func toLua(L *lua.LState, st State) (lua.LValue, error) {
	var c stateCopy
	return c.to(L, st, "state", 0)
}

func (c *stateCopy) to(L *lua.LState, v any, path string, depth int) (lua.LValue, error) {
	if c.entries++; c.entries > maxStateEntries {
		return nil, fmt.Errorf("%s: more than %d entries in the state", path, maxStateEntries)
	}
	switch v := v.(type) {
	case nil:
		return lua.LNil, nil
	case bool:
		return lua.LBool(v), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %v is not a finite number", path, v)
		}
		return lua.LNumber(v), nil
	case int:
		return lua.LNumber(v), nil
	case int64:
		return lua.LNumber(v), nil
	case string:
		if err := c.text(path, len(v)); err != nil {
			return nil, err
		}
		return lua.LString(v), nil
	case []any:
		if depth >= maxStateDepth {
			return nil, fmt.Errorf("%s: nested deeper than %d levels", path, maxStateDepth)
		}
		t := L.CreateTable(len(v), 0)
		for i, x := range v {
			lv, err := c.to(L, x, path+"["+strconv.Itoa(i+1)+"]", depth+1)
			if err != nil {
				return nil, err
			}
			t.RawSetInt(i+1, lv)
		}
		return t, nil
	case map[string]any:
		if depth >= maxStateDepth {
			return nil, fmt.Errorf("%s: nested deeper than %d levels", path, maxStateDepth)
		}
		t := L.CreateTable(0, len(v))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if err := c.text(path, len(k)); err != nil {
				return nil, err
			}
			lv, err := c.to(L, v[k], path+"."+k, depth+1)
			if err != nil {
				return nil, err
			}
			t.RawSetString(k, lv)
		}
		return t, nil
	}
	return nil, fmt.Errorf("%s: %T is not state data (nil, bool, float64, string, []any, map[string]any)", path, v)
}

// TakeCheckpoint returns the state the script last passed to ctx.save,
// and whether it saved since the previous call. The state is a deep copy
// the caller may keep; it outlives a rebuild of the Lua state.
func (s *Strategy) TakeCheckpoint() (State, bool) {
	ok := s.checkpointNew
	s.checkpointNew = false
	return s.checkpoint, ok
}
