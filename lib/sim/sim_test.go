package sim

import (
	"math"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

func mustNew(t testing.TB, cfg Config) *Sim {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// seoulDate is the KST calendar date of t, as yyyymmdd.
func seoulDate(t time.Time) int {
	y, m, d := t.In(market.Seoul).Date()
	return y*10000 + int(m)*100 + d
}

// edges are volatile instruments just below tick-band boundaries, so that
// their walks cross bands and reach the daily limits.
func edges() []Instrument {
	return []Instrument{
		{Symbol: "000010", Price: 1_990, Vol: MaxVol, Lot: 5},
		{Symbol: "000020", Price: 4_990, Vol: MaxVol, Lot: 5},
		{Symbol: "000030", Price: 19_990, Vol: MaxVol, Lot: 5},
		{Symbol: "000040", Price: 499_500, Vol: MaxVol, Lot: 5},
	}
}

// watch checks every tick of a stream against the rules a consumer relies
// on and counts how often the walk met a limit or crossed a band.
type watch struct {
	t          *testing.T
	last, base map[market.Symbol]int64
	prev       market.Tick
	oneTick    bool // the walk must move at most one tick a print
	atLimit    int
	bandCross  int
	days       int
}

func newWatch(t *testing.T, s *Sim) *watch {
	w := &watch{t: t, last: map[market.Symbol]int64{}, base: map[market.Symbol]int64{}}
	for _, in := range s.Instruments() {
		w.last[in.Symbol] = in.Price
	}
	return w
}

func (w *watch) check(i int, tk market.Tick) {
	w.t.Helper()
	if i == 0 || seoulDate(tk.Time) != seoulDate(w.prev.Time) {
		w.days++
		for sym, p := range w.last { // every close becomes the day's base
			w.base[sym] = p
		}
	}
	lim := krx.PriceLimits(w.base[tk.Symbol])
	prev := w.last[tk.Symbol]
	switch {
	case tk.Validate() != nil:
		w.t.Fatalf("tick %d: %v", i, tk.Validate())
	case tk.Seq != int64(i+1):
		w.t.Fatalf("tick %d: seq %d", i, tk.Seq)
	case i > 0 && !tk.Time.After(w.prev.Time):
		w.t.Fatalf("tick %d: time %v not after %v", i, tk.Time, w.prev.Time)
	case tk.Volume <= 0:
		w.t.Fatalf("tick %d: volume %d", i, tk.Volume)
	case !krx.OnGrid(tk.Price) || !krx.OnGrid(tk.Bid) || !krx.OnGrid(tk.Ask):
		w.t.Fatalf("tick %d: off the grid: %+v", i, tk)
	case !lim.Contains(tk.Price) || !lim.Contains(tk.Bid) || !lim.Contains(tk.Ask):
		w.t.Fatalf("tick %d: %+v outside %+v (base %d)", i, tk, lim, w.base[tk.Symbol])
	case w.oneTick && tk.Price != prev && tk.Price != krx.AddTicks(prev, 1) && tk.Price != krx.AddTicks(prev, -1):
		w.t.Fatalf("tick %d: %s moved from %d to %d, more than a tick", i, tk.Symbol, prev, tk.Price)
	case !oneTickQuote(tk):
		w.t.Fatalf("tick %d: quotes %d/%d not one tick around %d", i, tk.Bid, tk.Ask, tk.Price)
	}
	if tk.Price == lim.Upper || tk.Price == lim.Lower {
		w.atLimit++
	}
	if krx.TickSize(tk.Price) != krx.TickSize(prev) {
		w.bandCross++
	}
	w.last[tk.Symbol], w.prev = tk.Price, tk
}

// oneTickQuote: the trade is at one quote and the other is a tick away
// (or collapsed onto the price at a limit).
func oneTickQuote(tk market.Tick) bool {
	up, down := krx.AddTicks(tk.Price, 1), krx.AddTicks(tk.Price, -1)
	atAsk := tk.Ask == tk.Price && (tk.Bid == down || tk.Bid == tk.Price)
	atBid := tk.Bid == tk.Price && (tk.Ask == up || tk.Ask == tk.Price)
	return atAsk || atBid
}

func TestInvariants(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      Config
		stressed bool // must reach a limit and cross a band
		oneTick  bool // under a tick² of variance a step: one-tick moves only
	}{
		{"defaults", Config{Seed: 1}, false, true},
		{"band edges", Config{Seed: 2, Symbols: edges(), TickInterval: 10 * time.Second}, true, false},
		{"many days", Config{Seed: 3, Symbols: edges(), TickInterval: 5 * time.Minute}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, tc.cfg)
			w := newWatch(t, s)
			w.oneTick = tc.oneTick
			for i := range 100_000 {
				w.check(i, s.Next())
			}
			t.Logf("%d days, %d prints at a limit, %d band crossings", w.days, w.atLimit, w.bandCross)
			if tc.stressed && (w.atLimit == 0 || w.bandCross == 0) {
				t.Errorf("the walk never met a limit (%d) or crossed a band (%d): the invariants went untested",
					w.atLimit, w.bandCross)
			}
		})
	}
}

func TestSameSeedSameTicks(t *testing.T) {
	cfg := Config{Seed: 7, TickInterval: time.Minute}
	a, b, c := mustNew(t, cfg), mustNew(t, cfg), mustNew(t, Config{Seed: 8, TickInterval: time.Minute})
	differ := 0
	for i := range 20_000 {
		ta, tb, tc := a.Next(), b.Next(), c.Next()
		if !sameTick(ta, tb) {
			t.Fatalf("tick %d: %+v and %+v from the same seed", i, ta, tb)
		}
		if !sameTick(ta, tc) {
			differ++
		}
	}
	if differ < 10_000 {
		t.Errorf("seeds 7 and 8 differ in only %d of 20000 ticks", differ)
	}
}

func sameTick(a, b market.Tick) bool {
	return a.Time.Equal(b.Time) && a.Symbol == b.Symbol && a.Price == b.Price && a.Volume == b.Volume &&
		a.Bid == b.Bid && a.Ask == b.Ask && a.Seq == b.Seq
}

// TestVolatility: the daily close-to-close moves have about the configured
// standard deviation, 2.5 %, whether a step is under a tick (odds of one
// tick) or several ticks (a coarse interval). 300 days: the estimate is good
// to about ±8 % (2σ).
func TestVolatility(t *testing.T) {
	for _, tc := range []struct {
		name     string
		interval time.Duration
	}{
		{"fine, one-tick steps", 10 * time.Second},    // 2,340 steps a day, odds 0.26
		{"coarse, multi-tick steps", 5 * time.Minute}, // 78 steps, 2.8 ticks each
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, Config{Seed: 11, TickInterval: tc.interval,
				Symbols: []Instrument{{Symbol: "005930", Price: 98_000, Vol: 250, Lot: 1}}})
			sd := dailySD(s, 300)
			t.Logf("daily standard deviation %.4f", sd)
			if sd < 0.0225 || sd > 0.0275 {
				t.Errorf("daily standard deviation %.4f, want about 0.025", sd)
			}
		})
	}
}

// dailySD is the standard deviation of n daily close-to-close returns.
func dailySD(s *Sim, n int) float64 {
	var closes []float64
	prev := s.Next()
	for len(closes) <= n {
		tk := s.Next()
		if seoulDate(tk.Time) != seoulDate(prev.Time) {
			closes = append(closes, float64(prev.Price))
		}
		prev = tk
	}
	var sum, sq float64
	for i := 1; i < len(closes); i++ {
		r := closes[i]/closes[i-1] - 1
		sum += r
		sq += r * r
	}
	m := float64(len(closes) - 1)
	return math.Sqrt(sq/m - (sum/m)*(sum/m))
}

func TestNextAllocatesNothing(t *testing.T) {
	s := mustNew(t, Config{TickInterval: time.Minute}) // 390 ticks a day: rollovers included
	if n := testing.AllocsPerRun(2000, func() { s.Next() }); n != 0 {
		t.Errorf("Next allocates %v times per tick", n)
	}
}

func BenchmarkNext(b *testing.B) {
	s := mustNew(b, Config{Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		s.Next()
	}
}
