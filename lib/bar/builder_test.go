package bar

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

const sym = market.Symbol("005930")

// kst returns 2024-03-04 hh:mm:ss plus ns nanoseconds, Asia/Seoul.
func kst(hh, mm, ss, ns int) time.Time {
	return time.Date(2024, 3, 4, hh, mm, ss, ns, market.Seoul)
}

func tick(at time.Time, price, vol int64) market.Tick {
	return market.Tick{Time: at, Symbol: sym, Price: price, Volume: vol}
}

func ohlcv(tf market.Timeframe, start time.Time, o, h, l, c, v int64) market.Bar {
	return market.Bar{Symbol: sym, Timeframe: tf, Start: start, Open: o, High: h, Low: l, Close: c, Volume: v}
}

// feed adds ticks, then flushes, and returns every closed bar in order.
func feed(b *Builder, ticks []market.Tick) []market.Bar {
	var out []market.Bar
	for i := range ticks {
		if closed, ok := b.Add(&ticks[i]); ok {
			out = append(out, closed)
		}
	}
	if closed, ok := b.Flush(); ok {
		out = append(out, closed)
	}
	return out
}

func sameBars(t *testing.T, got, want []market.Bar) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d bars, want %d:\n got %+v\nwant %+v", len(got), len(want), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.Start.Equal(w.Start) || g.Start.Location() != market.Seoul {
			t.Errorf("bar %d: start %v, want %v (KST)", i, g.Start, w.Start)
		}
		g.Start, w.Start = time.Time{}, time.Time{}
		if g != w {
			t.Errorf("bar %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestBuilderOHLCV(t *testing.T) {
	tests := []struct {
		name  string
		tf    market.Timeframe
		ticks []market.Tick
		want  []market.Bar
	}{
		{
			name: "one minute, then the next",
			tf:   market.Min1,
			ticks: []market.Tick{
				tick(kst(9, 0, 1, 0), 70000, 10),
				tick(kst(9, 0, 30, 0), 70500, 5),
				tick(kst(9, 0, 59, 999999999), 69800, 7),
				tick(kst(9, 1, 0, 0), 70100, 1),
			},
			want: []market.Bar{
				ohlcv(market.Min1, kst(9, 0, 0, 0), 70000, 70500, 69800, 69800, 22),
				ohlcv(market.Min1, kst(9, 1, 0, 0), 70100, 70100, 70100, 70100, 1),
			},
		},
		{
			name: "five minutes across three bars",
			tf:   market.Min5,
			ticks: []market.Tick{
				tick(kst(9, 0, 0, 0), 100, 1),
				tick(kst(9, 4, 0, 0), 103, 2),
				tick(kst(9, 5, 0, 0), 101, 3),
				tick(kst(9, 7, 0, 0), 99, 4),
				tick(kst(9, 9, 59, 0), 104, 5),
				tick(kst(9, 10, 0, 0), 104, 6),
			},
			want: []market.Bar{
				ohlcv(market.Min5, kst(9, 0, 0, 0), 100, 103, 100, 103, 3),
				ohlcv(market.Min5, kst(9, 5, 0, 0), 101, 104, 99, 104, 12),
				ohlcv(market.Min5, kst(9, 10, 0, 0), 104, 104, 104, 104, 6),
			},
		},
		{
			// KIS stamps trades in whole seconds, so one second can hold
			// several prints: the close is the last of them to arrive, and
			// high, low and volume count every one.
			name: "several prints in the last second",
			tf:   market.Min1,
			ticks: []market.Tick{
				tick(kst(9, 0, 5, 0), 99, 1),
				tick(kst(9, 0, 59, 0), 100, 2),
				tick(kst(9, 0, 59, 0), 101, 3),
				tick(kst(9, 0, 59, 0), 102, 4),
				tick(kst(9, 1, 0, 0), 90, 5),
			},
			want: []market.Bar{
				// O 99 (09:00:05), H 102, L 99, C 102 (last at :59), V 1+2+3+4 = 10.
				ohlcv(market.Min1, kst(9, 0, 0, 0), 99, 102, 99, 102, 10),
				ohlcv(market.Min1, kst(9, 1, 0, 0), 90, 90, 90, 90, 5),
			},
		},
		{
			// The other end: the open is the first print of the first second.
			name: "several prints in the first second",
			tf:   market.Min1,
			ticks: []market.Tick{
				tick(kst(9, 0, 0, 0), 102, 4),
				tick(kst(9, 0, 0, 0), 101, 3),
				tick(kst(9, 0, 0, 0), 100, 2),
				tick(kst(9, 0, 30, 0), 101, 1),
			},
			// O 102, H 102, L 100, C 101, V 4+3+2+1 = 10.
			want: []market.Bar{ohlcv(market.Min1, kst(9, 0, 0, 0), 102, 102, 100, 101, 10)},
		},
		{
			name: "zero-volume print still sets prices",
			tf:   market.Sec1,
			ticks: []market.Tick{
				tick(kst(9, 0, 0, 100), 500, 0),
				tick(kst(9, 0, 0, 200), 510, 0),
			},
			want: []market.Bar{ohlcv(market.Sec1, kst(9, 0, 0, 0), 500, 510, 500, 510, 0)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sameBars(t, feed(NewBuilder(sym, tc.tf), tc.ticks), tc.want)
		})
	}
}

// TestAlignment puts a tick at each end of one bucket and one at the next
// bucket's first instant, for every timeframe.
func TestAlignment(t *testing.T) {
	tests := []struct {
		tf         market.Timeframe
		start, end time.Time
	}{
		{market.Sec1, kst(9, 0, 7, 0), kst(9, 0, 8, 0)},
		{market.Min1, kst(9, 7, 0, 0), kst(9, 8, 0, 0)},
		{market.Min3, kst(9, 6, 0, 0), kst(9, 9, 0, 0)},
		{market.Min5, kst(9, 5, 0, 0), kst(9, 10, 0, 0)},
		{market.Min10, kst(9, 10, 0, 0), kst(9, 20, 0, 0)},
		{market.Min15, kst(9, 15, 0, 0), kst(9, 30, 0, 0)},
		{market.Min30, kst(9, 30, 0, 0), kst(10, 0, 0, 0)},
		{market.Hour1, kst(9, 0, 0, 0), kst(10, 0, 0, 0)},
		{market.Day1, kst(0, 0, 0, 0), kst(0, 0, 0, 0).AddDate(0, 0, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.tf.String(), func(t *testing.T) {
			ticks := []market.Tick{
				tick(tc.start, 10, 1),
				tick(tc.end.Add(-time.Nanosecond), 20, 2),
				tick(tc.end, 30, 4),
			}
			want := []market.Bar{
				ohlcv(tc.tf, tc.start, 10, 20, 10, 20, 3),
				ohlcv(tc.tf, tc.end, 30, 30, 30, 30, 4),
			}
			sameBars(t, feed(NewBuilder(sym, tc.tf), ticks), want)
		})
	}
}

// TestDayInSeoul: 23:59 UTC is 08:59 KST the next day, so it opens the next
// day's bar; 14:59:59 UTC is still the same KST day.
func TestDayInSeoul(t *testing.T) {
	ticks := []market.Tick{
		tick(time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), 100, 1),    // 09:00 KST Mar 4
		tick(time.Date(2024, 3, 4, 14, 59, 59, 0, time.UTC), 101, 1), // 23:59:59 KST Mar 4
		tick(time.Date(2024, 3, 4, 23, 59, 0, 0, time.UTC), 102, 1),  // 08:59 KST Mar 5
	}
	want := []market.Bar{
		ohlcv(market.Day1, time.Date(2024, 3, 4, 0, 0, 0, 0, market.Seoul), 100, 101, 100, 101, 2),
		ohlcv(market.Day1, time.Date(2024, 3, 5, 0, 0, 0, 0, market.Seoul), 102, 102, 102, 102, 1),
	}
	sameBars(t, feed(NewBuilder(sym, market.Day1), ticks), want)
}

// TestAdvanceClosesQuietSymbol: no later tick comes, the clock closes the bar.
func TestAdvanceClosesQuietSymbol(t *testing.T) {
	b := NewBuilder(sym, market.Min1)
	tk := tick(kst(9, 0, 10, 0), 100, 3)
	b.Add(&tk)
	if _, ok := b.Advance(kst(9, 0, 59, 999999999)); ok {
		t.Fatal("bar closed before its end")
	}
	if cur, ok := b.Current(); !ok || cur.Close != 100 {
		t.Fatalf("Current = %+v, %v; want the forming bar", cur, ok)
	}
	got, ok := b.Advance(kst(9, 1, 0, 0))
	if !ok {
		t.Fatal("Advance to the bar's end did not close it")
	}
	sameBars(t, []market.Bar{got}, []market.Bar{ohlcv(market.Min1, kst(9, 0, 0, 0), 100, 100, 100, 100, 3)})
	if _, ok := b.Advance(kst(9, 5, 0, 0)); ok {
		t.Error("a closed bar came out twice, or an empty bucket made a bar")
	}
	if _, ok := b.Current(); ok {
		t.Error("Current reports a bar after the close")
	}
}

// TestEmptyBuckets: minutes without trades make no bars.
func TestEmptyBuckets(t *testing.T) {
	b := NewBuilder(sym, market.Min1)
	ticks := []market.Tick{tick(kst(9, 0, 10, 0), 100, 1), tick(kst(9, 3, 10, 0), 104, 2)}
	want := []market.Bar{
		ohlcv(market.Min1, kst(9, 0, 0, 0), 100, 100, 100, 100, 1),
		ohlcv(market.Min1, kst(9, 3, 0, 0), 104, 104, 104, 104, 2),
	}
	sameBars(t, feed(b, ticks), want)
	if got := b.Stats().Bars; got != 2 {
		t.Errorf("Stats.Bars = %d, want 2", got)
	}
}
