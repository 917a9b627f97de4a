package tape

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

// TestFaultDevZero reads /dev/zero, a line with no end: the reader must
// stop at MaxLine with an error naming line 1, not read it into memory.
func TestFaultDevZero(t *testing.T) {
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skipf("no /dev/zero here: %v", err)
	}
	defer f.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = ReadTicks(f, "/dev/zero", Options{Symbol: "005930"})
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() != "/dev/zero:1: longer than 64 KiB" {
		t.Fatalf("err = %v, want /dev/zero:1: longer than 64 KiB", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("reading /dev/zero allocated %d bytes, want under 4 MiB", grew)
	}
}

// TestFaultLongLine puts one line over the cap after good ones: the error
// names its line; a line just under the cap is read.
func TestFaultLongLine(t *testing.T) {
	head := "time,symbol,price,volume,note\n20240304090000,005930,73000,1,x\n"
	pad := func(n int) string { // a record line of exactly n bytes, its \n included
		prefix := "20240304090001,005930,73000,1,"
		return prefix + strings.Repeat("y", n-len(prefix)-1) + "\n"
	}
	ticks, err := ReadTicks(strings.NewReader(head+pad(MaxLine)), "ok.csv", Options{})
	if err != nil || len(ticks) != 2 {
		t.Fatalf("a line of exactly %d bytes: %d ticks, %v", MaxLine, len(ticks), err)
	}
	_, err = ReadTicks(strings.NewReader(head+pad(MaxLine+1)+"20240304090002,005930,73000,1,z\n"), "long.csv", Options{})
	var te *Error
	if !errors.As(err, &te) || te.Line != 3 || err.Error() != "long.csv:3: longer than 64 KiB" {
		t.Fatalf("err = %v, want long.csv:3: longer than 64 KiB", err)
	}
	// A quoted field may span lines; each physical line is capped.
	quoted := "time,symbol,price,volume,note\n20240304090000,005930,73000,1,\"a\n" + strings.Repeat("b", MaxLine) + "\"\n"
	if _, err := ReadTicks(strings.NewReader(quoted), "q.csv", Options{}); err == nil || !strings.HasPrefix(err.Error(), "q.csv:3: longer") {
		t.Fatalf("err = %v, want q.csv:3: longer than 64 KiB", err)
	}
}

// TestFaultTicksBackwards: a tick of a symbol stamped before the previous
// tick of that symbol is an error at its line; equal times and another
// symbol's earlier time are not.
func TestFaultTicksBackwards(t *testing.T) {
	ok := "time,symbol,price,volume\n" +
		"20240304090001,005930,73000,1\n" +
		"20240304090001,005930,73100,1\n" + // same second: fine
		"20240304090000,000660,158000,1\n" + // another symbol's clock
		"20240304090002,005930,73000,1\n"
	if ticks, err := ReadTicks(strings.NewReader(ok), "ok.csv", Options{}); err != nil || len(ticks) != 4 {
		t.Fatalf("%d ticks, %v", len(ticks), err)
	}
	bad := "time,symbol,price,volume\n" +
		"2024-03-04T09:00:05+09:00,005930,73000,1\n" +
		"2024-03-04T09:00:06+09:00,005930,73000,1\n" +
		"2024-03-04T09:00:01.5+09:00,005930,73100,1\n"
	r, err := NewReader(strings.NewReader(bad), "back.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var tk market.Tick
	for range 2 {
		if err := r.NextTick(&tk); err != nil {
			t.Fatal(err)
		}
	}
	err = r.NextTick(&tk)
	want := "back.csv:4: column time: 005930 tick 2024-03-04T09:00:01.5+09:00 is before the previous one, 2024-03-04T09:00:06+09:00: a tape must be in time order"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if err := r.NextTick(&tk); err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("after the error: %v, want the same error", err)
	}
}
