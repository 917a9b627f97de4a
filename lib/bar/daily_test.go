package bar_test

import (
	"os"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/bar"
	"github.com/qbtrading/qb/lib/market"
	"github.com/qbtrading/qb/lib/tape"
)

// TestRebuildDailyBars generates ticks from real daily bars (open at 09:00,
// high at 10:00, low at 11:00, close at 15:20 KST; no real KRX tick files
// are public) and checks that the 1d Builder, closed by the clock at each
// KST midnight, gives back exactly the bars the ticks came from.
func TestRebuildDailyBars(t *testing.T) {
	f, err := os.Open("../../testdata/krx/daily/005930.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := tape.ReadBars(f, "005930.csv", tape.Options{Symbol: "005930"})
	if err != nil {
		t.Fatal(err)
	}
	b := bar.NewBuilder("005930", market.Day1)
	var got []market.Bar
	for _, d := range src {
		for _, tk := range ticksOf(d) {
			if _, ok := b.Add(&tk); ok {
				t.Fatalf("%s: a tick closed a bar; the clock should have", tk.Time)
			}
		}
		closed, ok := b.Advance(d.Start.Add(24 * time.Hour))
		if !ok {
			t.Fatalf("%s: Advance to midnight did not close the day", d.Start)
		}
		got = append(got, closed)
	}
	for i := range src {
		if !got[i].Start.Equal(src[i].Start) || got[i].Open != src[i].Open || got[i].High != src[i].High ||
			got[i].Low != src[i].Low || got[i].Close != src[i].Close || got[i].Volume != src[i].Volume {
			t.Fatalf("day %d:\n got %+v\nwant %+v", i, got[i], src[i])
		}
	}
	if st := b.Stats(); st.Bars != int64(len(src)) || st.Ticks != 4*int64(len(src)) || st.Late+st.Duplicate+st.OutOfOrder+st.Invalid != 0 {
		t.Errorf("Stats = %+v for %d days", st, len(src))
	}
}

func ticksOf(d market.Bar) []market.Tick {
	q := d.Volume / 4
	at := func(h, m int) time.Time {
		return d.Start.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	return []market.Tick{
		{Time: at(9, 0), Symbol: d.Symbol, Price: d.Open, Volume: q},
		{Time: at(10, 0), Symbol: d.Symbol, Price: d.High, Volume: q},
		{Time: at(11, 0), Symbol: d.Symbol, Price: d.Low, Volume: q},
		{Time: at(15, 20), Symbol: d.Symbol, Price: d.Close, Volume: d.Volume - 3*q},
	}
}
