package bar

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// expectedBars works out, without the Builder or market.Timeframe, the
// bars a sequence of prints must give: prints grouped by their KST bucket
// (every supported timeframe divides a day, and KST is UTC+9 with no
// daylight saving, so the bucket of a print is floor((unix + 9 h) / tf)),
// open the earliest print (the first to arrive among equal times), close the
// latest (the last to arrive among equal times), high the max, low the min,
// volume the sum. Prints must arrive in non-decreasing bucket order.
func expectedBars(ticks []market.Tick, tfSec int64) []market.Bar {
	const kstOffset = 9 * 3600
	var out []market.Bar
	var openAt, closeAt int64
	bucketOf := func(t time.Time) int64 {
		s := t.Unix() + kstOffset
		return s / tfSec // times here are after 1970: no negative floor
	}
	cur := int64(-1)
	for _, tk := range ticks {
		at, b := tk.Time.UnixNano(), bucketOf(tk.Time)
		if b != cur {
			cur = b
			out = append(out, market.Bar{
				Symbol: tk.Symbol, Timeframe: market.Timeframe(time.Duration(tfSec) * time.Second),
				Start: time.Unix(b*tfSec-kstOffset, 0).In(market.Seoul),
				Open:  tk.Price, High: tk.Price, Low: tk.Price, Close: tk.Price, Volume: tk.Volume,
			})
			openAt, closeAt = at, at
			continue
		}
		last := &out[len(out)-1]
		last.High = max(last.High, tk.Price)
		last.Low = min(last.Low, tk.Price)
		last.Volume += tk.Volume
		if at < openAt { // strictly earlier: ties keep the first arrival
			last.Open, openAt = tk.Price, at
		}
		if at >= closeAt { // ties take the last arrival
			last.Close, closeAt = tk.Price, at
		}
	}
	return out
}

// For thousands of random print sequences, with many prints sharing a
// second (KIS stamps trades in whole seconds) and prints arriving out of
// time order inside their bucket, every bar's OHLCV is that of the prints
// in its interval, bars come in time order without overlapping, and every
// print is counted exactly once.
func TestBarsMatchTheirPrints(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 2024))
	tfs := []int64{1, 60, 180, 300, 600, 900, 1800, 3600, 86400}
	base := time.Date(2024, 3, 4, 9, 0, 0, 0, market.Seoul).Unix()
	for c := range 3000 {
		tfSec := tfs[rng.IntN(len(tfs))]
		n := 1 + rng.IntN(60)
		// Seconds offsets over about six buckets; sorting by bucket and
		// shuffling inside each bucket keeps arrivals in bucket order
		// while putting times out of order within a bucket.
		span := tfSec * 6
		offs := make([]int64, n)
		for i := range offs {
			offs[i] = rng.Int64N(span)
			if i > 0 && rng.IntN(3) == 0 {
				offs[i] = offs[i-1] // the same second again
			}
		}
		shuffle := rng.IntN(2) == 0
		sortByBucket(offs, tfSec, base, shuffle, rng)
		ticks := make([]market.Tick, n)
		var volume int64
		for i, off := range offs {
			ticks[i] = market.Tick{
				Time:   time.Unix(base+off, 0).In(market.Seoul),
				Symbol: sym,
				Price:  1 + rng.Int64N(200_000),
				Volume: rng.Int64N(1_000),
			}
			volume += ticks[i].Volume
		}
		want := expectedBars(ticks, tfSec)
		b := NewBuilder(sym, market.Timeframe(time.Duration(tfSec)*time.Second))
		got := feed(b, ticks)

		if len(got) != len(want) {
			t.Fatalf("case %d (tf %ds, %d prints): %d bars, want %d\nticks %+v\n got %+v\nwant %+v",
				c, tfSec, n, len(got), len(want), ticks, got, want)
		}
		var sum int64
		for i := range got {
			g, w := got[i], want[i]
			if !g.Start.Equal(w.Start) || g.Open != w.Open || g.High != w.High || g.Low != w.Low ||
				g.Close != w.Close || g.Volume != w.Volume || g.Symbol != sym || g.Timeframe != w.Timeframe {
				t.Fatalf("case %d (tf %ds) bar %d:\n got %+v\nwant %+v\nticks %+v", c, tfSec, i, g, w, ticks)
			}
			if err := g.Validate(); err != nil {
				t.Fatalf("case %d bar %d: %v", c, i, err)
			}
			if i > 0 && got[i-1].End().After(g.Start) {
				t.Fatalf("case %d: bar %d starts at %v, before bar %d ends at %v", c, i, g.Start, i-1, got[i-1].End())
			}
			sum += g.Volume
		}
		st := b.Stats()
		if sum != volume || st.Ticks != int64(n) || st.Bars != int64(len(got)) || st.Late+st.Duplicate+st.Invalid != 0 {
			t.Fatalf("case %d: bar volume %d of %d printed; stats %+v for %d prints and %d bars", c, sum, volume, st, n, len(got))
		}
	}
}

// sortByBucket orders offsets by bucket (insertion sort: the lists are
// short) and, if shuffle, shuffles each bucket's run; else sorts by time.
func sortByBucket(offs []int64, tfSec, base int64, shuffle bool, rng *rand.Rand) {
	key := func(o int64) int64 {
		if shuffle {
			return (base + o + 9*3600) / tfSec
		}
		return o
	}
	for i := 1; i < len(offs); i++ {
		for j := i; j > 0 && key(offs[j]) < key(offs[j-1]); j-- {
			offs[j], offs[j-1] = offs[j-1], offs[j]
		}
	}
	if !shuffle {
		return
	}
	for i := 0; i < len(offs); {
		j := i
		for j < len(offs) && key(offs[j]) == key(offs[i]) {
			j++
		}
		run := offs[i:j]
		rng.Shuffle(len(run), func(a, b int) { run[a], run[b] = run[b], run[a] })
		i = j
	}
}
