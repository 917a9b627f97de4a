package replay

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/host/load"
	"github.com/qbtrading/qb/lib/market"
)

// minuteCSV writes n 1-minute bars of 005930 from 09:00 KST on 2024-01-02,
// bar i opening at 70000+100i, high open+300, low open-200, close open+100,
// volume 1000+i, with a gap of gap minutes between starts, and returns
// the file's path.
func minuteCSV(t *testing.T, n, gap int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("time,open,high,low,close,volume\n")
	start := time.Date(2024, 1, 2, 9, 0, 0, 0, market.Seoul)
	for i := 0; i < n; i++ {
		o := int64(70000 + 100*i)
		fmt.Fprintf(&b, "%s,%d,%d,%d,%d,%d\n", start.Add(time.Duration(i*gap)*time.Minute).Format("20060102150405"),
			o, o+300, o-200, o+100, 1000+i)
	}
	path := filepath.Join(t.TempDir(), "005930.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// barLog records every bar it gets and buys one share at the first.
const barLog = `
local s = { name = "bar_log", symbols = { "005930" }, timeframe = "%s" }
local bars = {}
function s.on_bar(ctx, bar)
  bars[#bars + 1] = string.format("%%d %%d %%d %%d %%d %%d", bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume)
  if #bars == 1 then
    local id, err = ctx.buy(bar.symbol, 1)
    if not id then error(err) end
  end
end
function s.on_stop(ctx) return { bars = bars } end
return s
`

// runFiles replays the files with tf (0: inferred) through one Lua
// strategy of the given timeframe, as Run does, and returns the frames
// and the strategy's result.
func runFiles(t *testing.T, paths []string, tf market.Timeframe, stf string) ([]FileFrame, engine.Result, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "strategy.lua")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(barLog, stf)), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := load.Strategies([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	src, frames, err := OpenFiles(paths, tf)
	if err != nil {
		return nil, engine.Result{}, err
	}
	tp, err := Collect(src)
	if err != nil {
		t.Fatal(err)
	}
	eng, _, err := newEngine(Config{Strategies: srcs, Log: zerolog.Nop()}, frames)
	if err != nil {
		return frames, engine.Result{}, err
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
	return frames, eng.Results()[0], nil
}

// wantBar is the line barLog records for a bar.
func wantBar(start time.Time, o, h, l, c, v int64) string {
	return fmt.Sprintf("%d %d %d %d %d %d", start.Unix(), o, h, l, c, v)
}

// A 1m bar file replays with a 1m strategy, its timeframe inferred: the
// strategy gets every bar as written, and a market order placed at the
// close of the first (in on_bar, at 09:01) fills at the next bar's open,
// plus the default slippage of one KRX tick (100 won at 70,000), as on
// daily bars (docs/strategy-api.md, "Fills on bar data").
func TestMinuteBarsReplayInferred(t *testing.T) {
	path := minuteCSV(t, 10, 1)
	frames, res, err := runFiles(t, []string{path}, 0, "1m")
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 1 || frames[0].Timeframe != market.Min1 || !frames[0].Inferred {
		t.Fatalf("frames %+v, want one of 1m, inferred", frames)
	}
	if got, want := frames[0].String(), path+": 1m bars (inferred)"; got != want {
		t.Errorf("frame %q, want %q", got, want)
	}
	bars := stateStrings(t, res.State, "bars")
	if len(bars) != 10 {
		t.Fatalf("%d bars, want 10: %v", len(bars), bars)
	}
	start := time.Date(2024, 1, 2, 9, 0, 0, 0, market.Seoul)
	for i, got := range bars {
		o := int64(70000 + 100*i)
		// bar.time is the bar's start (docs/strategy-api.md).
		if want := wantBar(start.Add(time.Duration(i)*time.Minute), o, o+300, o-200, o+100, int64(1000+i)); got != want {
			t.Errorf("bar %d: %s, want %s", i, got, want)
		}
	}
	if len(res.Fills) != 1 {
		t.Fatalf("fills %+v, want one", res.Fills)
	}
	f := res.Fills[0]
	if !f.Time.Equal(start.Add(time.Minute)) || f.Price != 70100+100 || f.Qty != 1 {
		t.Errorf("fill at %s for %d, want at 09:01:00 for 70200, the second bar's open 70100 and a tick", f.Time, f.Price)
	}
}

// A 5m strategy on 1m data gets 5m bars built from them: the first bar's
// open, the highest high, the lowest low, the last close, the volumes'
// sum.
func TestFiveMinuteStrategyOnMinuteBars(t *testing.T) {
	_, res, err := runFiles(t, []string{minuteCSV(t, 10, 1)}, 0, "5m")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 1, 2, 9, 0, 0, 0, market.Seoul)
	want := []string{
		wantBar(start, 70000, 70700, 69800, 70500, 1000+1001+1002+1003+1004),
		wantBar(start.Add(5*time.Minute), 70500, 71200, 70300, 71000, 1005+1006+1007+1008+1009),
	}
	got := stateStrings(t, res.State, "bars")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bars\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Bought at the first 5m bar's close (09:05): the next 1m bar's open
	// and a tick.
	if len(res.Fills) != 1 || res.Fills[0].Price != 70500+100 || !res.Fills[0].Time.Equal(start.Add(5*time.Minute)) {
		t.Errorf("fills %+v, want one at 09:05 for 70600", res.Fills)
	}
}

// A timeframe given overrides inference: bars 2 minutes apart infer
// nothing, but replay as 1m bars when told.
func TestGivenTimeframeOverridesInference(t *testing.T) {
	path := minuteCSV(t, 4, 2)
	if _, _, err := OpenFiles([]string{path}, 0); err == nil || !strings.Contains(err.Error(), "cannot infer") {
		t.Fatalf("inferring 2m gaps: %v, want cannot infer", err)
	}
	frames, res, err := runFiles(t, []string{path}, market.Min1, "1m")
	if err != nil {
		t.Fatal(err)
	}
	if frames[0].Timeframe != market.Min1 || frames[0].Inferred || frames[0].String() != path+": 1m bars" {
		t.Errorf("frame %+v (%s), want 1m, given", frames[0], frames[0])
	}
	if n := len(stateStrings(t, res.State, "bars")); n != 4 {
		t.Errorf("%d bars, want 4", n)
	}
}

// A strategy finer than the data is refused before the run, naming it, its
// timeframe, the data's and the file.
func TestStrategyFinerThanDataIsAnError(t *testing.T) {
	path := minuteCSV(t, 4, 5) // 5m bars
	_, _, err := runFiles(t, []string{path}, 0, "1m")
	if err == nil {
		t.Fatal("a 1m strategy on 5m bars ran")
	}
	for _, want := range []string{"bar_log", "timeframe 1m", "5m bars of " + path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// Daily files are inferred 1d as before, and a daily strategy is fine.
	if _, _, err := runFiles(t, dailyFiles[:1], 0, "1d"); err != nil {
		t.Errorf("daily strategy on a daily file: %v", err)
	}
}
