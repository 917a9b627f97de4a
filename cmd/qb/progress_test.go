package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// slowClock is a wall clock that moves 10s at every reading, so any replay
// lasts long enough for the progress line to be drawn.
func slowClock() func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(10 * time.Second)
		return t
	}
}

// withSlowClock sets replayClock to slowClock for the test.
func withSlowClock(t *testing.T) {
	old := replayClock
	replayClock = slowClock()
	t.Cleanup(func() { replayClock = old })
}

// qbTerminal runs qb in process with stderr taken for a terminal.
func qbTerminal(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb syncBuffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Terminal: true}
	if err := m.Run(context.Background(), args); err != nil {
		return out.String(), errb.String() + err.Error(), exitCode(err)
	}
	return out.String(), errb.String(), 0
}

func TestReplayProgress(t *testing.T) {
	withSlowClock(t)
	args := append([]string{"replay", "--strategy", "../../scripts/ma_cross.lua", "--log-format", "json"}, daily...)
	plainOut, plainErr, code := qb(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, plainErr)
	}
	if strings.Contains(plainErr, "\r") {
		t.Fatalf("progress drawn on a stderr that is not a terminal: %q", plainErr)
	}

	out, errOut, code := qbTerminal(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != plainOut {
		t.Errorf("the summary changes with progress on:\n%s\nwant\n%s", out, plainOut)
	}
	if strings.Contains(out, "\r") || strings.Contains(out, "ticks/s") {
		t.Errorf("progress in stdout: %q", out)
	}
	var last string
	for _, l := range strings.Split(errOut, "\r") {
		if strings.HasPrefix(l, "replay: ") {
			last = l
		}
	}
	for _, want := range []string{" ticks ", " ticks/s ", " KST", " in "} {
		if !strings.Contains(last, want) {
			t.Errorf("progress line %q lacks %q (stderr %q)", last, want, errOut)
		}
	}

	out, errOut, code = qbTerminal(t, append(args, "--quiet")...)
	if code != 0 {
		t.Fatalf("--quiet: exit %d: %s", code, errOut)
	}
	if out != plainOut || strings.Contains(errOut, "\r") || strings.Contains(errOut, "ticks/s") {
		t.Errorf("--quiet: stdout %q, stderr %q", out, errOut)
	}
}

// TestReplayProgressOffOnAPipe runs the binary with stderr captured, which
// is not a terminal: no progress line, however long the replay.
func TestReplayProgressOffOnAPipe(t *testing.T) {
	args := append([]string{"replay", "--strategy", "../../scripts/ma_cross.lua", "--log-format", "json"}, daily...)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "QB_TEST_CHILD=1", "QB_TEST_SLOW_CLOCK=1")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("qb replay: %v\n%s", err, stderr.String())
	}
	if s := stderr.String(); strings.Contains(s, "\r") || strings.Contains(s, "ticks/s") {
		t.Fatalf("progress on a stderr that is a pipe: %q", s)
	}
	want, _, _ := qb(t, context.Background(), args...)
	if stdout.String() != want {
		t.Fatalf("stdout of the binary:\n%s\nwant\n%s", stdout.String(), want)
	}
}
