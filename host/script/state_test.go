package script

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// TestHookArguments: every hook receives the documented fields, and the
// state handed to on_start comes back through on_stop.
func TestHookArguments(t *testing.T) {
	s := start(t, "hooks.lua", nil, Options{})
	in := map[string]any{"prev": map[string]any{"005930": -1.5}, "list": []any{1.0, "two", true}}
	if err := s.Start(in); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 4, 9, 31, 0, 500_000_000, market.Seoul)
	steps := []func() error{
		func() error { return s.Tick(tick(70000)) },
		func() error {
			return s.Tick(&market.Tick{Time: at, Symbol: "000660", Price: 150100, Volume: 3, Bid: 150000, Ask: 150100})
		},
		func() error { return s.Bar(bar(70000)) },
		func() error {
			return s.Fill(&market.Fill{OrderID: 7, Symbol: "005930", Side: market.Sell, Qty: 10, Price: 70100, Fee: 105, Tax: 1262, Time: at})
		},
		func() error {
			return s.Order(&market.Order{ID: 8, Symbol: "000660", Side: market.Buy, Type: market.LimitOrder, Qty: 5,
				Price: 150000, Status: market.OrderRejected, Reason: "price off the tick grid"})
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	st, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(st)
	want := `{"bar":{"close":70000,"high":70200,"low":69700,"open":69900,"symbol":"005930","time":1709512200,"timeframe":"1m","volume":1234},` +
		`"bars":1,` +
		`"fill":{"fee":105,"order_id":7,"price":70100,"qty":10,"side":"sell","symbol":"005930","tax":1262,"time":1709512260.5},` +
		`"order":{"filled":0,"id":8,"price":150000,"qty":5,"reason":"price off the tick grid","side":"buy","status":"rejected","symbol":"000660","type":"limit"},` +
		`"start":{"list":[1,"two",true],"prev":{"005930":-1.5}},` +
		`"tick":{"ask":150100,"bid":150000,"price":150100,"symbol":"000660","time":1709512260.5,"volume":3},"ticks":2}`
	if string(got) != want {
		t.Errorf("state:\n got %s\nwant %s", got, want)
	}
}

func TestStateRoundTrip(t *testing.T) {
	cases := []State{
		nil,
		true,
		42.5,
		"text",
		[]any{1.0, 2.0, []any{"nested"}},
		map[string]any{"a": 1.0, "b": map[string]any{"c": []any{true, false}}, "empty": map[string]any{}},
	}
	s := start(t, "probe.lua", nil, Options{})
	for i, in := range cases {
		lv, err := toLua(s.L, in)
		if err != nil {
			t.Fatalf("case %d: toLua: %v", i, err)
		}
		out, err := fromLua(lv)
		if err != nil {
			t.Fatalf("case %d: fromLua: %v", i, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Errorf("case %d: %#v came back as %#v", i, in, out)
		}
	}
}

func TestStateRejects(t *testing.T) {
	cases := []struct {
		name, src, wantErr string
	}{
		{"function", `return { f = function() end }`, "state.f: a function cannot be saved"},
		{"nan", `return { x = { 0/0 } }`, "state.x[1]: NaN cannot be saved"},
		{"inf", `return { x = 1/0 }`, "state.x: +Inf cannot be saved"},
		{"mixed keys", `return { 1, 2, x = 3 }`, "a table is saved either as a list"},
		{"sparse", `return { [1] = "a", [3] = "c" }`, "a table is saved either as a list"},
		{"deep", `local t = {} local c = t for i = 1, 20 do c.x = {} c = c.x end return t`, "nested deeper than 16"},
		{"cycle", `local t = {} t.self = t return t`, "nested deeper than 16"},
		{"too many", `local t = {} for i = 1, 10001 do t[i] = i end return t`, "more than 10000 entries"},
		{"bool key", `return { [true] = 1 }`, "a table is saved either as a list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strategySrc(`"st"`, `{ "005930" }`, `"1d"`, "{}", "function s.on_stop(ctx) "+c.src+" end")
			s, err := New(compileSrc(t, src), newFakeHost(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			st, err := s.Stop()
			var e *Error
			if !errors.As(err, &e) || st != nil || !strings.Contains(e.Msg, c.wantErr) || e.Hook != "on_stop" || e.Line != 7 {
				t.Fatalf("Stop = %v, %v; want error %q at line 7", st, err, c.wantErr)
			}
		})
	}
}

func TestStartRejectsBadState(t *testing.T) {
	s := start(t, "hooks.lua", nil, Options{})
	for _, st := range []State{map[string]any{"f": func() {}}, []any{struct{}{}}, map[string]any{"x": math.NaN()}} {
		var e *Error
		if err := s.Start(st); !errors.As(err, &e) || e.Hook != "on_start" {
			t.Errorf("Start(%#v) = %v, want an on_start error", st, err)
		}
	}
}
