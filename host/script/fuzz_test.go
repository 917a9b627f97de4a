package script

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/market"
	lua "github.com/yuin/gopher-lua"
)

// fuzzTargets are the Go functions a script can call: every one in the
// sandbox's globals and libraries (base, string, table, math, our
// replacements), ctx's and ctx.log's, in a fixed order so a corpus entry
// names the same function on every run.
func fuzzTargets(s *Strategy) []*lua.LFunction {
	type named struct {
		name string
		fn   *lua.LFunction
	}
	var all []named
	collect := func(prefix string, t *lua.LTable) {
		t.ForEach(func(k, v lua.LValue) {
			if fn, ok := v.(*lua.LFunction); ok && fn.IsG {
				all = append(all, named{prefix + lua.LVAsString(k), fn})
			}
		})
	}
	collect("", s.L.G.Global)
	for _, lib := range []string{"string", "table", "math"} {
		collect(lib+".", s.L.GetGlobal(lib).(*lua.LTable))
	}
	collect("ctx.", s.ctx)
	collect("ctx.log.", s.ctx.RawGetString("log").(*lua.LTable))
	slices.SortFunc(all, func(a, b named) int { return strings.Compare(a.name, b.name) })
	fns := make([]*lua.LFunction, len(all))
	for i, n := range all {
		fns[i] = n.fn
	}
	return fns
}

// fuzzArgs decodes bytes into Lua values: every type a script can pass,
// including NaN, infinities, huge numbers, symbols and tables.
func fuzzArgs(L *lua.LState, s *Strategy, data []byte) []lua.LValue {
	var args []lua.LValue
	for len(data) > 0 && len(args) < 10 {
		kind := data[0] % 18
		if data[0] >= 252 { // bytes past the old 18 kinds' range: corpus entries keep their meaning
			kind = 18
		}
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
		case 12:
			args = append(args, lua.LString(strings.Repeat("x", 1<<20)))
		case 13:
			args = append(args, lua.LNumber(math.Inf(1)), lua.LNumber(math.Inf(-1)))
		case 14:
			args = append(args, lua.LNumber(1<<53), lua.LNumber(-(1 << 62)), lua.LNumber(2.5))
		case 15: // a table whose metamethods all fail
			t, mt := L.NewTable(), L.NewTable()
			boom := L.NewFunction(func(L *lua.LState) int { L.RaiseError("metamethod"); return 0 })
			for _, m := range []string{"__index", "__newindex", "__tostring", "__len", "__eq", "__lt", "__le", "__concat", "__call"} {
				mt.RawSetString(m, boom)
			}
			L.SetMetatable(t, mt)
			args = append(args, t)
		case 16: // a list long enough to matter
			t := L.CreateTable(5000, 0)
			for i := 1; i <= 5000; i++ {
				t.RawSetInt(i, lua.LNumber(5000-i))
			}
			args = append(args, t)
		case 17: // a table that holds itself
			t := L.NewTable()
			t.RawSetString("self", t)
			t.RawSetInt(1, t)
			args = append(args, t)
		case 18: // order options: {tif = ..., sessions = ...}
			t := L.NewTable()
			if len(data) >= 2 {
				tifs := []lua.LValue{lua.LNil, lua.LString("day"), lua.LString("gtc"), lua.LString("GTC"), lua.LString(""), lua.LNumber(1), lua.LTrue}
				if tif := tifs[int(data[0])%len(tifs)]; tif != lua.LNil {
					t.RawSetString("tif", tif)
				}
				sessions := []lua.LValue{lua.LNil, lua.LNumber(1), lua.LNumber(market.MaxSessions), lua.LNumber(market.MaxSessions + 1),
					lua.LNumber(0), lua.LNumber(2.5), lua.LNumber(math.NaN()), lua.LNumber(math.Inf(1)), lua.LString("5"),
					lua.LNumber(int8(data[1]))}
				if v := sessions[int(data[0]/8)%len(sessions)]; v != lua.LNil {
					t.RawSetString("sessions", v)
				}
				data = data[2:]
			}
			args = append(args, t)
		}
	}
	return args
}

// orderOracle is what ctx.buy or ctx.sell must do with args, by the
// documented rules: the request the host gets, or the name of the first
// bad argument and its position, in which case no order may reach the host.
func orderOracle(side market.Side, symbols []market.Symbol, args []lua.LValue) (req OrderRequest, bad string, pos int) {
	arg := func(i int) lua.LValue {
		if i < len(args) {
			return args[i]
		}
		return lua.LNil
	}
	whole := func(v lua.LValue, lo, hi float64) (int64, bool) {
		n, ok := v.(lua.LNumber)
		f := float64(n)
		return int64(f), ok && f == math.Trunc(f) && f >= lo && f <= hi // false for NaN
	}
	req = OrderRequest{Side: side, Type: market.MarketOrder}
	sym, _ := arg(0).(lua.LString)
	if i := slices.Index(symbols, market.Symbol(sym)); i < 0 || arg(0).Type() != lua.LTString {
		return req, "symbol", 1
	}
	req.Symbol = market.Symbol(sym)
	var ok bool
	if req.Qty, ok = whole(arg(1), 1, maxQty); !ok {
		return req, "qty", 2
	}
	if arg(2) != lua.LNil {
		if req.Price, ok = whole(arg(2), 0, maxPrice); !ok {
			return req, "limit_price", 3
		}
		if req.Price > 0 {
			req.Type = market.LimitOrder
		}
	}
	if arg(3) == lua.LNil {
		return req, "", 0
	}
	opts, ok := arg(3).(*lua.LTable)
	if !ok {
		return req, "options", 4
	}
	tif, sessions := opts.RawGetString("tif"), opts.RawGetString("sessions")
	switch {
	case tif == lua.LNil || tif == lua.LString("day"):
		if sessions != lua.LNil {
			return req, "options.sessions", 4 // only a GTC order lives longer
		}
		req.Sessions = 1
	case tif != lua.LString("gtc"):
		return req, "options.tif", 4
	case sessions == lua.LNil:
		req.Sessions = DefaultGTCSessions
	default:
		n, ok := whole(sessions, 1, market.MaxSessions)
		if !ok {
			return req, "options.sessions", 4
		}
		req.Sessions = int(n)
	}
	return req, "", 0
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
	for i, fn := range targets { // orders: every argument, options included
		if fn != s.ctx.RawGetString("buy") && fn != s.ctx.RawGetString("sell") {
			continue
		}
		for _, d := range [][]byte{
			{6, 4, 10},                                  // ("005930", 10): market, day
			{6, 4, 10, 4, 100},                          // limit 100
			{6, 4, 10, 4, 0},                            // price 0: market
			{6, 4, 10, 0, 252, 0, 0},                    // (…, nil, {})
			{6, 4, 10, 4, 100, 252, 72, 5},              // {tif="gtc", sessions=5}
			{6, 4, 10, 4, 100, 252, 8, 0},               // {tif="day", sessions=1}: refused
			{6, 4, 10, 4, 100, 252, 3, 0},               // {tif="GTC"}: refused
			{6, 4, 10, 4, 100, 252, 30, 0},              // {tif="gtc", sessions=61}: refused
			{6, 4, 10, 4, 100, 252, 2, 0},               // {tif="gtc"}: 20 sessions
			{6, 4, 10, 4, 100, 5, 1, 'x'},               // options "x"
			{6, 14},                                     // qty 2^53
			{5, 6, '9', '9', '9', '9', '9', '9', 4, 1},  // not the strategy's symbol
			{6, 4, 10, 3, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f}, // price NaN
		} {
			f.Add(uint8(i), d)
		}
	}
	sides := map[*lua.LFunction]market.Side{
		s.ctx.RawGetString("buy").(*lua.LFunction):  market.Buy,
		s.ctx.RawGetString("sell").(*lua.LFunction): market.Sell,
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		L := s.L
		fn := targets[int(which)%len(targets)]
		args := fuzzArgs(L, s, data)
		h.submitted = h.submitted[:0]
		top := L.GetTop()
		err := L.CallByParam(lua.P{Fn: fn, NRet: lua.MultRet, Protect: true}, args...)
		var ret []lua.LValue
		for i := top + 1; i <= L.GetTop(); i++ {
			ret = append(ret, L.Get(i))
		}
		L.SetTop(top)
		var api *lua.ApiError
		if errors.As(err, &api) && api.Type == lua.ApiErrorPanic {
			t.Fatalf("Go panic in a binding: %v", err)
		}
		side, isOrder := sides[fn]
		if !isOrder {
			return
		}
		want, bad, pos := orderOracle(side, s.meta.Symbols, args)
		if bad != "" {
			if err == nil {
				t.Fatalf("ctx.%s(%s) returned %v and sent %+v; want an error naming %s", side, describeArgs(args), ret, h.submitted, bad)
			}
			msg := err.Error()
			if !strings.Contains(msg, fmt.Sprintf("bad argument #%d", pos)) || !strings.Contains(msg, bad) ||
				(bad == "options" && strings.Contains(msg, "options.")) {
				t.Fatalf("ctx.%s(%s): error %q, want one about argument #%d, %s", side, describeArgs(args), msg, pos, bad)
			}
			if len(h.submitted) != 0 {
				t.Fatalf("ctx.%s(%s) raised %q yet the host got %+v", side, describeArgs(args), msg, h.submitted)
			}
			return
		}
		if err != nil {
			t.Fatalf("ctx.%s(%s): %v; want order %+v", side, describeArgs(args), err, want)
		}
		if len(h.submitted) != 1 || h.submitted[0] != want {
			t.Fatalf("ctx.%s(%s) sent %+v, want exactly %+v", side, describeArgs(args), h.submitted, want)
		}
		if len(ret) != 1 || ret[0] != lua.LNumber(h.nextID) {
			t.Fatalf("ctx.%s returned %v, want the host's order id %d", side, ret, h.nextID)
		}
	})
}

func describeArgs(args []lua.LValue) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = describe(a)
		if t, ok := a.(*lua.LTable); ok {
			parts[i] += fmt.Sprintf("{tif=%s, sessions=%s}", describe(t.RawGetString("tif")), describe(t.RawGetString("sessions")))
		}
	}
	return strings.Join(parts, ", ")
}

// FuzzState: whatever Lua value on_stop returns (tables nested, shared,
// cyclic, with functions, NaN or huge numbers), converting it to a State
// either fails with an error or gives plain data that converts back to
// Lua and again to the same State; it never panics.
func FuzzState(f *testing.F) {
	for _, seed := range [][]byte{{}, {1, 2, 3}, {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, {6, 0, 6, 1, 5, 2}, {8, 9, 10, 11}} {
		f.Add(seed)
	}
	L := lua.NewState(stateOptions())
	defer L.Close()
	f.Fuzz(func(t *testing.T, data []byte) {
		big := 4 // wide, deep and long values per input: the generator must stay fast
		v := fuzzValue(L, &data, &big, 0)
		st, err := fromLua(v)
		if err != nil {
			return
		}
		back, err := toLua(L, st)
		if err != nil {
			t.Fatalf("a State from fromLua does not convert back: %v", err)
		}
		again, err := fromLua(back)
		if err != nil || !reflect.DeepEqual(st, again) {
			t.Fatalf("round trip: %#v, %v; want %#v", again, err, st)
		}
	})
}

// fuzzValue decodes bytes into a Lua value tree: tables with string or
// number keys, shared and self-referencing tables, and non-data values.
func fuzzValue(L *lua.LState, data *[]byte, big *int, depth int) lua.LValue {
	if len(*data) == 0 || depth > 24 {
		return lua.LNil
	}
	b := (*data)[0]
	*data = (*data)[1:]
	kind := b % 12
	if kind >= 9 {
		if *big <= 0 {
			return lua.LNumber(b)
		}
		*big--
	}
	switch kind {
	case 0:
		return lua.LNil
	case 1:
		return lua.LBool(b&16 != 0)
	case 2:
		return lua.LNumber(float64(int8(b)) / 4)
	case 3:
		return lua.LNumber([]float64{math.NaN(), math.Inf(1), 1e300, -0.0}[b/16%4])
	case 4:
		return lua.LString(strings.Repeat("k", int(b/16)))
	case 5:
		return L.NewFunction(func(*lua.LState) int { return 0 })
	case 6, 7, 8:
		t := L.NewTable()
		n := int(b / 16)
		for i := 0; i < n && len(*data) > 0; i++ {
			v := fuzzValue(L, data, big, depth+1)
			switch b % 12 {
			case 6:
				t.RawSetInt(i+1, v)
			case 7:
				t.RawSetString(strings.Repeat("k", i+1), v)
			default:
				t.RawSet(lua.LNumber(i*3-2), v)
			}
		}
		if b&1 != 0 {
			t.RawSetString("self", t) // a cycle
		}
		return t
	case 9:
		return lua.LString(strings.Repeat("s", 1<<16))
	case 10:
		t := L.NewTable() // wide
		for i := 1; i <= 3000; i++ {
			t.RawSetInt(i, lua.LNumber(i))
		}
		return t
	}
	t := L.NewTable() // deep
	cur := t
	for i := 0; i < int(b/8)+10; i++ {
		next := L.NewTable()
		cur.RawSetString("n", next)
		cur = next
	}
	return t
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
