package tape

import (
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/market"
)

func TestInferTimeframe(t *testing.T) {
	for _, c := range []struct {
		name, csv string
		want      market.Timeframe
		err       string
	}{
		{"daily", "time,open,high,low,close,volume\n2024-01-02,1,1,1,1,1\n2024-01-03,1,1,1,1,1\n", market.Day1, ""},
		{"one daily bar", "time,open,high,low,close,volume\n20240102,1,1,1,1,1\n", market.Day1, ""},
		{"1m", "time,open,high,low,close,volume\n20240102090000,1,1,1,1,1\n20240102090100,1,1,1,1,1\n20240102090300,1,1,1,1,1\n", market.Min1, ""},
		{"5m across days", "time,open,high,low,close,volume\n2024-01-02T15:25:00+09:00,1,1,1,1,1\n2024-01-03T09:00:00+09:00,1,1,1,1,1\n2024-01-03T09:05:00+09:00,1,1,1,1,1\n", market.Min5, ""},
		{"per symbol", "symbol,time,open,high,low,close,volume\n005930,20240102090000,1,1,1,1,1\n000660,20240102090100,1,1,1,1,1\n005930,20240102090300,1,1,1,1,1\n000660,20240102090400,1,1,1,1,1\n", market.Min3, ""},
		{"2m gap", "time,open,high,low,close,volume\n20240102090000,1,1,1,1,1\n20240102090200,1,1,1,1,1\n", 0, "2m0s, is not one of"},
		{"one bar a day", "time,open,high,low,close,volume\n20240102090000,1,1,1,1,1\n20240103090000,1,1,1,1,1\n", 0, "no two bars of a symbol on the same day"},
		{"ticks", "time,price,volume\n20240102090000,1,1\n", 0, "not bars"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := InferTimeframe(strings.NewReader(c.csv), "x.csv", Options{Symbol: "005930"})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %s, %v; want %s", got, err, c.want)
			}
		})
	}
}
