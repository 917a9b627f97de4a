package bar

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// step is one call on a Builder: a tick, or Advance when tick is nil.
type step struct {
	tick *market.Tick
	now  time.Time
}

func add(at time.Time, price, vol int64) step {
	tk := tick(at, price, vol)
	return step{tick: &tk}
}

func addSeq(at time.Time, price, vol, seq int64) step {
	s := add(at, price, vol)
	s.tick.Seq = seq
	return s
}

func adv(now time.Time) step { return step{now: now} }

func TestRules(t *testing.T) {
	m1 := market.Min1
	tests := []struct {
		name  string
		steps []step
		want  []market.Bar // closed bars, then the flushed one
		stats Stats
	}{
		{
			name: "tick of a bucket closed by a later tick is late",
			steps: []step{
				add(kst(9, 0, 10, 0), 100, 1),
				add(kst(9, 1, 10, 0), 101, 1),
				add(kst(9, 0, 50, 0), 999, 9),
			},
			want: []market.Bar{
				ohlcv(m1, kst(9, 0, 0, 0), 100, 100, 100, 100, 1),
				ohlcv(m1, kst(9, 1, 0, 0), 101, 101, 101, 101, 1),
			},
			stats: Stats{Ticks: 2, Bars: 2, Late: 1},
		},
		{
			name: "tick of a bucket closed by Advance is late",
			steps: []step{
				add(kst(9, 0, 10, 0), 100, 1),
				adv(kst(9, 1, 0, 0)),
				add(kst(9, 0, 59, 0), 999, 9),
				add(kst(9, 1, 0, 0), 102, 2),
			},
			want: []market.Bar{
				ohlcv(m1, kst(9, 0, 0, 0), 100, 100, 100, 100, 1),
				ohlcv(m1, kst(9, 1, 0, 0), 102, 102, 102, 102, 2),
			},
			stats: Stats{Ticks: 2, Bars: 2, Late: 1},
		},
		{
			name: "tick of an empty bucket the clock has passed is late",
			steps: []step{
				adv(kst(9, 5, 30, 0)),
				add(kst(9, 4, 59, 0), 999, 9),
				add(kst(9, 5, 10, 0), 100, 1),
			},
			want:  []market.Bar{ohlcv(m1, kst(9, 5, 0, 0), 100, 100, 100, 100, 1)},
			stats: Stats{Ticks: 1, Bars: 1, Late: 1},
		},
		{
			name: "tick of an earlier empty bucket is late",
			steps: []step{
				add(kst(9, 0, 10, 0), 100, 1),
				add(kst(9, 3, 10, 0), 103, 1),
				add(kst(9, 2, 10, 0), 999, 9),
			},
			want: []market.Bar{
				ohlcv(m1, kst(9, 0, 0, 0), 100, 100, 100, 100, 1),
				ohlcv(m1, kst(9, 3, 0, 0), 103, 103, 103, 103, 1),
			},
			stats: Stats{Ticks: 2, Bars: 2, Late: 1},
		},
		{
			name: "repeated seq at the same time is a duplicate",
			steps: []step{
				addSeq(kst(9, 0, 10, 0), 100, 1, 1),
				addSeq(kst(9, 0, 20, 0), 101, 2, 2),
				addSeq(kst(9, 0, 20, 0), 101, 2, 2),
				addSeq(kst(9, 0, 10, 0), 100, 1, 1),
				addSeq(kst(9, 0, 30, 0), 99, 4, 3),
			},
			want:  []market.Bar{ohlcv(m1, kst(9, 0, 0, 0), 100, 101, 99, 99, 7)},
			stats: Stats{Ticks: 3, Bars: 1, Duplicate: 2},
		},
		{
			name: "seq restarting with a later time is a new session, kept",
			steps: []step{
				addSeq(kst(9, 0, 10, 0), 100, 1, 500),
				addSeq(kst(9, 0, 20, 0), 102, 1, 1),
				addSeq(kst(9, 0, 20, 0), 102, 1, 1),
			},
			want:  []market.Bar{ohlcv(m1, kst(9, 0, 0, 0), 100, 102, 100, 102, 2)},
			stats: Stats{Ticks: 2, Bars: 1, Duplicate: 1},
		},
		{
			name: "identical ticks without seq are two trades",
			steps: []step{
				add(kst(9, 0, 10, 0), 100, 1),
				add(kst(9, 0, 10, 0), 100, 1),
			},
			want:  []market.Bar{ohlcv(m1, kst(9, 0, 0, 0), 100, 100, 100, 100, 2)},
			stats: Stats{Ticks: 2, Bars: 1},
		},
		{
			name: "earlier tick in the current bucket is kept and becomes the open",
			steps: []step{
				add(kst(9, 0, 30, 0), 100, 1),
				add(kst(9, 0, 10, 0), 90, 2),
				add(kst(9, 0, 40, 0), 110, 4),
			},
			want:  []market.Bar{ohlcv(m1, kst(9, 0, 0, 0), 90, 110, 90, 110, 7)},
			stats: Stats{Ticks: 3, Bars: 1, OutOfOrder: 1},
		},
		{
			name: "earlier tick in the current bucket never becomes the close",
			steps: []step{
				add(kst(9, 0, 30, 0), 100, 1),
				add(kst(9, 0, 50, 0), 105, 1),
				add(kst(9, 0, 40, 0), 95, 1),
			},
			want:  []market.Bar{ohlcv(m1, kst(9, 0, 0, 0), 100, 105, 95, 105, 3)},
			stats: Stats{Ticks: 3, Bars: 1, OutOfOrder: 1},
		},
		{
			name: "invalid ticks are dropped",
			steps: []step{
				add(kst(9, 0, 10, 0), 100, 1),
				{tick: &market.Tick{Time: kst(9, 0, 11, 0), Symbol: "000660", Price: 50, Volume: 1}},
				add(kst(9, 0, 12, 0), 0, 1),
				add(kst(9, 0, 13, 0), 100, -1),
				add(time.Time{}, 100, 1),
			},
			want:  []market.Bar{ohlcv(m1, kst(9, 0, 0, 0), 100, 100, 100, 100, 1)},
			stats: Stats{Ticks: 1, Bars: 1, Invalid: 4},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuilder(sym, m1)
			var got []market.Bar
			for _, s := range tc.steps {
				var closed market.Bar
				var ok bool
				if s.tick != nil {
					closed, ok = b.Add(s.tick)
				} else {
					closed, ok = b.Advance(s.now)
				}
				if ok {
					got = append(got, closed)
				}
			}
			if closed, ok := b.Flush(); ok {
				got = append(got, closed)
			}
			sameBars(t, got, tc.want)
			if b.Stats() != tc.stats {
				t.Errorf("Stats = %+v, want %+v", b.Stats(), tc.stats)
			}
		})
	}
}

// TestZeroTimeframe: a Builder without buckets rejects ticks instead of
// dividing by zero.
func TestZeroTimeframe(t *testing.T) {
	b := NewBuilder(sym, 0)
	tk := tick(kst(9, 0, 0, 0), 100, 1)
	if _, ok := b.Add(&tk); ok {
		t.Error("Add closed a bar")
	}
	if _, ok := b.Advance(kst(10, 0, 0, 0)); ok {
		t.Error("Advance closed a bar")
	}
	if _, ok := b.Flush(); ok {
		t.Error("Flush closed a bar")
	}
	if st := b.Stats(); st != (Stats{Invalid: 1}) {
		t.Errorf("Stats = %+v, want Invalid 1", st)
	}
}

// TestFlush: a 1d bar closed at the session's end; a later print of that
// day is late, the next day's is not.
func TestFlush(t *testing.T) {
	b := NewBuilder(sym, market.Day1)
	for _, s := range []step{add(kst(9, 0, 0, 0), 100, 5), add(kst(15, 30, 0, 0), 104, 7)} {
		b.Add(s.tick)
	}
	got, ok := b.Flush()
	if !ok {
		t.Fatal("Flush returned no bar")
	}
	sameBars(t, []market.Bar{got}, []market.Bar{ohlcv(market.Day1, kst(0, 0, 0, 0), 100, 104, 100, 104, 12)})
	if _, ok := b.Flush(); ok {
		t.Error("second Flush returned a bar")
	}
	late := tick(kst(18, 0, 0, 0), 105, 1)
	next := tick(kst(9, 0, 0, 0).AddDate(0, 0, 1), 106, 1)
	b.Add(&late)
	b.Add(&next)
	if st := b.Stats(); st.Late != 1 || st.Ticks != 3 {
		t.Errorf("Stats = %+v, want Late 1, Ticks 3", st)
	}
}

func TestMulti(t *testing.T) {
	m := NewMulti(sym, market.Min1, market.Min5)
	var got []market.Bar
	for _, tk := range []market.Tick{
		tick(kst(9, 0, 10, 0), 100, 1),
		tick(kst(9, 4, 10, 0), 104, 2),
		tick(kst(9, 5, 10, 0), 105, 3),
	} {
		got = m.Add(&tk, got)
	}
	got = m.Advance(kst(9, 10, 0, 0), got)
	want := []market.Bar{
		ohlcv(market.Min1, kst(9, 0, 0, 0), 100, 100, 100, 100, 1),
		ohlcv(market.Min1, kst(9, 4, 0, 0), 104, 104, 104, 104, 2),
		ohlcv(market.Min5, kst(9, 0, 0, 0), 100, 104, 100, 104, 3),
		ohlcv(market.Min1, kst(9, 5, 0, 0), 105, 105, 105, 105, 3),
		ohlcv(market.Min5, kst(9, 5, 0, 0), 105, 105, 105, 105, 3),
	}
	sameBars(t, got, want)
	if m.Builder(market.Min5).Stats().Bars != 2 || m.Builder(market.Hour1) != nil {
		t.Error("Builder lookup by timeframe is wrong")
	}
	if got := m.Flush(nil); len(got) != 0 {
		t.Errorf("Flush after Advance returned %d bars", len(got))
	}
}
