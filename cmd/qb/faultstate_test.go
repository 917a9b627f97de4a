package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/statefile"
)

// saver buys a share every 5 bars and checkpoints its counters with
// ctx.save on every bar and every fill, logging each save.
const saver = `
local s = { name = "saver", symbols = { "005930" }, timeframe = "1m" }
local st = { bars = 0, fills = 0, runs = 0 }
function s.on_start(ctx, state)
  if state then st = state end
  st.runs = st.runs + 1
  ctx.log.info("saver started", { bars = st.bars, fills = st.fills, runs = st.runs, got = state ~= nil })
end
local function save(ctx)
  ctx.save(st)
  ctx.log.info("saved", { bars = st.bars, fills = st.fills })
end
function s.on_bar(ctx, bar)
  st.bars = st.bars + 1
  if st.bars % 5 == 0 then ctx.buy(bar.symbol, 1) end
  save(ctx)
end
function s.on_fill(ctx, f)
  st.fills = st.fills + 1
  save(ctx)
end
return s
`

// logLines returns the child's log lines with this message, decoded.
func (c *child) logLines(msg string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(c.log.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) == nil && line["message"] == msg {
			out = append(out, line)
		}
	}
	return out
}

// waitFor waits until a log line with msg satisfies ok and returns it.
func (c *child) waitFor(t *testing.T, msg string, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		for _, l := range c.logLines(msg) {
			if ok(l) {
				return l
			}
		}
		select {
		case err := <-c.done:
			t.Fatalf("qb ended (%v) before logging the %q wanted:\n%.4000s", err, msg, c.log.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no %q as wanted in 2 minutes:\n%.4000s", msg, c.log.String())
	return nil
}

func num(l map[string]any, key string) int {
	f, _ := l[key].(float64)
	return int(f)
}

// onDisk reads saver's checkpoint from the state file and the store.
func onDisk(t *testing.T, data, target string) (file, store map[string]any) {
	t.Helper()
	dir, err := statefile.Open(filepath.Join(data, "state"))
	if err != nil {
		t.Fatal(err)
	}
	if st, _, ok, err := dir.LoadVersion(context.Background(), "saver"); err == nil && ok {
		file, _ = st.(map[string]any)
	}
	db := openTestStore(t, target)
	defer db.Close()
	if raw, ok, err := db.LoadStrategyState(context.Background(), "saver"); err == nil && ok {
		st, _, _ := decodeStateRow(raw)
		store, _ = st.(map[string]any)
	}
	return file, store
}

// A host killed with SIGKILL restarts each strategy from its last
// checkpoint (ctx.save), written after its fills and at least every minute
// of engine time, not from nil: before, a strategy's state survived only a
// clean stop. With the state files removed the store's copy does it alone.
func TestFaultKillRestoresCheckpoint(t *testing.T) {
	long(t, "runs qb twice per store")
	eachStore(t, func(t *testing.T, target string) {
		scripts, data := t.TempDir(), t.TempDir()
		writeScript(t, scripts, "saver.lua", saver)
		args := []string{"run", "--scripts", scripts, "--store", target, "--data-dir", data, "--warmup", "0",
			"--pace", "2m", "--report-every", "1h", "--watch=false", "--log-format", "json"}
		first := startQB(t, args...)
		at := first.waitFor(t, "saved", func(l map[string]any) bool { return num(l, "fills") >= 2 })
		// Both copies catch up with the saves within moments of them.
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			file, store := onDisk(t, data, target)
			if num(file, "bars") >= num(at, "bars") && num(store, "bars") >= num(at, "bars") &&
				num(file, "fills") >= num(at, "fills") && num(store, "fills") >= num(at, "fills") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("30 s after the save %v the state file holds %v and the store %v", at, file, store)
			}
		}
		first.kill(t) // no on_stop: only the checkpoints
		saves := first.logLines("saved")
		last := saves[len(saves)-1]
		file, store := onDisk(t, data, target)
		// With both copies the versions tie: either may be restored. With
		// the state files removed the store alone must do it.
		want, from := file, ""
		if strings.HasPrefix(target, "postgres") {
			if err := os.RemoveAll(filepath.Join(data, "state")); err != nil {
				t.Fatal(err)
			}
			want, from = store, "store"
		}

		second := startQB(t, args...)
		restored := second.waitLog(t, "strategy state restored")
		started := second.waitLog(t, "saver started")
		second.waitLog(t, "running; Ctrl-C stops")
		second.stop(t)
		if started["got"] != true {
			t.Fatalf("after kill -9 on_start got nil; the last save before the kill was %v", last)
		}
		if (from != "" && restored["from"] != from) || num(started, "bars") != num(want, "bars") || num(started, "fills") != num(want, "fills") {
			t.Errorf("on_start got bars %v fills %v (restored from %v); the %s holds %v", started["bars"], started["fills"], restored["from"], from, want)
		}
		// No older than a minute of engine time (a bar) and the write:
		// two bars, and every fill up to the save the copies were seen to hold.
		if num(started, "bars") < num(last, "bars")-2 || num(started, "bars") > num(last, "bars") ||
			num(started, "fills") < num(at, "fills") || num(started, "fills") > num(last, "fills") {
			t.Errorf("on_start got bars %v fills %v; the last save before the kill was %v, the copies held %v", started["bars"], started["fills"], last, at)
		}
		if num(started, "runs") != 2 {
			t.Errorf("on_start runs %v, want 2", started["runs"])
		}
	})
}

// counter keeps its state only in on_stop's table.
const counter = `
local s = { name = "counter", symbols = { "005930" }, timeframe = "1m" }
local bars, runs = 0, 0
function s.on_start(ctx, state)
  if state then bars, runs = state.bars, state.runs end
  runs = runs + 1
  ctx.log.info("counter started", { bars = bars, runs = runs, got = state ~= nil })
end
function s.on_bar(ctx, bar)
  bars = bars + 1
  ctx.log.info("bar counted", { bars = bars })
end
function s.on_stop(ctx)
  ctx.log.info("counter stopped", { bars = bars, runs = runs })
  return { bars = bars, runs = runs }
end
return s
`

// With the database gone for good, Ctrl-C exits within seconds (it took
// 40 s) and the on_stop table is not lost: the state file keeps it, and
// the next start, with the database back, hands it to on_start.
func TestFaultStoreDownCtrlCKeepsStateInFile(t *testing.T) {
	long(t, "runs a private PostgreSQL cluster and qb twice")
	pg := privatePostgres(t)
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "counter.lua", counter)
	args := []string{"run", "--scripts", scripts, "--store", pg.target(), "--data-dir", data, "--warmup", "0",
		"--pace", "2m", "--report-every", "1h", "--watch=false", "--log-format", "json"}
	first := startQB(t, args...)
	first.waitFor(t, "bar counted", func(l map[string]any) bool { return num(l, "bars") >= 3 })
	pg.down(t)
	first.waitFor(t, "bar counted", func(l map[string]any) bool { return num(l, "bars") >= 6 })
	begin := time.Now()
	_ = first.cmd.Process.Signal(os.Interrupt)
	select {
	case <-first.done:
	case <-time.After(time.Minute):
		t.Fatalf("qb run did not stop within a minute of Ctrl-C:\n%.4000s", first.log.String())
	}
	took := time.Since(begin)
	t.Logf("Ctrl-C with the database down: exit in %v", took.Round(10*time.Millisecond))
	if took > 15*time.Second {
		t.Errorf("Ctrl-C with the database down took %v to exit, want a few seconds", took.Round(time.Second))
	}
	stopped := first.waitLog(t, "counter stopped")
	dir, err := statefile.Open(filepath.Join(data, "state"))
	if err != nil {
		t.Fatal(err)
	}
	st, _, ok, err := dir.LoadVersion(context.Background(), "counter")
	if err != nil || !ok || num(st.(map[string]any), "bars") != num(stopped, "bars") {
		t.Fatalf("state file holds %v (%v, %v); on_stop returned %v", st, ok, err, stopped)
	}

	pg.up(t)
	second := startQB(t, args...)
	restored := second.waitLog(t, "strategy state restored")
	started := second.waitLog(t, "counter started")
	second.waitLog(t, "running; Ctrl-C stops")
	second.stop(t)
	if started["got"] != true || num(started, "bars") != num(stopped, "bars") || num(started, "runs") != 2 {
		t.Errorf("on_start after the outage got %v; the run before stopped with %v", started, stopped)
	}
	if restored["from"] != "state file" {
		t.Errorf("state restored from %v, want the state file (the store never got it)", restored["from"])
	}
}
