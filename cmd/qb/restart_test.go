package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// TestMain lets a test run the qb binary as a child process: the test
// binary re-executes itself with QB_TEST_CHILD=1 and qb's arguments.
func TestMain(m *testing.M) {
	if os.Getenv("QB_TEST_CHILD") == "1" {
		if os.Getenv("QB_TEST_SLOW_CLOCK") == "1" {
			replayClock = slowClock() // every replay is long enough to draw progress
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// keeper trades one share every 25 bars, keeps a limit buy far below the
// market working, and hands over how many bars it has seen and how many
// times it started.
const keeper = `
local s = { name = "keeper", symbols = { "005930" }, timeframe = "1m" }
local bars, runs = 0, 0
function s.on_start(ctx, state)
  if state then bars, runs = state.bars or 0, state.runs or 0 end
  runs = runs + 1
  ctx.log.info("keeper started", { bars = bars, runs = runs })
end
function s.on_bar(ctx, bar)
  bars = bars + 1
  if bars % 25 == 0 then ctx.buy(bar.symbol, 1) end
  if #ctx.orders() == 0 then ctx.buy(bar.symbol, 1, math.floor(bar.close * 0.85 / 1000) * 1000) end
end
function s.on_stop(ctx) return { bars = bars, runs = runs } end
return s
`

// child is qb run in its own process.
type child struct {
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan error
}

func startQB(t *testing.T, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...), log: &syncBuffer{}, done: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), "QB_TEST_CHILD=1")
	c.cmd.Stderr, c.cmd.Stdout = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(func() { _ = c.cmd.Process.Kill() })
	return c
}

// waitLog waits for a log line with this message and returns it decoded.
func (c *child) waitLog(t *testing.T, msg string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(c.log.String()))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) == nil && line["message"] == msg {
				return line
			}
		}
		select {
		case err := <-c.done:
			t.Fatalf("qb ended (%v) before logging %q:\n%.4000s", err, msg, c.log.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no %q in 2 minutes:\n%.4000s", msg, c.log.String())
	return nil
}

// stop interrupts the child as Ctrl-C would and waits for a clean exit.
func (c *child) stop(t *testing.T) {
	t.Helper()
	_ = c.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-c.done:
		if err != nil {
			t.Fatalf("qb run after Ctrl-C: %v\n%.4000s", err, c.log.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("qb run did not stop within a minute of Ctrl-C")
	}
}

func (c *child) kill(t *testing.T) {
	t.Helper()
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

// waitWorking waits until the store holds a working order the live
// session placed, at or after its first tick (the first stored after
// the last run's, given as after; warm-up ticks are not stored): the store
// is written from the journal in order, so it also holds the warm-up's
// last day ending.
func waitWorking(t *testing.T, target string, after time.Time) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		st := openTestStore(t, target)
		open, err := st.OpenOrders(context.Background())
		var first time.Time
		if err == nil {
			first, err = firstTick(st, after)
		}
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range open {
			if !first.IsZero() && !o.Created.Before(first) {
				return
			}
		}
	}
	t.Fatal("no working order stored within a minute of live trading")
}

// stored is what the store held for keeper after the kill.
type stored struct {
	cash      int64
	positions []market.Position
	open      []int64
	seqs      []int64 // the open orders' numbers in their strategy
	state     map[string]any
	fills     int
}

func readStored(t *testing.T, target string) stored {
	t.Helper()
	st := openTestStore(t, target)
	defer st.Close()
	ctx := context.Background()
	var s stored
	fills, err := st.Fills(ctx, "keeper", time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s.fills, s.cash = len(fills), 100_000_000
	for i := range fills {
		s.cash += fills[i].CashDelta()
	}
	if s.positions, err = st.Positions(ctx, "keeper"); err != nil {
		t.Fatal(err)
	}
	open, err := st.OpenOrders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range open {
		s.open = append(s.open, o.ID)
		s.seqs = append(s.seqs, o.Seq)
	}
	raw, ok, err := st.LoadStrategyState(ctx, "keeper")
	if err != nil || !ok {
		t.Fatalf("no state stored (%v)", err)
	}
	state, _, err := decodeStateRow(raw)
	if err != nil {
		t.Fatal(err)
	}
	s.state, _ = state.(map[string]any)
	return s
}

// A host killed with SIGKILL restarts with the positions, cash, working
// orders and strategy state its store held.
func TestRestartAfterKillRestoresFromStore(t *testing.T) {
	long(t, "runs qb three times")
	eachStore(t, func(t *testing.T, target string) {
		scripts, data := t.TempDir(), t.TempDir()
		writeScript(t, scripts, "keeper.lua", keeper)
		args := func(warmup string) []string {
			return []string{"run", "--scripts", scripts, "--store", target, "--data-dir", data, "--warmup", warmup,
				"--pace", "10m", "--report-every", "1h", "--watch=false", "--log-format", "json"}
		}
		first := startQB(t, args("2")...)
		first.waitLog(t, "running; Ctrl-C stops")
		first.stop(t) // on_stop's state goes to the store
		st := openTestStore(t, target)
		last, err := lastTick(context.Background(), st)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}

		second := startQB(t, args("2")...)
		second.waitLog(t, "account restored")
		second.waitLog(t, "running; Ctrl-C stops")
		waitWorking(t, target, last)
		second.kill(t) // no on_stop, no flush: only what was journaled
		storeJournal(t, target, data)
		want := readStored(t, target)
		if want.fills == 0 || len(want.positions) == 0 || len(want.open) == 0 {
			t.Fatalf("before the restart the store holds %+v: the test needs fills, a position and a working order", want)
		}

		third := startQB(t, args("0")...)
		got := third.waitLog(t, "account restored")
		started := third.waitLog(t, "keeper started")
		third.waitLog(t, "running; Ctrl-C stops")
		third.stop(t)
		checkRestored(t, got, started, want)

		after := readStored(t, target)
		if len(after.open) != 0 {
			t.Errorf("working orders %v left after a clean stop; the restored ones were not on the books", after.open)
		}
	})
}

func checkRestored(t *testing.T, got, started map[string]any, want stored) {
	t.Helper()
	if cash := int64(got["cash"].(float64)); cash != want.cash {
		t.Errorf("restored cash %d, store's fills say %d", cash, want.cash)
	}
	var pos []market.Position
	raw, _ := json.Marshal(got["positions"])
	if err := json.Unmarshal(raw, &pos); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pos, want.positions) {
		t.Errorf("restored positions %+v, store holds %+v", pos, want.positions)
	}
	var ids, seqs []int64
	for _, o := range got["open_orders"].([]any) {
		ids = append(ids, int64(o.(map[string]any)["id"].(float64)))
		seqs = append(seqs, int64(o.(map[string]any)["seq"].(float64)))
	}
	if !slices.Equal(ids, want.open) || !slices.Equal(seqs, want.seqs) || slices.Contains(seqs, 0) {
		t.Errorf("restored working orders %v numbered %v, store holds %v numbered %v", ids, seqs, want.open, want.seqs)
	}
	// The killed run never stopped, so the state is the first run's, and
	// this is the second start that state has seen.
	if started["bars"] != want.state["bars"] || started["runs"] != 2.0 || want.state["runs"] != 1.0 {
		t.Errorf("on_start saw bars=%v runs=%v; store holds %v", started["bars"], started["runs"], want.state)
	}
}
