package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// qb runs the binary's Main with buffers, as a user would from a shell.
func qb(t *testing.T, ctx context.Context, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb syncBuffer // the recorder logs from its own goroutine
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := m.Run(ctx, args)
	code = 0
	if err != nil {
		code = exitCode(err)
		_, _ = errb.Write([]byte(err.Error()))
	}
	return out.String(), errb.String(), code
}

func writeScript(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var daily = []string{"--data", "../../testdata/krx/daily/005930.csv", "--data", "../../testdata/krx/daily/035420.csv"}

func TestCommandsAndHelp(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"version"}, 0, "qb dev"},
		{[]string{"--help"}, 0, "replay"},
		{nil, 2, "Usage"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run", "--help"}, 0, "--scripts"},
		{[]string{"replay", "--help"}, 0, "--report"},
		{[]string{"replay", "--help"}, 0, "--quiet"},
		{[]string{"replay", "--help"}, 0, "3  the replay ran, but at least one strategy failed"},
		{[]string{"check", "--help"}, 0, "--param"},
		{[]string{"version", "--help"}, 0, "print the version"},
		{[]string{"replay", "--data", "x.csv"}, 2, "--data (or --store) and --strategy are required"},
		{[]string{"run", "--feed", "kis2"}, 2, `--feed "kis2"`},
		{[]string{"replay", "--bogus"}, 2, "unknown flag: --bogus"},
		{[]string{"replay", "--log-format", "xml", "--data", "a", "--strategy", "b"}, 2, "--log-format"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, code := qb(t, ctx, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("output lacks %q\nstdout: %s\nstderr: %s", tc.want, out, errOut)
			}
		})
	}
}

func TestReplayWritesReportAndSummary(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report.json")
	args := append([]string{"replay", "--strategy", "../../scripts/ma_cross.lua", "--param", "fast=3", "--report", report}, daily...)
	out, errOut, code := qb(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "ma_cross") || !strings.Contains(out, "final equity") {
		t.Fatalf("summary lacks the strategy row:\n%s", out)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Strategies []struct {
			Name  string `json:"name"`
			Stats struct {
				Trades int `json:"trades"`
			} `json:"stats"`
			Fills       []json.RawMessage `json:"fills"`
			Equity      []json.RawMessage `json:"equity"`
			StartCash   int64             `json:"start_cash"`
			FinalCash   int64             `json:"final_cash"`
			FinalEquity int64             `json:"final_equity"`
		} `json:"strategies"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Strategies) != 1 || rep.Strategies[0].Stats.Trades == 0 || len(rep.Strategies[0].Fills) == 0 {
		t.Fatalf("report: %+v", rep)
	}
	if rep.Strategies[0].StartCash != 100_000_000 {
		t.Fatalf("start_cash %d, want the 100,000,000 default", rep.Strategies[0].StartCash)
	}
}

func TestReplayRejectsUnknownParam(t *testing.T) {
	args := append([]string{"replay", "--strategy", "../../scripts/ma_cross.lua", "--param", "fsat=3"}, daily...)
	_, errOut, code := qb(t, context.Background(), args...)
	if code == 0 || !strings.Contains(errOut, "fsat") {
		t.Fatalf("exit %d, stderr %q: want a failure naming fsat", code, errOut)
	}
}

func TestSyntaxErrorFailsCheckAndReplay(t *testing.T) {
	dir := t.TempDir()
	bad := writeScript(t, dir, "bad.lua", "local s = {name='bad', symbols={'005930'}, timeframe='1d'}\nfunction s.on_bar(ctx, bar)\n  if then end\nend\nreturn s\n")
	out, _, code := qb(t, context.Background(), "check", bad)
	if code != 1 || !strings.Contains(out, bad+":3:") {
		t.Fatalf("check: exit %d, output %q: want exit 1 naming %s:3", code, out, bad)
	}
	_, errOut, code := qb(t, context.Background(), append([]string{"replay", "--strategy", bad}, daily...)...)
	if code == 0 || !strings.Contains(errOut, bad+":3:") {
		t.Fatalf("replay: exit %d, stderr %q: want a failure naming %s:3", code, errOut, bad)
	}
}

func TestCheckFindsRuntimeAndContractErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeScript(t, dir, "good.lua", "return {name='good', symbols={'005930'}, timeframe='1d', on_bar=function(ctx, bar) end}\n")
	runtime := writeScript(t, dir, "runtime.lua", "local s = {name='rt', symbols={'005930'}, timeframe='1d'}\nfunction s.on_bar(ctx, bar)\n  local x = nil\n  return x.field\nend\nreturn s\n")
	contract := writeScript(t, dir, "contract.lua", "return {name='c', symbols={'5930'}, timeframe='1d'}\n")
	out, _, code := qb(t, context.Background(), "check", good, runtime, contract)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{"ok " + good, runtime + ":4:", contract, "5930"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRunStopsCleanlyOnCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	out, errOut, code := qb(t, ctx, "run", "--scripts", "../../scripts", "--warmup", "25", "--pace", "1s",
		"--log-format", "json", "--data-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"ma_cross", "rsi_reversion", "bollinger"} {
		if !strings.Contains(out, name) {
			t.Errorf("summary lacks %s:\n%s", name, out)
		}
	}
	if !strings.Contains(errOut, `"message":"fill"`) {
		t.Errorf("no fill was logged in a warm-up of 25 sessions:\n%.2000s", errOut)
	}
}

func TestReplayWatchReplaysOnSave(t *testing.T) {
	dir := t.TempDir()
	src := "local s = {name='w', symbols={'005930'}, timeframe='1d', params={n=1}}\nfunction s.on_bar(ctx, bar) end\nreturn s\n"
	file := writeScript(t, dir, "w.lua", src)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"replay", "--watch", "--strategy", file, "--data", "../../testdata/krx/daily/005930.csv"})
	}()
	waitFor(t, &out, "watching for changes", 1)
	if err := os.WriteFile(file, []byte(src+"-- edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &out, "watching for changes", 2)
	if err := os.WriteFile(file, []byte(src+"x = = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &out, file+":4:", 1)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("replay --watch ended with %v", err)
	}
	if n := strings.Count(out.String(), "final equity"); n != 2 {
		t.Fatalf("%d summaries printed, want 2 (start, first save):\n%s", n, out.String())
	}
}

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits up to 10 s for want to appear n times in b.
func waitFor(t *testing.T, b *syncBuffer, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(b.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %q ×%d; output:\n%s", want, n, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// --memory reaches every strategy: a script that holds a few megabytes
// passes with the default budget and is stopped, with its file, under a
// 1 MiB one.
func TestMemoryFlagStopsAHog(t *testing.T) {
	hog := writeScript(t, t.TempDir(), "hog.lua", `local s = { name = "hog", symbols = { "005930" }, timeframe = "1d" }
local keep = {}
function s.on_bar(ctx, bar)
  for i = 1, 2000 do keep[#keep + 1] = ("x"):rep(200) .. i end
end
return s
`)
	ctx := context.Background()
	if out, _, code := qb(t, ctx, "check", hog); code != 0 {
		t.Fatalf("with the default budget: exit %d\n%s", code, out)
	}
	out, _, code := qb(t, ctx, "check", "--memory", "1MiB", hog)
	if code != 1 || !strings.Contains(out, hog) || !strings.Contains(out, "memory budget of 1 MiB") {
		t.Fatalf("with --memory 1MiB: exit %d, output %q; want exit 1 naming %s and its 1 MiB budget", code, out, hog)
	}
	if _, errOut, code := qb(t, ctx, "check", "--memory", "lots", hog); code != 2 || !strings.Contains(errOut, "--memory") {
		t.Fatalf("--memory lots: exit %d, %q", code, errOut)
	}
}

// A strategy its failures stopped runs again when the operator sends
// SIGHUP (kill -HUP), without a change to its file.
func TestHangupRestartsStoppedStrategies(t *testing.T) {
	scripts := t.TempDir()
	writeScript(t, scripts, "flaky.lua", `local s = { name = "flaky", symbols = { "005930" }, timeframe = "1m" }
function s.on_bar(ctx, bar) error("boom") end
return s
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errOut syncBuffer
	hup := make(chan os.Signal, 1)
	m := &Main{Stdout: io.Discard, Stderr: &errOut, Getenv: func(string) string { return "" }, Hangup: hup}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"run", "--scripts", scripts, "--warmup", "0", "--pace", "20s", "--max-failures", "1",
			"--store", "none", "--data-dir", t.TempDir(), "--watch=false", "--log-format", "json"})
	}()
	waitFor(t, &errOut, `boom`, 1) // the first bar fails and stops it
	hup <- syscall.SIGHUP
	waitFor(t, &errOut, "strategy restarted by the operator", 1)
	waitFor(t, &errOut, `boom`, 2) // it ran again: its next bar fails again
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run ended with %v", err)
	}
}
