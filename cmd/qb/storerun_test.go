package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/sqldb"
)

// qb run records every live tick exactly once, the bars it closes, and
// the orders, fills and positions of its strategies.
func TestRunRecordsIntoTheStore(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		scripts, data := t.TempDir(), t.TempDir()
		writeScript(t, scripts, "keeper.lua", keeper)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		args := []string{"run", "--scripts", scripts, "--data-dir", data,
			"--warmup", "2", "--pace", "30s", "--watch=false", "--log-format", "json"}
		if isPostgres(target) {
			args = append(args, "--store", target)
		} else {
			target = filepath.Join(data, "qb.db") // the default store
		}
		out, errOut, code := qb(t, ctx, args...)
		if code != 0 {
			t.Fatalf("exit %d: %.3000s", code, errOut)
		}
		live := liveTicks(t, out, errOut)
		if _, err := os.Stat(target); !isPostgres(target) && err != nil {
			t.Fatalf("no SQLite file in the data directory: %v", err)
		}
		st := openTestStore(t, target)
		bg := context.Background()
		// The simulator numbers its ticks across symbols: the stored ones
		// must run without a gap or a repeat. A few more than the engine
		// processed may be stored: ticks on their way (the channel holds
		// 1024) when Ctrl-C came.
		var seqs []int64
		for tk, err := range st.Ticks(bg, nil, time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
			if err != nil {
				t.Fatal(err)
			}
			seqs = append(seqs, tk.Seq)
		}
		slices.Sort(seqs)
		for i := 1; i < len(seqs); i++ {
			if seqs[i] != seqs[i-1]+1 {
				t.Fatalf("stored tick seqs jump from %d to %d: a tick lost or doubled", seqs[i-1], seqs[i])
			}
		}
		if n := len(seqs); live == 0 || n < live || n > live+1024 {
			t.Errorf("%d ticks stored, the engine processed %d live ticks", n, live)
		}
		bars := 0
		for _, err := range st.Bars(bg, []market.Symbol{"005930"}, market.Min1, time.Unix(0, 0), time.Now().AddDate(10, 0, 0)) {
			if err != nil {
				t.Fatal(err)
			}
			bars++
		}
		fills, err := st.Fills(bg, "keeper", time.Unix(0, 0), time.Now().AddDate(10, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		pos, err := st.Positions(bg, "keeper")
		if err != nil {
			t.Fatal(err)
		}
		if bars < 2*390 || len(fills) == 0 || len(pos) != 1 || pos[0].Qty != int64(len(fills)) {
			t.Fatalf("stored %d 1m bars, %d fills, positions %+v: want two sessions of bars and one share per fill", bars, len(fills), pos)
		}
	})
}

// liveTicks is the number of ticks the run processed after its warm-up:
// the summary's total less the warm-up the log reports.
func liveTicks(t *testing.T, summary, log string) int {
	t.Helper()
	var total, warm int
	if _, err := fmtSscan(summary, &total); err != nil {
		t.Fatalf("summary %q: %v", summary, err)
	}
	for _, line := range strings.Split(log, "\n") {
		var l struct {
			Message string `json:"message"`
			Warmup  int    `json:"warmup_ticks"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Message == "running; Ctrl-C stops" {
			warm = l.Warmup
		}
	}
	return total - warm
}

// --store none is the old behaviour: state files, no database.
func TestRunWithoutStoreKeepsStateFiles(t *testing.T) {
	scripts, data, state := t.TempDir(), t.TempDir(), t.TempDir()
	writeScript(t, scripts, "keeper.lua", keeper)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, errOut, code := qb(t, ctx, "run", "--scripts", scripts, "--store", "none", "--data-dir", data, "--state-dir", state,
		"--warmup", "1", "--pace", "30s", "--watch=false", "--log-format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %.3000s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(state, "keeper.json")); err != nil {
		t.Errorf("no state file: %v", err)
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("--store none wrote %v into the data directory", entries)
	}
}

func fmtSscan(s string, total *int) (int, error) { return fmt.Sscanf(s, "%d ticks", total) }

// A host that ran with --store none and now runs with a store starts each
// strategy from its state file until the store has a state of its own.
func TestStoreTakesOverStateFiles(t *testing.T) {
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "keeper.lua", keeper)
	run := func(store, warmup string) []map[string]any {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, errOut, code := qb(t, ctx, "run", "--scripts", scripts, "--store", store, "--data-dir", data,
			"--warmup", warmup, "--pace", "30s", "--watch=false", "--log-format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %.3000s", code, errOut)
		}
		var starts []map[string]any
		for _, line := range strings.Split(errOut, "\n") {
			var l map[string]any
			if json.Unmarshal([]byte(line), &l) == nil && l["message"] == "keeper started" {
				starts = append(starts, l)
			}
		}
		if len(starts) != 1 {
			t.Fatalf("%d keeper started lines: %v", len(starts), starts)
		}
		return starts
	}
	run("none", "1")
	got := run("", "0")[0] // the default store, in data/qb.db
	if got["runs"] != 2.0 || got["bars"].(float64) < 390 {
		t.Fatalf("second run started with %v; want the first run's state (runs 1, a session of bars) carried over", got)
	}
	if again := run("", "0")[0]; again["runs"] != 3.0 {
		t.Fatalf("third run started with %v; want the store's state (runs 2)", again)
	}
}

// A restarted simulator resumes after the last stored tick, so the store
// never holds two simulated tapes over the same seconds (the simulator
// trades one symbol per second: stored times must rise strictly).
func TestRestartedSimulatorResumesAfterLastTick(t *testing.T) {
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "keeper.lua", keeper)
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, errOut, code := qb(t, ctx, "run", "--scripts", scripts, "--data-dir", data,
			"--warmup", "0", "--pace", "10s", "--watch=false", "--log-format", "json")
		cancel()
		if code != 0 {
			t.Fatalf("exit %d: %.3000s", code, errOut)
		}
	}
	st := openTestStore(t, filepath.Join(data, "qb.db"))
	var prev time.Time
	n, restarts := 0, 0
	for tk, err := range st.Ticks(context.Background(), nil, time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
		if err != nil {
			t.Fatal(err)
		}
		if !tk.Time.After(prev) {
			t.Fatalf("tick %d at %v does not follow %v: the second run simulated over the first", n, tk.Time, prev)
		}
		if tk.Seq == 1 {
			restarts++
		}
		prev = tk.Time
		n++
	}
	if restarts != 2 {
		t.Fatalf("%d ticks stored from %d runs, want ticks of two runs", n, restarts)
	}
}

// Each order the risk gate refuses lands in system_logs with its reason.
func TestRejectedOrdersReachSystemLogs(t *testing.T) {
	scripts, data := t.TempDir(), t.TempDir()
	writeScript(t, scripts, "offgrid.lua", `
local s = { name = "offgrid", symbols = { "005930" }, timeframe = "1m" }
function s.on_bar(ctx, bar) ctx.buy(bar.symbol, 1, bar.close + 1) end -- never on the tick grid
return s
`)
	// Long enough for the warm-up session's 390 bars under -race on a
	// busy machine; the run ends when the context does.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
	defer cancel()
	_, errOut, code := qb(t, ctx, "run", "--scripts", scripts, "--data-dir", data,
		"--warmup", "1", "--pace", "30s", "--watch=false", "--log-format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %.3000s", code, errOut)
	}
	st, ok := openTestStore(t, filepath.Join(data, "qb.db")).(*sqldb.SQLite)
	if !ok {
		t.Fatal("the default store is not SQLite")
	}
	var n int
	var details string
	err := st.DB().QueryRow(`SELECT count(*), max(details) FROM system_logs
		WHERE component = 'engine' AND message = 'order rejected'`).Scan(&n, &details)
	if err != nil {
		t.Fatal(err)
	}
	if n < 300 || !strings.Contains(details, `"strategy":"offgrid"`) || !strings.Contains(details, "tick grid") {
		t.Fatalf("%d rejections in system_logs, one of them %s: want one per bar of a session, with the reason", n, details)
	}
}
