package script

import (
	"errors"
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// strategySrc is a valid strategy whose parts a case replaces.
func strategySrc(name, symbols, timeframe, params, extra string) string {
	return "local s = {\n" +
		"  name = " + name + ",\n" +
		"  symbols = " + symbols + ",\n" +
		"  timeframe = " + timeframe + ",\n" +
		"  params = " + params + ",\n" +
		"}\n" + extra + "\nreturn s\n"
}

func TestContract(t *testing.T) {
	const (
		name = `"ok"`
		syms = `{ "005930", "0000J0" }`
		tf   = `"5m"`
		par  = `{ n = 3 }`
	)
	cases := []struct {
		name, src string
		line      int
		wantErr   string
	}{
		{"valid", strategySrc(name, syms, tf, par, "function s.on_bar(ctx, b) end"), 0, ""},
		{"params absent", strategySrc(name, syms, tf, "nil", ""), 0, ""},
		{"helper data allowed", strategySrc(name, syms, tf, par, "s.cache = {}"), 0, ""},
		{"missing name", strategySrc("nil", syms, tf, par, ""), 2, "name: want a string"},
		{"empty name", strategySrc(`""`, syms, tf, par, ""), 2, "name: want a string"},
		{"name with slash", strategySrc(`"a/b"`, syms, tf, par, ""), 2, "name: want a string"},
		{"symbols missing", strategySrc(name, "nil", tf, par, ""), 3, "symbols: want a list"},
		{"symbols empty", strategySrc(name, "{}", tf, par, ""), 3, "symbols: want 1 to"},
		{"bad symbol", strategySrc(name, `{ "005930", "59300" }`, tf, par, ""), 3, `symbols[2]: symbol "59300"`},
		{"lower-case symbol", strategySrc(name, `{ "00000j" }`, tf, par, ""), 3, "symbols[1]"},
		{"numeric symbol", strategySrc(name, `{ 5930 }`, tf, par, ""), 3, "symbols[1]: want a string"},
		{"duplicate symbol", strategySrc(name, `{ "005930", "005930" }`, tf, par, ""), 3, "listed twice"},
		{"bad timeframe", strategySrc(name, syms, `"2m"`, par, ""), 4, `timeframe: want one of`},
		{"timeframe missing", strategySrc(name, syms, "nil", par, ""), 4, "timeframe"},
		{"typo hook", strategySrc(name, syms, tf, par, "\nfunction s.on_tik(ctx, t) end"), 8, "unknown hook \"on_tik\", did you mean on_tick?"},
		{"helper function", strategySrc(name, syms, tf, par, "s.helper = function() end"), 7, "unknown hook \"helper\""},
		{"hook not a function", strategySrc(name, syms, tf, par, "s.on_bar = 5"), 0, "on_bar: want a function"},
		{"param table", strategySrc(name, syms, tf, `{ n = {} }`, ""), 5, "params.n: want a number, boolean or string"},
		{"param nan", strategySrc(name, syms, tf, `{ n = 0/0 }`, ""), 5, "params.n: want a finite number"},
		{"symbol on its own line", "local s = {\n  name = 'x',\n  symbols = {\n    '005930',\n    '12',\n  },\n  timeframe = '1d',\n}\nreturn s\n", 5, "symbols[2]"},
		{"assigned field", "local s = { symbols = { '005930' } }\ns.name = 'x'\ns.timeframe = '7m'\nreturn s\n", 3, "timeframe: want one of"},
		{"params not a table", strategySrc(name, syms, tf, `5`, ""), 5, "params: want a table"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(compileSrc(t, c.src), newFakeHost(), Options{})
			if c.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindContract {
				t.Fatalf("err = %v, want a contract *Error", err)
			}
			if !strings.Contains(e.Msg, c.wantErr) || e.Line != c.line || e.File != "inline.lua" {
				t.Errorf("err = %q (line %d), want %q at line %d", e, e.Line, c.wantErr, c.line)
			}
		})
	}
}

func TestMeta(t *testing.T) {
	s := start(t, "hooks.lua", nil, Options{Params: map[string]string{"qty": "25", "live": "true"}})
	m := s.Meta()
	if m.Name != "hooks" || m.Timeframe != market.Min1 || len(m.Symbols) != 2 || m.Symbols[1] != "000660" {
		t.Fatalf("meta = %+v", m)
	}
	want := []Param{
		{Name: "live", Type: "boolean", Default: false, Value: true},
		{Name: "note", Type: "string", Default: "hi", Value: "hi"},
		{Name: "qty", Type: "number", Default: 10.0, Value: 25.0},
	}
	if len(m.Params) != len(want) {
		t.Fatalf("params = %+v", m.Params)
	}
	for i := range want {
		if m.Params[i] != want[i] {
			t.Errorf("param %d = %+v, want %+v", i, m.Params[i], want[i])
		}
	}
	for h, want := range map[Hook]bool{HookStart: true, HookTick: true, HookBar: true, HookFill: true, HookOrder: true, HookStop: true} {
		if s.Wants(h) != want {
			t.Errorf("Wants(%s) = %v", h, !want)
		}
	}
}

func TestWantsOnlyDefinedHooks(t *testing.T) {
	s, err := New(compileSrc(t, strategySrc(`"bar_only"`, `{ "005930" }`, `"1m"`, "{}", "function s.on_bar(ctx, b) end")), newFakeHost(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for h := HookStart; h < numHooks; h++ {
		if got := s.Wants(h); got != (h == HookBar) {
			t.Errorf("Wants(%s) = %v", h, got)
		}
	}
	if err := s.Tick(tick(1000)); err != nil { // not defined: a no-op
		t.Fatal(err)
	}
}

func TestParamOverrides(t *testing.T) {
	cases := []struct {
		name    string
		params  map[string]string
		check   string // Lua expression over ctx.params that must be true
		wantErr string
	}{
		{"defaults", nil, `p.qty == 10 and p.note == "hi" and p.live == false`, ""},
		{"number", map[string]string{"qty": "2.5"}, `p.qty == 2.5`, ""},
		{"boolean", map[string]string{"live": "true"}, `p.live == true`, ""},
		{"string", map[string]string{"note": "12"}, `p.note == "12"`, ""},
		{"number not a number", map[string]string{"qty": "ten"}, "", `param qty="ten": want a finite number`},
		{"number inf", map[string]string{"qty": "Inf"}, "", "want a finite number"},
		{"number nan", map[string]string{"qty": "NaN"}, "", "want a finite number"},
		{"boolean yes", map[string]string{"live": "yes"}, "", "want true or false"},
		{"unknown", map[string]string{"qtty": "1"}, "", "param qtty: not declared by the script (it declares: live, note, qty)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(load(t, "hooks.lua"), newFakeHost(), Options{Params: c.params})
			if c.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || e.Kind != KindContract || !strings.Contains(e.Msg, c.wantErr) {
					t.Fatalf("err = %v, want contract error %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got, err := eval(t, s, "local p = ctx.params return "+c.check)
			if err != nil || got != "true" {
				t.Errorf("%s: %s, %v", c.check, got, err)
			}
		})
	}
}
