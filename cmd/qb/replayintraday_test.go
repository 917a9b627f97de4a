package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minuteBars writes 005930.csv of n bars gap minutes apart from 09:00 KST.
func minuteBars(t *testing.T, n, gap int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("time,open,high,low,close,volume\n")
	for i := 0; i < n; i++ {
		m := 9*60 + i*gap
		o := 70000 + 100*i
		fmt.Fprintf(&b, "20240102%02d%02d00,%d,%d,%d,%d,%d\n", m/60, m%60, o, o+300, o-200, o+100, 1000)
	}
	path := filepath.Join(t.TempDir(), "005930.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const minuteStrategy = `local s = { name = "minute", symbols = { "005930" }, timeframe = "1m" }
function s.on_bar(ctx, bar) if ctx.position(bar.symbol).qty == 0 then ctx.buy(bar.symbol, 1) end end
return s
`

// qb replay --data of 1m bars: the timeframe inferred and logged, or given
// with --timeframe; a strategy finer than the bars exits 1 naming it.
func TestReplayIntradayData(t *testing.T) {
	strategy := writeScript(t, t.TempDir(), "minute.lua", minuteStrategy)
	data := minuteBars(t, 30, 1)
	out, errOut, code := qb(t, context.Background(), "replay", "--data", data, "--strategy", strategy, "--log-level", "info")
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %.3000s", code, out, errOut)
	}
	if !strings.Contains(errOut, data+": 1m bars (inferred)") || !strings.Contains(out, "minute") {
		t.Errorf("the log does not state the inferred timeframe, or the summary lacks the strategy:\nstdout: %s\nstderr: %.3000s", out, errOut)
	}

	sparse := minuteBars(t, 10, 2) // no timeframe to infer from
	if _, errOut, code := qb(t, context.Background(), "replay", "--data", sparse, "--strategy", strategy); code != 1 || !strings.Contains(errOut, "--timeframe") {
		t.Errorf("2m gaps inferred: exit %d, stderr %.2000s; want 1 and a hint at --timeframe", code, errOut)
	}
	if out, errOut, code := qb(t, context.Background(), "replay", "--data", sparse, "--strategy", strategy, "--timeframe", "1m", "--log-level", "info"); code != 0 || !strings.Contains(errOut, sparse+": 1m bars\"") {
		t.Errorf("--timeframe 1m: exit %d\nstdout: %s\nstderr: %.3000s", code, out, errOut)
	}
	if _, _, code := qb(t, context.Background(), "replay", "--data", sparse, "--strategy", strategy, "--timeframe", "2m"); code != 2 {
		t.Errorf("--timeframe 2m: exit %d, want 2", code)
	}

	fives := minuteBars(t, 10, 5)
	_, errOut, code = qb(t, context.Background(), "replay", "--data", fives, "--strategy", strategy)
	if code != 1 || !strings.Contains(errOut, "strategy minute has timeframe 1m, finer than the 5m bars of "+fives) {
		t.Errorf("1m strategy on 5m bars: exit %d, stderr %.3000s; want 1 and the error", code, errOut)
	}
}
