package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stuckOnStop is a strategy whose on_stop never returns.
const stuckOnStop = `local s = { name = "stuck", symbols = { "005930" }, timeframe = "1d" }
function s.on_bar(ctx, bar) end
function s.on_stop(ctx)
  while true do end
end
return s
`

// failingFolder is a folder holding the shipped ma_cross (with the modules
// it requires) and stuck.lua.
func failingFolder(t *testing.T) (dir, good, bad string) {
	t.Helper()
	dir = t.TempDir()
	for _, f := range []string{"ma_cross.lua", "lib/sizing.lua"} {
		src, err := os.ReadFile(filepath.Join("../../scripts", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeScript(t, dir, f, string(src))
	}
	return dir, filepath.Join(dir, "ma_cross.lua"), writeScript(t, dir, "stuck.lua", stuckOnStop)
}

// reportStrategies reads a report's strategies, each as its raw JSON, by name.
func reportStrategies(t *testing.T, path string) map[string]json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct{ Strategies []json.RawMessage }
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	out := map[string]json.RawMessage{}
	for _, s := range rep.Strategies {
		var id struct{ Name string }
		if err := json.Unmarshal(s, &id); err != nil {
			t.Fatal(err)
		}
		out[id.Name] = s
	}
	return out
}

// A strategy whose on_stop overruns its budget costs the one beside it
// nothing: from files or from a store, the summary and the report cover
// both, ma_cross's figures are those of a replay of it alone, stuck is
// marked with its error, and qb exits 3.
func TestFailingStrategyKeepsTheOthersResults(t *testing.T) {
	dir, good, bad := failingFolder(t)
	db := filepath.Join(t.TempDir(), "qb.db")
	mustQB(t, "import", "--store", db, "--log-level", "warn", dailyFiles[0])
	for _, tc := range []struct {
		name   string
		source []string
	}{
		{"files", []string{"--data", dailyFiles[0]}},
		{"store", []string{"--store", db, "--symbols", "005930", "--from", "2016-01-01", "--to", "2019-12-31"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reports := t.TempDir()
			run := func(strategy string, code int) (string, map[string]json.RawMessage) {
				t.Helper()
				report := filepath.Join(reports, filepath.Base(strategy)+".json")
				args := append([]string{"replay", "--strategy", strategy, "--budget", "100ms",
					"--log-level", "error", "--report", report}, tc.source...)
				out, errOut, got := qb(t, context.Background(), args...)
				if got != code {
					t.Fatalf("qb %s: exit %d, want %d\nstdout: %s\nstderr: %.3000s", strings.Join(args, " "), got, code, out, errOut)
				}
				if code == exitFailed && !strings.Contains(errOut, "1 of 2 strategies failed: stuck") {
					t.Errorf("stderr does not name the failing strategy:\n%.3000s", errOut)
				}
				return out, reportStrategies(t, report)
			}
			out, both := run(dir, exitFailed)
			_, alone := run(good, 0)
			if !strings.Contains(out, "ma_cross") || !strings.Contains(out, "failed: "+bad+":4: on_stop: exceeded the time budget") {
				t.Errorf("summary lacks ma_cross or stuck's error:\n%s", out)
			}
			if len(both) != 2 || !bytes.Equal(both["ma_cross"], alone["ma_cross"]) {
				t.Errorf("ma_cross beside stuck:\n%s\nalone:\n%s", both["ma_cross"], alone["ma_cross"])
			}
			var stuck struct {
				Status string
				Error  struct {
					Cause, Hook, File string
					Line              int
				}
			}
			if err := json.Unmarshal(both["stuck"], &stuck); err != nil {
				t.Fatal(err)
			}
			if e := stuck.Error; e.Cause != "timeout" || e.Hook != "on_stop" || e.File != bad || e.Line != 4 {
				t.Errorf("stuck's error %+v, want a timeout in on_stop at %s:4", e, bad)
			}
		})
	}
}

// qb replay --watch prints a failing strategy's summary and error, and
// keeps watching; Ctrl-C still ends it cleanly.
func TestReplayWatchGoesOnAfterAFailure(t *testing.T) {
	dir, _, _ := failingFolder(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"replay", "--watch", "--strategy", dir, "--data", dailyFiles[0],
			"--budget", "100ms", "--log-level", "error"})
	}()
	waitFor(t, &out, "watching for changes", 1)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("replay --watch ended with %v", err)
	}
	for _, want := range []string{"final equity", "failed: ", "1 of 2 strategies failed: stuck"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
