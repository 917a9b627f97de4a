package replay

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/engine"
	"github.com/qbtrading/qb/lib/market"
)

// fakeClock returns a clock that moves step forward at every reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

// progressTape is n ticks of one symbol a second apart from 09:00 KST.
func progressTape(n int) []market.Tick {
	start := time.Date(2024, 3, 5, 9, 0, 0, 0, market.Seoul)
	tp := make([]market.Tick, n)
	for i := range tp {
		tp[i] = market.Tick{Symbol: "005930", Time: start.Add(time.Duration(i) * time.Second), Price: 70000, Volume: 1}
	}
	return tp
}

// feedProgress replays tape through an engine without strategies, drawing
// progress on a buffer with the given clock, and returns what was drawn.
func feedProgress(t *testing.T, tape []market.Tick, clock func() time.Time) string {
	t.Helper()
	eng, err := engine.New(engine.Config{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	src := SliceSource(tape)
	var tk market.Tick
	if err := src.Next(&tk); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := feed(context.Background(), eng, src, &tk, nil, newProgress(&out, src, clock)); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestProgressLines(t *testing.T) {
	n := 3*progressCheck + 10
	// The clock reads 1s at the start, then 2s, 3s... at each check: the
	// first line is due at the check after 4096 ticks.
	out := feedProgress(t, progressTape(n), fakeClock(time.Second))
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("the last line is not ended: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\r")[1:]
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 3 redraws and the last: %q", len(lines), out)
	}
	first := lines[0]
	for _, want := range []string{
		"replay: 4096 ticks ",
		" 2048 ticks/s ",            // 4096 ticks in 2s of wall time
		" 2024-03-05 10:08:15 KST ", // tick 4095, 4095s after 09:00
		" 33% ",                     // 4097 of 12298 ticks read
		" ETA 0:04",                 // 2s for a third: 4s to go
		"\x1b[K",                    // clears a longer line before
	} {
		if !strings.Contains(first, want) {
			t.Errorf("first line %q lacks %q", first, want)
		}
	}
	last := lines[3]
	for _, want := range []string{"replay: 12298 ticks ", " 2024-03-05 12:24:57 KST ", " 100% ", " in 0:05"} {
		if !strings.Contains(last, want) {
			t.Errorf("last line %q lacks %q", last, want)
		}
	}
	if strings.Contains(last, "ETA") {
		t.Errorf("last line %q has an ETA", last)
	}
}

func TestProgressShortReplayDrawsNothing(t *testing.T) {
	// 3 checks and the end, 10ms apart: well under progressDelay.
	if out := feedProgress(t, progressTape(3*progressCheck+10), fakeClock(10*time.Millisecond)); out != "" {
		t.Fatalf("a short replay drew %q", out)
	}
}

func TestProgressRedrawsAtMostEvery200ms(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, &sliceSource{}, fakeClock(50*time.Millisecond))
	// Skip the delay, then check 20 times 50ms apart: a redraw every 4th.
	p.start = p.start.Add(-progressDelay)
	for i := 1; i <= 20; i++ {
		p.tick(i*progressCheck, time.Time{})
	}
	if got := strings.Count(out.String(), "\r"); got != 5 {
		t.Fatalf("%d redraws in 1s at most every 200ms, want 5: %q", got, out.String())
	}
	// A source of unknown size: no share, no ETA.
	if s := out.String(); strings.Contains(s, "%") || strings.Contains(s, "ETA") {
		t.Fatalf("an unsized source shows an ETA: %q", s)
	}
}

func TestProgressUnsizedSource(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, struct{ Source }{SliceSource(nil)}, fakeClock(time.Second))
	p.tick(1, time.Time{})
	p.tick(2, time.Time{})
	p.end(3, time.Time{})
	s := out.String()
	if !strings.Contains(s, "replay: 2 ticks") || strings.Contains(s, "ETA") || strings.Contains(s, "%") {
		t.Fatalf("unsized source: %q", s)
	}
}

func TestProgressOffWithoutWriter(t *testing.T) {
	p := newProgress(nil, SliceSource(nil), time.Now)
	if p != nil {
		t.Fatal("a progress line without a writer")
	}
	p.tick(1, time.Time{}) // nil is a no-op
	p.end(1, time.Time{})
}

func TestProgressCheckAllocatesNothing(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, SliceSource(progressTape(10)), fakeClock(time.Millisecond))
	if n := testing.AllocsPerRun(1000, func() { p.tick(1, time.Time{}) }); n != 0 {
		t.Fatalf("a progress check allocates %v times", n)
	}
}

func TestAppendDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                       "0:00",
		1499 * time.Millisecond: "0:01",
		61 * time.Second:        "1:01",
		time.Hour + 2*time.Minute + 3*time.Second: "1:02:03",
	} {
		if got := string(appendDuration(nil, d)); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
