package sim

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

func kst(d, h, m int) time.Time { return time.Date(2026, time.January, d, h, m, 0, 0, market.Seoul) }

// 2026-01-05 is a Monday; the 10th and 11th are a weekend.
func TestFirstTickTime(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start time.Time
		want  time.Time
	}{
		{"zero is DefaultStart", time.Time{}, DefaultStart()},
		{"in session", kst(6, 11, 7).Add(500 * time.Millisecond), kst(6, 11, 7).Add(500 * time.Millisecond)},
		{"before the open", kst(6, 7, 0), kst(6, 9, 0)},
		{"after the close", kst(6, 20, 0), kst(7, 9, 0)},
		{"at the close", kst(6, 15, 30), kst(7, 9, 0)},
		{"Friday evening", kst(9, 16, 0), kst(12, 9, 0)},
		{"Saturday", kst(10, 10, 0), kst(12, 9, 0)},
		{"in UTC", time.Date(2026, time.January, 6, 1, 0, 0, 0, time.UTC), kst(6, 10, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustNew(t, Config{Start: tc.start}).Next().Time; !got.Equal(tc.want) {
				t.Errorf("first tick at %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSessionBounds runs two weeks a tick a minute over a calendar with a
// holiday and a late open: every tick is inside its day's session, a
// regular day has all 390 minutes, and the night takes no market minutes.
func TestSessionBounds(t *testing.T) {
	cal, err := krx.LoadCalendar(strings.NewReader("2026-01-06  # holiday\n2026-01-07 10:00-15:30\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, Config{Seed: 5, Calendar: cal, TickInterval: time.Minute})
	perDay := map[int]int{}
	first := map[int]time.Time{}
	for range 10 * 390 {
		tk := s.Next()
		sess, ok := cal.Session(tk.Time)
		if !ok || tk.Time.Before(sess.Open) || !tk.Time.Before(sess.Close) {
			t.Fatalf("tick at %v outside its day's session %+v (trading day %v)", tk.Time, sess, ok)
		}
		d := seoulDate(tk.Time)
		if perDay[d] == 0 {
			first[d] = tk.Time
		}
		perDay[d]++
	}
	for _, c := range []struct {
		day   int
		ticks int
		open  time.Time
	}{
		{20260105, 390, kst(5, 9, 0)},
		{20260106, 0, time.Time{}}, // holiday
		{20260107, 330, kst(7, 10, 0)},
		{20260108, 390, kst(8, 9, 0)},
		{20260110, 0, time.Time{}}, // Saturday
		{20260112, 390, kst(12, 9, 0)},
	} {
		if perDay[c.day] != c.ticks || !first[c.day].Equal(c.open) {
			t.Errorf("%d: %d ticks from %v, want %d from %v", c.day, perDay[c.day], first[c.day], c.ticks, c.open)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	good := Instruments()
	with := func(edit func([]Instrument)) []Instrument {
		out := append([]Instrument(nil), good...)
		edit(out)
		return out
	}
	for _, tc := range []struct {
		name  string
		cfg   Config
		field string
	}{
		{"negative interval", Config{TickInterval: -time.Second}, "tick_interval"},
		{"bad symbol", Config{Symbols: with(func(s []Instrument) { s[1].Symbol = "SKH" })}, "symbols[1].symbol"},
		{"duplicate", Config{Symbols: with(func(s []Instrument) { s[3].Symbol = s[0].Symbol })}, "symbols[3].symbol"},
		{"off grid", Config{Symbols: with(func(s []Instrument) { s[0].Price = 98_050 })}, "symbols[0].price"},
		{"zero price", Config{Symbols: with(func(s []Instrument) { s[2].Price = 0 })}, "symbols[2].price"},
		{"vol", Config{Symbols: with(func(s []Instrument) { s[4].Vol = MaxVol + 1 })}, "symbols[4].vol"},
		{"lot", Config{Symbols: with(func(s []Instrument) { s[4].Lot = -1 })}, "symbols[4].lot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			var fe *market.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("err = %v, want a FieldError on %s", err, tc.field)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	cfg := Config{Symbols: []Instrument{{Symbol: "005930", Price: 98_000}}}
	s := mustNew(t, cfg)
	in := s.Instruments()
	if len(in) != 1 || in[0].Vol != DefaultVol || in[0].Lot != DefaultLot {
		t.Errorf("instruments %+v, want DefaultVol and DefaultLot filled in", in)
	}
	if cfg.Symbols[0].Vol != 0 {
		t.Error("New changed the caller's instruments")
	}
	if got := len(mustNew(t, Config{}).Instruments()); got != len(Instruments()) {
		t.Errorf("zero Config simulates %d instruments, want the %d defaults", got, len(Instruments()))
	}
	for _, in := range Instruments() {
		if _, err := New(Config{Symbols: []Instrument{in}}); err != nil {
			t.Errorf("default instrument %s: %v", in.Symbol, err)
		}
		if got, ok := Lookup(in.Symbol); !ok || got != in {
			t.Errorf("Lookup(%s) = %+v, %v", in.Symbol, got, ok)
		}
	}
}
