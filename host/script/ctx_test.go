package script

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/rs/zerolog"
)

func TestCtx(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(h *fakeHost)
		src     string
		want    string
		wantErr string
		check   func(t *testing.T, h *fakeHost)
	}{
		{name: "buy market", src: `return ctx.buy("005930", 10)`, want: "101",
			check: wantOrder(OrderRequest{Symbol: "005930", Side: market.Buy, Type: market.MarketOrder, Qty: 10})},
		{name: "sell limit", src: `return ctx.sell("000660", 3, 150500)`, want: "101",
			check: wantOrder(OrderRequest{Symbol: "000660", Side: market.Sell, Type: market.LimitOrder, Qty: 3, Price: 150500})},
		{name: "price 0 is market", src: `return ctx.buy("005930", 1, 0)`, want: "101",
			check: wantOrder(OrderRequest{Symbol: "005930", Side: market.Buy, Type: market.MarketOrder, Qty: 1})},
		{name: "gtc limit", src: `return ctx.buy("005930", 2, 69900, {tif = "gtc", sessions = 5})`, want: "101",
			check: wantOrder(OrderRequest{Symbol: "005930", Side: market.Buy, Type: market.LimitOrder, Qty: 2, Price: 69900, Sessions: 5})},
		{name: "gtc default life", src: `return ctx.sell("005930", 2, nil, {tif = "gtc"})`, want: "101",
			check: wantOrder(OrderRequest{Symbol: "005930", Side: market.Sell, Type: market.MarketOrder, Qty: 2, Sessions: 20})},
		{name: "day stated", src: `return ctx.buy("005930", 2, 69900, {tif = "day"})`, want: "101",
			check: wantOrder(OrderRequest{Symbol: "005930", Side: market.Buy, Type: market.LimitOrder, Qty: 2, Price: 69900, Sessions: 1})},
		{name: "day with sessions", src: `return ctx.buy("005930", 2, 69900, {sessions = 3})`,
			wantErr: "bad argument #4 to buy (options.sessions: only a GTC order lives more than one session"},
		{name: "gtc too long", src: `return ctx.buy("005930", 2, 69900, {tif = "gtc", sessions = 61})`,
			wantErr: "options.sessions: want a whole number in 1..60, have 61"},
		{name: "unknown tif", src: `return ctx.buy("005930", 2, 69900, {tif = "ioc"})`,
			wantErr: `options.tif: want "day" or "gtc", have "ioc"`},
		{name: "options not a table", src: `return ctx.buy("005930", 2, 69900, "gtc")`,
			wantErr: `options: want a table such as {tif = "gtc", sessions = 5}, have "gtc"`},
		{name: "rejected", setup: func(h *fakeHost) { h.submitErr = errRejected },
			src: `local id, err = ctx.buy("005930", 10) return tostring(id) .. "|" .. err`, want: "nil|" + errRejected.Error()},
		{name: "qty fraction", src: `return ctx.buy("005930", 1.5)`, wantErr: "bad argument #2 to buy (qty: want a whole number in 1..1000000000, have 1.5)"},
		{name: "qty zero", src: `return ctx.buy("005930", 0)`, wantErr: "qty: want a whole number"},
		{name: "qty too big", src: `return ctx.sell("005930", 2e9)`, wantErr: "qty: want a whole number"},
		{name: "qty nan", src: `return ctx.buy("005930", 0/0)`, wantErr: "have NaN"},
		{name: "qty string", src: `return ctx.buy("005930", "10")`, wantErr: `have "10"`},
		{name: "price negative", src: `return ctx.buy("005930", 1, -5)`, wantErr: "limit_price: want a whole number in 0..10000000000"},
		{name: "price inf", src: `return ctx.buy("005930", 1, 1/0)`, wantErr: "limit_price"},
		{name: "symbol not declared", src: `return ctx.buy("035420", 1)`, wantErr: `symbol "035420" is not in this strategy's symbols`},
		{name: "symbol missing", src: `return ctx.buy()`, wantErr: "symbol: want a string"},
		{name: "cancel", src: `return ctx.cancel(17)`, want: "true",
			check: func(t *testing.T, h *fakeHost) {
				if len(h.cancelled) != 1 || h.cancelled[0] != 17 {
					t.Errorf("cancelled %v", h.cancelled)
				}
			}},
		{name: "cancel fails", setup: func(h *fakeHost) { h.cancelErr = errors.New("order 17 is filled") },
			src: `local ok, err = ctx.cancel(17) return tostring(ok) .. "|" .. err`, want: "nil|order 17 is filled"},
		{name: "cancel bad id", src: `return ctx.cancel(-1)`, wantErr: "order_id"},
		{name: "position", setup: func(h *fakeHost) {
			h.positions["005930"] = market.Position{Qty: 4, Cost: 280200, Realized: -300}
		}, src: `local p = ctx.position("005930") return p.symbol .. " " .. p.qty .. " " .. p.avg_price .. " " .. p.cost .. " " .. p.realized`,
			want: "005930 4 70050 280200 -300"},
		{name: "flat position", src: `local p = ctx.position("000660") return p.qty .. " " .. p.avg_price`, want: "0 0"},
		{name: "cash and equity", src: `return ctx.cash() .. " " .. ctx.equity()`, want: "100000000 100500000"},
		{name: "orders", setup: func(h *fakeHost) {
			h.open = []market.Order{{ID: 5, Symbol: "005930", Side: market.Buy, Type: market.LimitOrder, Qty: 10, Price: 69900,
				Status: market.OrderPartiallyFilled, FilledQty: 4}}
		}, src: `local o = ctx.orders() local x = o[1] return #o .. " " .. x.id .. " " .. x.symbol .. " " .. x.side .. " " .. x.type .. " " .. x.qty .. " " .. x.price .. " " .. x.filled .. " " .. x.status`,
			want: "1 5 005930 buy limit 10 69900 4 partially_filled"},
		{name: "no orders", src: `return #ctx.orders()`, want: "0"},
		{name: "last", setup: func(h *fakeHost) { h.last["005930"] = 70100 }, src: `return ctx.last("005930")`, want: "70100"},
		{name: "last unknown", src: `return tostring(ctx.last("005930"))`, want: "nil"},
		{name: "bars", setup: func(h *fakeHost) { h.bars = []market.Bar{*bar(100), *bar(200), *bar(300)} },
			src:  `local b = ctx.bars("005930", 2) return #b .. " " .. b[1].close .. " " .. b[2].close .. " " .. b[2].open .. " " .. b[2].high .. " " .. b[2].low .. " " .. b[2].volume .. " " .. b[2].time .. " " .. b[2].symbol`,
			want: "2 200 300 200 500 0 1234 1709512200 005930"},
		{name: "bars bad n", src: `return ctx.bars("005930", 0)`, wantErr: "n: want a whole number in 1..10000"},
		{name: "now", src: `return ctx.now()`, want: "1709512200"},
		{name: "name", src: `return ctx.name`, want: "hooks"},
		{name: "sma", setup: func(h *fakeHost) { h.indOut = []float64{70123.5}; h.indCalls = []string{} },
			src: `return ctx.sma("005930", 20)`, want: "70123.5",
			check: wantIndicator("005930 sma [20]")},
		{name: "sma not ready", setup: func(h *fakeHost) { h.indReady = false },
			src: `return tostring(ctx.sma("005930", 20))`, want: "nil"},
		{name: "macd three values", setup: func(h *fakeHost) { h.indOut = []float64{1.5, 1.25, 0.25}; h.indCalls = []string{} },
			src: `local m, s, d = ctx.macd("005930", 12, 26, 9) return m .. " " .. s .. " " .. d`, want: "1.5 1.25 0.25",
			check: wantIndicator("005930 macd [12 26 9]")},
		{name: "bbands defaults", setup: func(h *fakeHost) { h.indOut = []float64{3, 2, 1}; h.indCalls = []string{} },
			src: `local u, m, l = ctx.bbands("005930") return u .. m .. l`, want: "321",
			check: wantIndicator("005930 bbands []")},
		{name: "indicator generic", setup: func(h *fakeHost) { h.indOut = []float64{55}; h.indCalls = []string{} },
			src: `return ctx.indicator("stochf", "000660", 5, 3)`, want: "55",
			check: wantIndicator("000660 stochf [5 3]")},
		{name: "indicator bad name", src: `return ctx.indicator("../x", "005930")`, wantErr: "name: want a lib/ta indicator name"},
		{name: "indicator error", setup: func(h *fakeHost) { h.indErr = errors.New(`ta: sma: period 0: want at least 1`) },
			src: `return ctx.sma("005930", 0)`, wantErr: "ctx.sma: ta: sma: period 0"},
		{name: "indicator param huge", src: `return ctx.sma("005930", 1e12)`, wantErr: "parameter: want a number in 0..10000"},
		{name: "indicator too many params", src: `return ctx.sma("005930", 1, 2)`, wantErr: "sma takes at most 1 parameters"},
		{name: "params read", src: `return ctx.params.qty`, want: "10"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newFakeHost()
			h.now = time.Date(2024, 3, 4, 9, 30, 0, 0, market.Seoul)
			if c.setup != nil {
				c.setup(h)
			}
			s := start(t, "hooks.lua", h, Options{})
			got, err := eval(t, s, c.src)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
			if c.check != nil {
				c.check(t, h)
			}
		})
	}
}

func wantOrder(want OrderRequest) func(t *testing.T, h *fakeHost) {
	return func(t *testing.T, h *fakeHost) {
		if len(h.submitted) != 1 || h.submitted[0] != want {
			t.Errorf("submitted %+v, want %+v", h.submitted, want)
		}
	}
}

func wantIndicator(want string) func(t *testing.T, h *fakeHost) {
	return func(t *testing.T, h *fakeHost) {
		if len(h.indCalls) != 1 || h.indCalls[0] != want {
			t.Errorf("indicator calls %q, want %q", h.indCalls, want)
		}
	}
}

// TestOperationalErrorKeepsHookAlive: a rejected order is data for the
// script (nil, err), not a hook failure.
func TestOperationalErrorKeepsHookAlive(t *testing.T) {
	h := newFakeHost()
	h.submitErr = errRejected
	src := strategySrc(`"rej"`, `{ "005930" }`, `"1m"`, "{}", `
local reason
function s.on_tick(ctx, t) local id, err = ctx.buy(t.symbol, 1) reason = err end
function s.on_stop(ctx) return reason end`)
	s, err := New(compileSrc(t, src), h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Tick(tick(70000)); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Stop(); err != nil || st != errRejected.Error() {
		t.Errorf("Stop = %v, %v; want the rejection reason", st, err)
	}
}

func TestLog(t *testing.T) {
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	s := start(t, "hooks.lua", nil, Options{Log: log})
	cases := []struct {
		name, src, want, wantErr string
	}{
		{"info with fields", `ctx.log.info("bought", { qty = 10, symbol = "005930", live = true })`,
			`{"level":"info","lua":"<string>:1","live":true,"qty":10,"symbol":"005930","message":"bought"}`, ""},
		{"warn plain", `ctx.log.warn("careful")`, `{"level":"warn","lua":"<string>:1","message":"careful"}`, ""},
		{"print", `print("a", 1, nil, true)`, `{"level":"info","lua":"<string>:1","message":"a\t1\tnil\ttrue"}`, ""},
		{"nested field", `ctx.log.info("x", { t = {} })`, "", "fields.t: want a string, number or boolean"},
		{"reserved field", `ctx.log.info("x", { level = 1 })`, "", `"level" is reserved`},
		{"fields not a table", `ctx.log.error("x", 5)`, "", "fields: want a table"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			buf.Reset()
			_, err := eval(t, s, c.src)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(buf.String()); got != c.want {
				t.Errorf("log:\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestLogLinesPerCallAreBounded: a hook that logs in a loop writes at most
// maxLogLines lines and one line saying how many it dropped.
func TestLogLinesPerCallAreBounded(t *testing.T) {
	var buf bytes.Buffer
	src := strategySrc(`"chatty"`, `{ "005930" }`, `"1m"`, "{}", `function s.on_tick(ctx, t) for i = 1, 1000 do print(i) end end`)
	s, err := New(compileSrc(t, src), newFakeHost(), Options{Log: zerolog.New(&buf)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Tick(tick(1)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != maxLogLines+1 || !strings.Contains(lines[maxLogLines], `"dropped":900`) {
		t.Errorf("%d lines, last %s; want %d and a drop count of 900", len(lines), lines[len(lines)-1], maxLogLines+1)
	}
}
