package reload_test

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// streamSrc records every tick it sees (its time, unix seconds: the feed's
// sequence number plus open) and the version that saw it, and hands both
// lists on through on_stop and on_start. Each on_start records what the
// version inherited: position, working orders and the first order's id.
const streamSrc = `-- stream version %[1]d
local s = { name = "stream", symbols = { "005930" }, timeframe = "1m" }
local V = %[1]d
local seen, vers, starts = {}, {}, {}
function s.on_start(ctx, state)
  if state then seen, vers, starts = state.seen or {}, state.vers or {}, state.starts end
  local o = ctx.orders()
  starts[#starts + 1] = { v = V, qty = ctx.position("005930").qty, orders = #o, order = o[1] and o[1].id or 0,
    bars = #ctx.bars("005930", 500) }
end
function s.on_tick(ctx, t)
  seen[#seen + 1] = t.time
  vers[#vers + 1] = V
  if ctx.position("005930").qty == 0 and #ctx.orders() == 0 then
    ctx.buy("005930", 10)
    ctx.buy("005930", 1, 60000)
  end
end
function s.on_stop(ctx) return { seen = seen, vers = vers, starts = starts } end
return s
`

func stream(v int) string { return fmt.Sprintf(streamSrc, v) }

// maxStreamTicks keeps the recorded lists inside host/script's bound on a
// state (10,000 entries): two entries a tick.
const maxStreamTicks = 4500

// feeder streams quiet ticks into the host until stopped.
type feeder struct {
	stop chan struct{}
	wg   sync.WaitGroup
	sent atomic.Int64
}

func startFeeder(h *host, every time.Duration, limit int64) *feeder {
	f := &feeder{stop: make(chan struct{})}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for seq := int64(1); seq <= limit; seq++ {
			select {
			case h.ticks <- tickAt(seq, quiet):
				f.sent.Store(seq)
			case <-f.stop:
				return
			}
			time.Sleep(every)
		}
	}()
	return f
}

// halt stops the feed and returns the number of ticks the engine took.
func (f *feeder) halt() int64 {
	close(f.stop)
	f.wg.Wait()
	return f.sent.Load()
}

// TestReloadWhileStreaming saves a strategy 30 times, in turn by each way
// editors save, while ticks stream in, and proves from what the versions
// recorded that every tick reached exactly one version, in order, with
// versions switching only between ticks; and that the position and the
// working order were the same after every swap.
func TestReloadWhileStreaming(t *testing.T) {
	const saves = 30
	h := newHost(t, map[string]string{"stream.lua": stream(1)}, hostOptions{})
	f := startFeeder(h, 2*time.Millisecond, maxStreamTicks)
	defer func() {
		select {
		case <-f.stop:
		default:
			f.halt()
		}
	}()
	held := account{qty: 10, orders: 2, fills: 1}
	h.until("stream to hold 10 shares and rest a limit order", false, func() bool {
		return accountOf(h.result("stream")) == held
	})
	for v := 2; v <= saves+1; v++ {
		editorSaves[v%len(editorSaves)].save(t, h, "stream.lua", stream(v))
		h.untilVersion("stream.lua", v)
		if got := accountOf(h.result("stream")); got != held {
			t.Fatalf("after swap to v%d the account is %+v, want %+v", v, got, held)
		}
	}
	last := f.sent.Load()
	h.until("more ticks for the last version", false, func() bool { return f.sent.Load() >= min(last+20, maxStreamTicks) })
	n := f.halt()
	// A writer stalled longer than the debounce (a loaded machine) lets the
	// watcher read a half-written file: that version is rejected and the
	// running one stays, as it should; the complete file follows.
	if c := h.counters(); c.Reloaded != saves || c.Added+c.Removed+c.Renamed != 0 {
		t.Errorf("counters %+v, want %d reloads", c, saves)
	}
	for _, l := range h.logs.lines("reload rejected; the running version stays", nil) {
		t.Logf("rejected on the way: %v", l["error"])
	}
	r := h.stop()[0]
	st, _ := r.State.(map[string]any)
	checkSeen(t, st, n)
	checkVersions(t, st, saves+1)
	checkStarts(t, st, saves+1)
}

// checkSeen: the ticks the versions saw, joined, are the ticks sent.
func checkSeen(t *testing.T, st map[string]any, n int64) {
	t.Helper()
	want := make([]any, n)
	for i := range want {
		want[i] = float64(open.Unix() + int64(i) + 1)
	}
	if got, _ := st["seen"].([]any); !reflect.DeepEqual(got, want) {
		t.Fatalf("the versions saw %d ticks, %d were sent; the first difference is at %d", len(got), n, firstDiff(got, want))
	}
}

// checkVersions: each tick was seen by one version, and the versions
// follow one another: 1, 1, …, 2, 2, …, never back.
func checkVersions(t *testing.T, st map[string]any, last int) {
	t.Helper()
	vers, _ := st["vers"].([]any)
	prev, distinct := 1.0, 1
	for i, v := range vers {
		x, _ := v.(float64)
		if x < prev || x > float64(last) {
			t.Fatalf("tick %d was seen by v%v after v%v", i+1, v, prev)
		}
		if x != prev {
			distinct++
		}
		prev = x
	}
	if vers[0] != 1.0 || prev != float64(last) || distinct < 2 {
		t.Fatalf("ticks were seen by v%v to v%v (%d versions), want v1 to v%d", vers[0], prev, distinct, last)
	}
	t.Logf("%d ticks (%d 1m bars), seen by %d of %d versions", len(vers), len(vers)/60, distinct, last)
}

// checkStarts: every version started once, in order, and each after the
// first inherited the 10 shares, the same working order and the bar
// history so far (it only grows).
func checkStarts(t *testing.T, st map[string]any, last int) {
	t.Helper()
	starts, _ := st["starts"].([]any)
	if len(starts) != last {
		t.Fatalf("%d on_start calls recorded, want %d", len(starts), last)
	}
	var order any
	bars := 0.0
	for i, s := range starts {
		m, _ := s.(map[string]any)
		if m["v"] != float64(i+1) {
			t.Fatalf("start %d was v%v", i+1, m["v"])
		}
		if b, _ := m["bars"].(float64); b < bars {
			t.Fatalf("v%d started with %v closed bars, v%d had %v: history was lost", i+1, b, i, bars)
		} else {
			bars = b
		}
		if i == 0 {
			continue
		}
		if i == last-1 {
			t.Logf("the last version started with %v closed bars", m["bars"])
		}
		if i == 1 {
			order = m["order"]
		}
		if m["qty"] != 10.0 || m["orders"] != 1.0 || m["order"] != order || order == 0.0 {
			t.Fatalf("v%d started with %v; want 10 shares and working order %v", i+1, m, order)
		}
	}
}

func firstDiff(a, b []any) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
