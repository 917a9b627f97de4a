package krx

import (
	"os"
	"strings"
	"testing"
	"time"
)

func loadFixture(t *testing.T) *Calendar {
	t.Helper()
	f, err := os.Open("testdata/calendar-2026.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := LoadCalendar(f, f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCalendarTradingDays(t *testing.T) {
	c := loadFixture(t)
	for _, tc := range []struct {
		name string
		day  time.Time
		want bool
	}{
		{"holiday", kst(2026, 1, 1, 12, 0, 0, 0), false},
		{"special hours day", kst(2026, 1, 2, 0, 0, 0, 0), true},
		{"Saturday", kst(2026, 1, 3, 12, 0, 0, 0), false},
		{"Sunday", kst(2026, 1, 4, 12, 0, 0, 0), false},
		{"ordinary Monday", kst(2026, 1, 5, 12, 0, 0, 0), true},
		{"Seollal last day", kst(2026, 2, 18, 12, 0, 0, 0), false},
		{"after Seollal", kst(2026, 2, 19, 12, 0, 0, 0), true},
		{"substitute holiday", kst(2026, 3, 2, 12, 0, 0, 0), false},
		{"UTC instant on a KST holiday", time.Date(2026, 12, 30, 15, 0, 0, 0, time.UTC), false}, // 12-31 00:00 KST
		{"UTC instant on the KST day before", time.Date(2026, 12, 30, 14, 59, 0, 0, time.UTC), true},
		{"year the file does not cover", kst(2027, 6, 1, 12, 0, 0, 0), true},
	} {
		if got := c.IsTradingDay(tc.day); got != tc.want {
			t.Errorf("%s: IsTradingDay(%v) = %v, want %v", tc.name, tc.day, got, tc.want)
		}
	}
}

func TestCalendarSessions(t *testing.T) {
	c := loadFixture(t)
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"late open: 09:30 is closed", kst(2026, 1, 2, 9, 30, 0, 0), false},
		{"late open: 10:00 is open", kst(2026, 1, 2, 10, 0, 0, 0), true},
		{"late open: 15:30 close kept", kst(2026, 1, 2, 15, 30, 0, 0), true},
		{"exam day: 16:30 still open", kst(2026, 11, 19, 16, 30, 0, 0), true},
		{"exam day: 09:30 closed", kst(2026, 11, 19, 9, 30, 0, 0), false},
		{"ordinary day 09:00", kst(2026, 11, 20, 9, 0, 0, 0), true},
		{"ordinary day 16:00", kst(2026, 11, 20, 16, 0, 0, 0), false},
		{"holiday in hours", kst(2026, 2, 17, 11, 0, 0, 0), false},
	} {
		if got := c.InSession(tc.at); got != tc.want {
			t.Errorf("%s: InSession(%v) = %v, want %v", tc.name, tc.at, got, tc.want)
		}
	}
	s, ok := c.Session(kst(2026, 11, 19, 0, 0, 0, 0))
	if !ok || !s.Open.Equal(kst(2026, 11, 19, 10, 0, 0, 0)) || !s.Close.Equal(kst(2026, 11, 19, 16, 30, 0, 0)) {
		t.Fatalf("exam day session = %v %v, %v", s.Open, s.Close, ok)
	}
}

func TestNextTradingDay(t *testing.T) {
	c := loadFixture(t)
	for _, tc := range []struct {
		from, want time.Time
	}{
		{kst(2026, 1, 5, 14, 0, 0, 0), kst(2026, 1, 6, 0, 0, 0, 0)},
		{kst(2026, 1, 9, 14, 0, 0, 0), kst(2026, 1, 12, 0, 0, 0, 0)},  // Friday → Monday
		{kst(2026, 2, 13, 14, 0, 0, 0), kst(2026, 2, 19, 0, 0, 0, 0)}, // weekend, then Seollal
		{kst(2026, 2, 27, 9, 0, 0, 0), kst(2026, 3, 3, 0, 0, 0, 0)},   // weekend, then the substitute holiday
		{kst(2025, 12, 31, 9, 0, 0, 0), kst(2026, 1, 2, 0, 0, 0, 0)},  // over New Year's Day
	} {
		if got := c.NextTradingDay(tc.from); !got.Equal(tc.want) {
			t.Errorf("NextTradingDay(%v) = %v, want %v", tc.from, got, tc.want)
		}
	}
	var none *Calendar
	if got, want := none.NextTradingDay(kst(2026, 1, 1, 0, 0, 0, 0)), kst(2026, 1, 2, 0, 0, 0, 0); !got.Equal(want) {
		t.Errorf("nil calendar: NextTradingDay = %v, want %v (weekends only)", got, want)
	}
}

func TestLoadCalendarErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"bad date", "2026-01-01\n2026-13-01\n", `cal.txt:2: date "2026-13-01": want YYYY-MM-DD`},
		{"not a date", "# x\n\nholiday\n", `cal.txt:3: date "holiday"`},
		{"weekend with hours", "2026-01-03 09:00-15:30", "cal.txt:1: 2026-01-03 is a Saturday"},
		{"hours reversed", "2026-01-05 15:30-09:00", `cal.txt:1: hours "15:30-09:00": open is not before close`},
		{"one-digit hour", "2026-01-05 9:00-15:30", `cal.txt:1: hours "9:00-15:30": time "9:00"`},
		{"no dash", "2026-01-05 09:00", `cal.txt:1: hours "09:00": want HH:MM-HH:MM`},
		{"hour 24", "2026-01-05 09:00-24:00", `cal.txt:1: hours "09:00-24:00": time "24:00"`},
		{"extra field", "2026-01-05 09:00-15:30 late", "cal.txt:1: \"2026-01-05 09:00-15:30 late\""},
		{"duplicate", "2026-01-05\n# gap\n2026-01-05 10:00-15:30\n", "cal.txt:3: 2026-01-05 already listed on line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadCalendar(strings.NewReader(tc.text), "cal.txt")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func FuzzLoadCalendar(f *testing.F) {
	seed, err := os.ReadFile("testdata/calendar-2026.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("2026-01-05 09:00-15:30 # x\n2026-01-05\n")
	f.Add("2026-02-30\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := LoadCalendar(strings.NewReader(text), "fuzz.txt")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.txt") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		day := kst(2026, 1, 1, 0, 0, 0, 0)
		next := c.NextTradingDay(day)
		if !next.After(day) || !c.IsTradingDay(next) {
			t.Fatalf("NextTradingDay(%v) = %v, not a later trading day", day, next)
		}
	})
}
