package script

import (
	"math"
	"slices"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

const maxParams = 100

// checkParams reads the script's params table (absent means none) and
// applies overrides, each parsed as its default's type.
func checkParams(file string, lines declLines, v lua.LValue, overrides map[string]string) ([]Param, *Error) {
	var out []Param
	switch t := v.(type) {
	case *lua.LNilType:
	case *lua.LTable:
		for k, val := t.Next(lua.LNil); k != lua.LNil; k, val = t.Next(k) {
			name, ok := k.(lua.LString)
			if !ok || name == "" {
				return nil, contractError(file, lines.fields["params"], "params: key %s: want a name", describe(k))
			}
			p, msg := newParam(string(name), val)
			if msg != "" {
				return nil, contractError(file, lines.param(string(name)), "params.%s: %s", name, msg)
			}
			out = append(out, p)
		}
	default:
		return nil, contractError(file, lines.fields["params"], "params: want a table such as { fast = 5 }, have %s", describe(v))
	}
	if len(out) > maxParams {
		return nil, contractError(file, lines.fields["params"], "params: %d entries, at most %d", len(out), maxParams)
	}
	slices.SortFunc(out, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
	return applyOverrides(file, out, overrides)
}

func newParam(name string, v lua.LValue) (Param, string) {
	switch v := v.(type) {
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return Param{}, "want a finite number"
		}
		return Param{Name: name, Type: "number", Default: f, Value: f}, ""
	case lua.LBool:
		return Param{Name: name, Type: "boolean", Default: bool(v), Value: bool(v)}, ""
	case lua.LString:
		return Param{Name: name, Type: "string", Default: string(v), Value: string(v)}, ""
	}
	return Param{}, "want a number, boolean or string, have " + describe(v)
}

// applyOverrides sets Value from the --param strings. Names are visited in
// sorted order so the first error is always the same one.
func applyOverrides(file string, ps []Param, overrides map[string]string) ([]Param, *Error) {
	names := make([]string, 0, len(overrides))
	for k := range overrides {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		i := slices.IndexFunc(ps, func(p Param) bool { return p.Name == name })
		if i < 0 {
			return nil, contractError(file, 0, "param %s: not declared by the script (it declares: %s)", name, paramNames(ps))
		}
		v, err := parseParam(ps[i].Type, overrides[name])
		if err != "" {
			return nil, contractError(file, 0, "param %s=%q: %s", name, overrides[name], err)
		}
		ps[i].Value = v
	}
	return ps, nil
}

func parseParam(typ, s string) (any, string) {
	switch typ {
	case "number":
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, "want a finite number"
		}
		return f, ""
	case "boolean":
		switch s {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
		return nil, "want true or false"
	}
	return s, ""
}

func paramNames(ps []Param) string {
	if len(ps) == 0 {
		return "none"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// paramTable is ctx.params: the values after overrides.
func paramTable(L *lua.LState, ps []Param) *lua.LTable {
	t := L.CreateTable(0, len(ps))
	for _, p := range ps {
		switch v := p.Value.(type) {
		case float64:
			t.RawSetString(p.Name, lua.LNumber(v))
		case bool:
			t.RawSetString(p.Name, lua.LBool(v))
		case string:
			t.RawSetString(p.Name, lua.LString(v))
		}
	}
	return t
}
