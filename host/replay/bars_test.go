package replay

import (
	"testing"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

func TestBarTicks(t *testing.T) {
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, market.Seoul)
	for _, tc := range []struct {
		name   string
		bar    market.Bar
		prices [4]int64
		vols   [4]int64
		times  [4]string
	}{
		{
			name:   "up day goes open low high close",
			bar:    market.Bar{Symbol: "005930", Timeframe: market.Day1, Start: day, Open: 100, High: 120, Low: 90, Close: 110, Volume: 10},
			prices: [4]int64{100, 90, 120, 110},
			vols:   [4]int64{2, 2, 2, 4},
			times:  [4]string{"09:00", "11:10", "13:20", "15:30"},
		},
		{
			name:   "down day goes open high low close",
			bar:    market.Bar{Symbol: "005930", Timeframe: market.Day1, Start: day, Open: 110, High: 120, Low: 90, Close: 100, Volume: 3},
			prices: [4]int64{110, 120, 90, 100},
			vols:   [4]int64{0, 0, 0, 3},
			times:  [4]string{"09:00", "11:10", "13:20", "15:30"},
		},
		{
			name:   "a 1m bar spreads over its minute",
			bar:    market.Bar{Symbol: "005930", Timeframe: market.Min1, Start: day.Add(9 * time.Hour), Open: 5, High: 5, Low: 5, Close: 5, Volume: 8},
			prices: [4]int64{5, 5, 5, 5},
			vols:   [4]int64{2, 2, 2, 2},
			times:  [4]string{"09:00:00", "09:00:15", "09:00:30", "09:00:45"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ticks := BarTicks(&tc.bar, nil)
			if len(ticks) != 4 {
				t.Fatalf("%d ticks, want 4", len(ticks))
			}
			var vol int64
			for i, tk := range ticks {
				layout := "15:04"
				if len(tc.times[i]) > 5 {
					layout = "15:04:05"
				}
				if tk.Price != tc.prices[i] || tk.Volume != tc.vols[i] || tk.Time.In(market.Seoul).Format(layout) != tc.times[i] {
					t.Errorf("tick %d = %d × %d at %s, want %d × %d at %s", i, tk.Price, tk.Volume,
						tk.Time.In(market.Seoul).Format(layout), tc.prices[i], tc.vols[i], tc.times[i])
				}
				if b := tc.bar.Timeframe.Start(tk.Time); !b.Equal(tc.bar.Start) {
					t.Errorf("tick %d falls in the bucket of %v, not the bar's", i, b)
				}
				vol += tk.Volume
			}
			if vol != tc.bar.Volume {
				t.Errorf("ticks add up to %d shares, bar has %d", vol, tc.bar.Volume)
			}
		})
	}
}
