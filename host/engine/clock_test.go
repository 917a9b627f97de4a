package engine

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/qbtrading/qb/host/script"
	"github.com/qbtrading/qb/lib/market"
)

// TestClock covers what a live driver relies on: Advance closes a bar when
// its time is up without a trade; the clock never goes back; a bad tick
// is skipped.
func TestClock(t *testing.T) {
	var got []string
	var h script.Host
	g := goStrat{
		meta:  barMeta,
		start: func(host script.Host) error { h = host; return nil },
		bar: func(b *market.Bar) error {
			got = append(got, fmt.Sprintf("bar %s %d at %s", b.Start.Format("15:04"), b.Close, h.Now().Format("15:04:05")))
			return nil
		},
	}
	e, err := New(Config{Strategies: []Spec{goSpec(g)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	tick := func(sec int, price int64) {
		e.Process(&market.Tick{Time: day1.Add(time.Duration(sec) * time.Second), Symbol: sym, Price: price, Volume: 1})
	}
	tick(10, 70_000)
	e.Advance(day1.Add(59 * time.Second)) // not yet
	if len(got) != 0 {
		t.Fatalf("bar closed early: %q", got)
	}
	e.Advance(day1.Add(61 * time.Second)) // the 09:00 bar's time is up
	tick(30, 80_000)                      // late: its bucket is closed
	e.Process(&market.Tick{Time: day1.Add(62 * time.Second), Symbol: sym, Price: 0, Volume: 1})
	tick(65, 70_100)
	e.Advance(day1.Add(30 * time.Second)) // the clock does not go back
	if !e.Now().Equal(day1.Add(65 * time.Second)) {
		t.Errorf("clock %v, want 09:01:05", e.Now())
	}
	e.Advance(day1.Add(3 * time.Minute))
	want := []string{"bar 09:00 70000 at 09:01:00", "bar 09:01 70100 at 09:02:00"}
	if !slices.Equal(got, want) {
		t.Fatalf("bars %q, want %q", got, want)
	}
	if p, _ := h.LastPrice(sym); p != 70_100 {
		t.Errorf("last price %d, want 70,100: the bad tick must not count", p)
	}
}
