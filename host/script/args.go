package script

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
	lua "github.com/yuin/gopher-lua"
)

// argTables are the hook arguments, one table per hook reused for every
// call: overwriting fields costs one small allocation per changed number,
// a fresh table about 26 (LUA.md part a). Scripts must copy what they keep.
type argTables struct {
	tick, bar, fill, order *lua.LTable
	symbols                []lua.LValue // boxed once: meta.Symbols[i]
	timeframe              lua.LValue
	num                    [11]boxed // per-field cache of boxed numbers (tick, bar)
}

// boxed remembers the last number written to one field, so an unchanged
// value (a repeated price, the same second) costs neither an allocation
// nor a table write.
type boxed struct {
	v  float64
	lv lua.LValue
}

// set writes v to tb[key]. When v is what was written last time and the
// table still holds it (the script did not overwrite the field), the write
// is skipped: one map lookup instead of gopher-lua's three map operations.
func (b *boxed) set(tb *lua.LTable, key string, v float64) {
	if b.lv != nil && b.v == v {
		if tb.RawGetString(key) == b.lv {
			return
		}
	} else {
		b.v, b.lv = v, lua.LNumber(v)
	}
	tb.RawSetString(key, b.lv)
}

// setValue writes v to tb[key] unless the table already holds it.
func setValue(tb *lua.LTable, key string, v lua.LValue) {
	if tb.RawGetString(key) != v {
		tb.RawSetString(key, v)
	}
}

func newArgTables(L *lua.LState, meta Meta) argTables {
	a := argTables{
		tick:      L.CreateTable(0, 6),
		bar:       L.CreateTable(0, 8),
		fill:      L.CreateTable(0, 8),
		order:     L.CreateTable(0, 9),
		timeframe: lua.LString(meta.Timeframe.String()),
	}
	for _, sym := range meta.Symbols {
		a.symbols = append(a.symbols, lua.LString(sym))
	}
	return a
}

// symbol returns sym as a Lua value, boxed once for declared symbols.
func (a *argTables) symbol(sym market.Symbol) lua.LValue {
	for _, v := range a.symbols {
		if string(v.(lua.LString)) == string(sym) {
			return v
		}
	}
	return lua.LString(sym)
}

// unixSeconds is the Lua form of a time: Unix seconds, with milliseconds
// as a fraction.
func unixSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func (a *argTables) setTick(t *market.Tick) *lua.LTable {
	tb := a.tick
	setValue(tb, "symbol", a.symbol(t.Symbol))
	a.num[0].set(tb, "price", float64(t.Price))
	a.num[1].set(tb, "volume", float64(t.Volume))
	a.num[2].set(tb, "time", unixSeconds(t.Time))
	a.num[3].set(tb, "bid", float64(t.Bid))
	a.num[4].set(tb, "ask", float64(t.Ask))
	return tb
}

func (a *argTables) setBar(b *market.Bar) *lua.LTable {
	tb := a.bar
	tf := a.timeframe
	if lua.LString(b.Timeframe.String()) != tf {
		tf = lua.LString(b.Timeframe.String())
	}
	setValue(tb, "symbol", a.symbol(b.Symbol))
	setValue(tb, "timeframe", tf)
	a.num[5].set(tb, "time", unixSeconds(b.Start))
	a.num[6].set(tb, "open", float64(b.Open))
	a.num[7].set(tb, "high", float64(b.High))
	a.num[8].set(tb, "low", float64(b.Low))
	a.num[9].set(tb, "close", float64(b.Close))
	a.num[10].set(tb, "volume", float64(b.Volume))
	return tb
}

func (a *argTables) setFill(f *market.Fill) *lua.LTable {
	tb := a.fill
	tb.RawSetString("order_id", lua.LNumber(f.OrderID))
	tb.RawSetString("symbol", a.symbol(f.Symbol))
	tb.RawSetString("side", sideName(f.Side))
	tb.RawSetString("qty", lua.LNumber(f.Qty))
	tb.RawSetString("price", lua.LNumber(f.Price))
	tb.RawSetString("fee", lua.LNumber(f.Fee))
	tb.RawSetString("tax", lua.LNumber(f.Tax))
	tb.RawSetString("time", lua.LNumber(unixSeconds(f.Time)))
	return tb
}

func (a *argTables) setOrder(o *market.Order) *lua.LTable {
	tb := a.order
	tb.RawSetString("id", lua.LNumber(o.ID))
	tb.RawSetString("symbol", a.symbol(o.Symbol))
	tb.RawSetString("side", sideName(o.Side))
	tb.RawSetString("type", typeName(o.Type))
	tb.RawSetString("qty", lua.LNumber(o.Qty))
	tb.RawSetString("price", lua.LNumber(o.Price))
	tb.RawSetString("filled", lua.LNumber(o.FilledQty))
	tb.RawSetString("status", statusName(o.Status))
	tb.RawSetString("reason", lua.LString(o.Reason))
	return tb
}

// sideName, typeName and statusName return the Lua spelling; constant
// strings convert to lua.LValue without an allocation.
func sideName(s market.Side) lua.LValue {
	switch s {
	case market.Buy:
		return lua.LString("buy")
	case market.Sell:
		return lua.LString("sell")
	}
	return lua.LString(s.String())
}

func typeName(t market.OrderType) lua.LValue {
	switch t {
	case market.MarketOrder:
		return lua.LString("market")
	case market.LimitOrder:
		return lua.LString("limit")
	}
	return lua.LString(t.String())
}

func statusName(s market.OrderStatus) lua.LValue {
	switch s {
	case market.OrderNew:
		return lua.LString("new")
	case market.OrderAccepted:
		return lua.LString("accepted")
	case market.OrderPartiallyFilled:
		return lua.LString("partially_filled")
	case market.OrderFilled:
		return lua.LString("filled")
	case market.OrderCancelled:
		return lua.LString("cancelled")
	case market.OrderRejected:
		return lua.LString("rejected")
	}
	return lua.LString(s.String())
}
