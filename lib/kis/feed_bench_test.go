package kis

import (
	"fmt"
	"strings"
	"testing"
)

// feedFrames makes n trade frames with rising cumulative volume, so that the
// feed's duplicate filter passes them all.
func feedFrames(tb testing.TB, n int) [][]byte {
	rec := string(readFrame(tb, "h0stcnt0_2023-03-24.txt"))
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(strings.Replace(rec, "^9694968^", fmt.Sprintf("^%d^", 9694968+i+1), 1))
	}
	return out
}

// BenchmarkFeedTradeFrame measures a trade frame from the socket buffer to
// the handler: split, parse, duplicate check, dispatch.
func BenchmarkFeedTradeFrame(b *testing.B) {
	c, err := New(Config{Env: Paper, AppKey: "k-bench", AppSecret: "s-bench"})
	if err != nil {
		b.Fatal(err)
	}
	var sum int64
	f := c.NewFeed(Handler{Trade: func(t *Trade) { sum += t.Price }}, FeedOptions{})
	frames := feedFrames(b, 1<<16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := f.handle(nil, frames[i&(len(frames)-1)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if sum == 0 {
		b.Fatal("no trade delivered")
	}
}

func TestFeedTradeFrameAllocs(t *testing.T) {
	c, _ := New(Config{Env: Paper, AppKey: "k-allocs", AppSecret: "s-allocs"})
	n := 0
	f := c.NewFeed(Handler{Trade: func(*Trade) { n++ }}, FeedOptions{})
	frames := feedFrames(t, 200)
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		_ = f.handle(nil, frames[i])
		i++
	})
	if allocs != 0 || n != 101 {
		t.Errorf("%v allocations per trade frame (%d delivered), want 0", allocs, n)
	}
}
