package script

import (
	"maps"
	"slices"

	"github.com/qbtrading/qb/lib/market"
	lua "github.com/yuin/gopher-lua"
)

// newCtx builds the ctx table once per LState: Go functions bound to the
// Host, ctx.params, ctx.name and ctx.log.
func (s *Strategy) newCtx() *lua.LTable {
	L := s.L
	ctx := L.CreateTable(0, 32)
	fns := map[string]lua.LGFunction{
		"buy":       s.orderFn(market.Buy),
		"sell":      s.orderFn(market.Sell),
		"cancel":    s.luaCancel,
		"position":  s.luaPosition,
		"cash":      func(L *lua.LState) int { L.Push(lua.LNumber(s.host.Cash())); return 1 },
		"equity":    func(L *lua.LState) int { L.Push(lua.LNumber(s.host.Equity())); return 1 },
		"orders":    s.luaOrders,
		"last":      s.luaLast,
		"bars":      s.luaBars,
		"now":       func(L *lua.LState) int { L.Push(lua.LNumber(unixSeconds(s.host.Now()))); return 1 },
		"indicator": s.luaIndicator,
		"save":      s.luaSave,
	}
	for _, ind := range namedIndicators {
		fns[ind.name] = s.indicatorFn(ind.name, ind.params)
	}
	for _, name := range slices.Sorted(maps.Keys(fns)) { // insertion order is pairs() order
		ctx.RawSetString(name, L.NewFunction(fns[name]))
	}
	ctx.RawSetString("name", lua.LString(s.meta.Name))
	ctx.RawSetString("params", paramTable(L, s.meta.Params))
	ctx.RawSetString("log", s.newLogTable())
	return ctx
}

// orderFn is ctx.buy or ctx.sell: (symbol, qty [, limit_price [,
// options]]) → order_id | nil, err. No price (or 0) is a market order;
// options is {tif = "day"|"gtc", sessions = n} (argLifetime).
func (s *Strategy) orderFn(side market.Side) lua.LGFunction {
	return func(L *lua.LState) int {
		req := OrderRequest{Symbol: s.argSymbol(L, 1), Side: side, Type: market.MarketOrder,
			Qty: argWhole(L, 2, "qty", 1, maxQty)}
		if L.Get(3) != lua.LNil {
			if req.Price = argWhole(L, 3, "limit_price", 0, maxPrice); req.Price > 0 {
				req.Type = market.LimitOrder
			}
		}
		if L.Get(4) != lua.LNil {
			req.Sessions = argLifetime(L, 4)
		}
		id, err := s.host.Submit(req)
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(err.Error()))
			return 2
		}
		L.Push(lua.LNumber(id))
		return 1
	}
}

// luaCancel is ctx.cancel(order_id) → true | nil, err.
func (s *Strategy) luaCancel(L *lua.LState) int {
	id := argWhole(L, 1, "order_id", 1, maxOrderID)
	if err := s.host.Cancel(id); err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	L.Push(lua.LTrue)
	return 1
}

// luaPosition is ctx.position(symbol) → {symbol, qty, avg_price, cost, realized}.
func (s *Strategy) luaPosition(L *lua.LState) int {
	sym := s.argSymbol(L, 1)
	p := s.host.Position(sym)
	t := L.CreateTable(0, 5)
	t.RawSetString("symbol", lua.LString(sym))
	t.RawSetString("qty", lua.LNumber(p.Qty))
	t.RawSetString("avg_price", lua.LNumber(p.AvgPrice()))
	t.RawSetString("cost", lua.LNumber(p.Cost))
	t.RawSetString("realized", lua.LNumber(p.Realized))
	L.Push(t)
	return 1
}

// luaOrders is ctx.orders() → the open orders, each a fresh table.
func (s *Strategy) luaOrders(L *lua.LState) int {
	s.scratch.orders = s.host.OpenOrders(s.scratch.orders[:0])
	list := L.CreateTable(len(s.scratch.orders), 0)
	for i := range s.scratch.orders {
		o := &s.scratch.orders[i]
		t := L.CreateTable(0, 9)
		t.RawSetString("id", lua.LNumber(o.ID))
		t.RawSetString("symbol", lua.LString(o.Symbol))
		t.RawSetString("side", sideName(o.Side))
		t.RawSetString("type", typeName(o.Type))
		t.RawSetString("qty", lua.LNumber(o.Qty))
		t.RawSetString("price", lua.LNumber(o.Price))
		t.RawSetString("filled", lua.LNumber(o.FilledQty))
		t.RawSetString("status", statusName(o.Status))
		t.RawSetString("sessions", lua.LNumber(o.Lifetime()))
		list.RawSetInt(i+1, t)
	}
	L.Push(list)
	return 1
}

// luaLast is ctx.last(symbol) → the last trade price, or nil.
func (s *Strategy) luaLast(L *lua.LState) int {
	p, ok := s.host.LastPrice(s.argSymbol(L, 1))
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LNumber(p))
	return 1
}

// luaBars is ctx.bars(symbol, n) → up to n closed bars, oldest first.
func (s *Strategy) luaBars(L *lua.LState) int {
	sym := s.argSymbol(L, 1)
	n := argWhole(L, 2, "n", 1, maxBars)
	s.scratch.bars = s.host.Bars(sym, int(n), s.scratch.bars[:0])
	bars := s.scratch.bars
	if len(bars) > int(n) { // never hand out more than asked, whatever the host does
		bars = bars[len(bars)-int(n):]
	}
	list := L.CreateTable(len(bars), 0)
	for i := range bars {
		b := &bars[i]
		t := L.CreateTable(0, 7)
		t.RawSetString("symbol", lua.LString(b.Symbol))
		t.RawSetString("time", lua.LNumber(unixSeconds(b.Start)))
		t.RawSetString("open", lua.LNumber(b.Open))
		t.RawSetString("high", lua.LNumber(b.High))
		t.RawSetString("low", lua.LNumber(b.Low))
		t.RawSetString("close", lua.LNumber(b.Close))
		t.RawSetString("volume", lua.LNumber(b.Volume))
		list.RawSetInt(i+1, t)
	}
	L.Push(list)
	return 1
}

// luaSave is ctx.save(state): state, deep-copied with on_stop's rules
// (plain data, 16 levels, 10,000 entries, 4 MiB of strings), becomes the
// strategy's checkpoint, which the host keeps in the background and hands
// to on_start after a crash. A value that cannot be kept raises an error
// naming where it is, and the previous checkpoint stays.
func (s *Strategy) luaSave(L *lua.LState) int {
	v := L.Get(1)
	if v == lua.LNil {
		L.ArgError(1, "state: want a table (or a number, string or boolean) to keep, have nil")
	}
	st, err := fromLua(v)
	if err != nil {
		L.RaiseError("ctx.save: %v", err)
	}
	s.checkpoint, s.checkpointNew = st, true
	return 0
}
