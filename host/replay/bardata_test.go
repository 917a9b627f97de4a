package replay

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/tape"
)

// everyBar trades one share of each symbol at every daily bar: a buy when
// flat, a sell when holding. It logs each cancellation, counts its on_tick
// calls and checks, at every bar, that ctx.last is the bar's close.
const everyBar = `
local s = { name = "every_bar", symbols = { "005930", "035420" }, timeframe = "1d" }
local placed, cancelled, ticks, bad_last = 0, {}, 0, {}
-- os_date turns Unix seconds into a KST date (the sandbox has no os.date).
local function os_date(t)
  local days = math.floor((t + 9 * 3600) / 86400)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format("%04d-%02d-%02d", y, m, d)
end
function s.on_tick(ctx, tick) ticks = ticks + 1 end
function s.on_bar(ctx, bar)
  if ctx.last(bar.symbol) ~= bar.close then
    bad_last[#bad_last + 1] = bar.symbol .. " " .. bar.time
  end
  local held = ctx.position(bar.symbol).qty
  local id, err
  if held > 0 then id, err = ctx.sell(bar.symbol, held) else id, err = ctx.buy(bar.symbol, 1) end
  if not id then error(err) end
  placed = placed + 1
end
function s.on_order(ctx, o)
  if o.status == "cancelled" then
    cancelled[#cancelled + 1] = o.symbol .. " " .. os_date(ctx.now()) .. " " .. o.reason
  end
end
function s.on_stop(ctx)
  return { placed = placed, cancelled = cancelled, ticks = ticks, bad_last = bad_last }
end
return s
`

// runBars replays the daily files through the Lua strategy src and returns
// its result.
func runBars(t *testing.T, src string) engine.Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "strategy.lua")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := load.Strategies([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	specs, _, err := load.Specs(srcs, load.Params{}, script.Options{}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(engine.Config{Strategies: specs, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	tp, err := ReadTapes(dailyFiles)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := feed(context.Background(), eng, SliceSource(tp[1:]), &tp[0], nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := eng.Stop(); err != nil {
		t.Fatal(err)
	}
	return eng.Results()[0]
}

// dailyBars reads the bars of one shipped daily file, keyed by KST date.
func dailyBars(t *testing.T, path string) (map[string]market.Bar, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sym, _ := tape.SymbolFromPath(path)
	r, err := tape.NewReader(f, path, tape.Options{Symbol: sym})
	if err != nil {
		t.Fatal(err)
	}
	bars := map[string]market.Bar{}
	var dates []string
	for {
		var b market.Bar
		err := r.NextBar(&b)
		if errors.Is(err, io.EOF) {
			return bars, dates
		}
		if err != nil {
			t.Fatal(err)
		}
		d := b.Start.In(market.Seoul).Format(time.DateOnly)
		bars[d] = b
		dates = append(dates, d)
	}
}

func stateStrings(t *testing.T, st script.State, key string) []string {
	t.Helper()
	m, _ := st.(map[string]any)
	v, _ := m[key].([]any)
	out := make([]string, 0, len(v))
	for _, x := range v {
		out = append(out, x.(string))
	}
	return out
}

// Every market order placed in on_bar over four years of daily bars fills
// at the next session's open, Fridays and the eves of the Chuseok and Lunar
// New Year breaks included; only the last bar's orders, with no session
// after them, are cancelled, by the replay's end.
func TestBarOrdersFillAtTheNextSession(t *testing.T) {
	r := runBars(t, everyBar)
	placed := int(r.State.(map[string]any)["placed"].(float64))
	// Two orders meet a trading halt, each for a stock split (005930's
	// 50:1 from 2018-04-30 to 05-03, NAVER's 5:1 from 2018-10-08 to 10-11):
	// they expire with the first session the market held without them,
	// as a KRX order for a halted stock does. The last bar's two have no
	// session after them and are cancelled as the replay stops, after
	// on_stop.
	want := []string{"005930 2018-05-01 day ended", "035420 2018-10-09 day ended"}
	if got := stateStrings(t, r.State, "cancelled"); !slices.Equal(got, want) {
		t.Fatalf("cancelled orders:\n%q\nwant\n%q", got, want)
	}
	if len(r.Fills) != placed-4 || r.Cancelled != 4 || placed < 1900 {
		t.Fatalf("%d fills and %d cancelled of %d orders placed, want all but 4 filled", len(r.Fills), r.Cancelled, placed)
	}
	bars := map[market.Symbol]map[string]market.Bar{}
	for _, path := range dailyFiles {
		sym, _ := tape.SymbolFromPath(path)
		bars[sym], _ = dailyBars(t, path)
	}
	fridays, breaks := 0, map[string]bool{}
	for _, f := range r.Fills {
		filled := f.Time.In(market.Seoul)
		if filled.Hour() != 9 || filled.Minute() != 0 {
			t.Fatalf("order %d filled at %s, want the session's open (09:00)", f.OrderID, filled)
		}
		b := bars[f.Symbol][filled.Format(time.DateOnly)]
		// One tick of slippage on the date's grid (before 2023 a KOSPI
		// stock from 100,000 won moved in 500s), inside the bar.
		grid := krx.GridOn(filled, krx.KOSPI)
		want := min(grid.AddTicks(b.Open, 1), b.High)
		if f.Side == market.Sell {
			want = max(grid.AddTicks(b.Open, -1), b.Low)
		}
		if f.Price != want {
			t.Fatalf("%s of %s on %s at %d, want %d (open %d, range %d..%d)",
				f.Side, f.Symbol, filled.Format(time.DateOnly), f.Price, want, b.Open, b.Low, b.High)
		}
		if filled.Weekday() == time.Monday {
			fridays++
		}
		switch filled.Format(time.DateOnly) {
		case "2016-09-19", "2017-01-31": // after Chuseok 2016 and Lunar New Year 2017
			breaks[filled.Format(time.DateOnly)] = true
		}
	}
	if fridays < 300 || len(breaks) != 2 {
		t.Fatalf("%d fills on Mondays, after the breaks %v: orders placed before non-trading days did not fill", fridays, breaks)
	}
}

// On bar data a strategy gets closed bars only: on_tick is never called
// with the prices made up inside a bar, and ctx.last in on_bar is the
// bar's close.
func TestBarDataHasNoTicks(t *testing.T) {
	r := runBars(t, everyBar)
	if n := r.State.(map[string]any)["ticks"].(float64); n != 0 {
		t.Fatalf("on_tick called %v times on bar data, want 0", n)
	}
	if bad := stateStrings(t, r.State, "bad_last"); len(bad) > 0 {
		t.Fatalf("ctx.last is not the bar's close in on_bar for %d bars, first %s", len(bad), bad[0])
	}
}

// Every fill of the shipped strategies on bar data is at a price that
// traded in its day's bar, and a market order fills at the day's open, one
// tick worse (the default slippage), but never past the day's high or low.
func TestBarFillsStayInsideTheBar(t *testing.T) {
	bars := map[market.Symbol]map[string]market.Bar{}
	for _, path := range dailyFiles {
		sym, _ := tape.SymbolFromPath(path)
		bars[sym], _ = dailyBars(t, path)
	}
	rep := runShipped(t, "../../scripts")
	n := 0
	for _, s := range rep.Strategies {
		for _, f := range s.Fills {
			at, err := time.Parse(time.RFC3339Nano, f.Time)
			if err != nil {
				t.Fatal(err)
			}
			b, ok := bars[market.Symbol(f.Symbol)][at.In(market.Seoul).Format(time.DateOnly)]
			if !ok {
				t.Fatalf("%s: fill at %s on a day with no bar", s.Name, f.Time)
			}
			if f.Price < b.Low || f.Price > b.High {
				t.Errorf("%s: %s %d %s at %d, outside the day's range %d..%d", s.Name, f.Side, f.Qty, f.Symbol, f.Price, b.Low, b.High)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d fills checked", n)
	}
}
