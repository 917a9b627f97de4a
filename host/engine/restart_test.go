package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
)

// hog leaves a limit order working, then on day 1's bars builds a string
// until the memory watch stops it; on day 2 it behaves.
const hog = `
local s = { name = "hog", symbols = { "005930" }, timeframe = "1m" }
local starts = 0
function s.on_start(ctx, state) starts = starts + 1; if starts == 1 then ctx.buy("005930", 1, 50000) end end
function s.on_bar(ctx, bar)
  if bar.time < 1772668800 then local x = "x" while true do x = x .. x end end
end
function s.on_stop(ctx) return { starts = starts } end
return s
`

func TestStoppedStrategyIsQuarantinedAndRestarts(t *testing.T) {
	spec := luaSpec(t, "hog.lua", hog)
	spec.Options.Memory = 16 << 20
	spec.Options.Budget = 10 * time.Second // only the memory watch may stop it
	e, err := New(Config{Strategies: []Spec{spec, luaSpec(t, "ma.lua", maCross)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	if err := e.Restart("hog"); err == nil || !strings.Contains(err.Error(), "running, not stopped") {
		t.Errorf("restart of a running strategy: %v", err)
	}
	ticks := longTape()
	day1Ticks := 600
	for i := range ticks[:day1Ticks] {
		e.Process(&ticks[i])
	}
	hogRes := e.Results()[0]
	st := hogRes.Status
	if !st.Paused || st.Cause != script.KindMemory || st.Last == nil || st.Last.Hook != "on_bar" ||
		st.Last.File != "hog.lua" || st.Last.Line != 6 || !strings.Contains(st.Reason, "memory limit") {
		t.Fatalf("hog status = %+v, want stopped by the memory limit in on_bar at hog.lua:6", st)
	}
	if hogRes.Cancelled != 1 || hogRes.Orders != 1 {
		t.Errorf("hog: %d orders, %d cancelled; want its working order cancelled (%+v)", hogRes.Orders, hogRes.Cancelled, st)
	}
	if ma := e.Results()[1]; ma.Status.Paused {
		t.Errorf("ma stopped beside hog: %v", ma.Status)
	}
	for i := day1Ticks; i < day1Ticks+10; i++ { // stays stopped until asked
		e.Process(&ticks[i])
	}
	if !e.Results()[0].Status.Paused {
		t.Fatal("hog runs again without a restart")
	}
	if err := e.Restart("hog"); err != nil {
		t.Fatalf("restart: %v", err)
	}
	for i := day1Ticks + 10; i < len(ticks); i++ {
		e.Process(&ticks[i])
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	r := e.Results()[0]
	if r.Status.Paused || r.State.(map[string]any)["starts"] != 1.0 {
		t.Errorf("after restart: status %v, state %v; want running, on_start run once in the new state", r.Status, r.State)
	}
	if err := e.Restart("nobody"); err == nil {
		t.Error("restart of an unknown strategy succeeded")
	}
}

func TestRestartUsesTheLastSpec(t *testing.T) {
	e, err := New(Config{Strategies: []Spec{luaSpec(t, "spins.lua", spins)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	ticks := session(day1, 120, wave)
	for i := range ticks[:90] {
		e.Process(&ticks[i])
	}
	if st := e.Results()[0].Status; !st.Paused || st.Cause != script.KindTimeout {
		t.Fatalf("spins: %v, want stopped by timeouts", st)
	}
	calm := strings.Replace(spins, "while true do end", "", 1)
	if err := e.Replace("spins", luaSpec(t, "spins.lua", calm)); err != nil { // the file changed
		t.Fatal(err)
	}
	for i := range ticks[90:] {
		e.Process(&ticks[90+i])
	}
	if st := e.Results()[0].Status; st.Paused {
		t.Fatalf("after the file changed: %v", st)
	}
}
