package krx

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func kst(y int, m time.Month, d, hh, mm, ss, ns int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, ns, market.Seoul)
}

func TestInRegularSession(t *testing.T) {
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"before open", kst(2026, 3, 4, 8, 59, 59, 999_999_999), false},
		{"open", kst(2026, 3, 4, 9, 0, 0, 0), true},
		{"midday", kst(2026, 3, 4, 12, 0, 0, 0), true},
		{"close", kst(2026, 3, 4, 15, 30, 0, 0), true},
		{"after close", kst(2026, 3, 4, 15, 30, 0, 1), false},
		{"open given in UTC", time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), true},
		{"UTC evening is the next KST morning", time.Date(2026, 3, 3, 23, 59, 0, 0, time.UTC), false}, // 08:59 KST
		{"hours only: Saturday counts", kst(2026, 3, 7, 10, 0, 0, 0), true},
	} {
		if got := InRegularSession(tc.at); got != tc.want {
			t.Errorf("%s: InRegularSession(%v) = %v, want %v", tc.name, tc.at, got, tc.want)
		}
	}
}

func TestRegularSession(t *testing.T) {
	s := RegularSession(time.Date(2026, 3, 4, 20, 0, 0, 0, time.UTC)) // 05:00 KST on the 5th
	if !s.Open.Equal(kst(2026, 3, 5, 9, 0, 0, 0)) || !s.Close.Equal(kst(2026, 3, 5, 15, 30, 0, 0)) {
		t.Fatalf("RegularSession = %v – %v, want 2026-03-05 09:00–15:30 KST", s.Open, s.Close)
	}
}
