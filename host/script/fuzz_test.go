package script

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// fuzzTargets are the Go functions a script can call: ctx's, ctx.log's,
// and the sandbox replacements.
func fuzzTargets(s *Strategy) []*lua.LFunction {
	var fns []*lua.LFunction
	collect := func(t *lua.LTable) {
		for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
			if fn, ok := v.(*lua.LFunction); ok {
				fns = append(fns, fn)
			}
		}
	}
	collect(s.ctx)
	collect(s.ctx.RawGetString("log").(*lua.LTable))
	for _, path := range [][2]string{{"_G", "print"}, {"_G", "require"}, {"math", "random"}, {"string", "rep"},
		{"string", "find"}, {"string", "format"}, {"string", "gsub"}, {"table", "concat"}} {
		fns = append(fns, s.L.GetGlobal(path[0]).(*lua.LTable).RawGetString(path[1]).(*lua.LFunction))
	}
	return fns
}

// fuzzArgs decodes bytes into Lua values: every type a script can pass,
// including NaN, infinities, huge numbers, symbols and tables.
func fuzzArgs(L *lua.LState, s *Strategy, data []byte) []lua.LValue {
	var args []lua.LValue
	for len(data) > 0 && len(args) < 10 {
		kind := data[0] % 12
		data = data[1:]
		switch kind {
		case 0:
			args = append(args, lua.LNil)
		case 1:
			args = append(args, lua.LTrue)
		case 2:
			args = append(args, lua.LFalse)
		case 3:
			if len(data) >= 8 {
				args = append(args, lua.LNumber(math.Float64frombits(binary.LittleEndian.Uint64(data))))
				data = data[8:]
			}
		case 4:
			if len(data) >= 1 {
				args = append(args, lua.LNumber(int8(data[0])))
				data = data[1:]
			}
		case 5:
			if len(data) >= 1 {
				n := min(int(data[0]), len(data)-1)
				args = append(args, lua.LString(data[1:1+n]))
				data = data[1+n:]
			}
		case 6:
			args = append(args, lua.LString("005930"))
		case 7:
			args = append(args, L.NewTable())
		case 8:
			t := L.NewTable()
			t.RawSetString("k", lua.LString("v"))
			t.RawSetInt(1, lua.LNumber(1))
			args = append(args, t)
		case 9:
			args = append(args, s.hooks[HookTick])
		case 10:
			args = append(args, lua.LNumber(1e300))
		case 11:
			args = append(args, s.ctx)
		}
	}
	return args
}

// FuzzCtxArgs calls every Go function a script can reach with arbitrary
// arguments. Misuse must come back as a Lua error; a Go panic inside a
// binding (which PCall turns into ApiErrorPanic) fails the test.
func FuzzCtxArgs(f *testing.F) {
	seeds := [][]byte{
		{},
		{6, 4, 10},                           // ("005930", 10)
		{6, 4, 10, 4, 100},                   // ("005930", 10, 100)
		{6, 3, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f}, // ("005930", NaN)
		{5, 3, 's', 'm', 'a', 6, 4, 5},       // ("sma", "005930", 5)
		{5, 4, 'i', 'n', 'f', 'o', 8},        // ("info", {k="v",1})
		{10, 10, 10},
		{11, 11},
		{9, 0, 9},
	}
	for i, s := range seeds {
		for fn := 0; fn < 40; fn += 7 {
			f.Add(uint8(fn+i), s)
		}
	}
	h := newFakeHost()
	h.indOut = []float64{1, math.NaN(), 3}
	s := start(f, "hooks.lua", h, Options{ModuleDir: "testdata/modules"})
	targets := fuzzTargets(s)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		L := s.L
		fn := targets[int(which)%len(targets)]
		top := L.GetTop()
		err := L.CallByParam(lua.P{Fn: fn, NRet: lua.MultRet, Protect: true}, fuzzArgs(L, s, data)...)
		L.SetTop(top)
		var api *lua.ApiError
		if errors.As(err, &api) && api.Type == lua.ApiErrorPanic {
			t.Fatalf("Go panic in a binding: %v", err)
		}
	})
}

// FuzzCompile: any bytes either compile or give a syntax *Error; the
// parser never takes the host down.
func FuzzCompile(f *testing.F) {
	for _, name := range []string{"hooks.lua", "failing.lua", "syntax_error.lua", "probe.lua", "bench.lua"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Compile("fuzz.lua", src)
		var e *Error
		switch {
		case err == nil && p == nil:
			t.Fatal("no program and no error")
		case err != nil && (!errors.As(err, &e) || e.Kind != KindSyntax || e.File != "fuzz.lua"):
			t.Fatalf("err = %#v, want a syntax *Error", err)
		}
	})
}
