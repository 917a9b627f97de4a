package replay

import (
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// dailyOffsets places a daily bar's four ticks inside the regular session.
var dailyOffsets = [4]time.Duration{
	9 * time.Hour,
	11*time.Hour + 10*time.Minute,
	13*time.Hour + 20*time.Minute,
	15*time.Hour + 30*time.Minute,
}

// BarTicks appends the four ticks that stand for bar b (see the package doc).
func BarTicks(b *market.Bar, dst []market.Tick) []market.Tick {
	prices := [4]int64{b.Open, b.Low, b.High, b.Close}
	if b.Close < b.Open {
		prices[1], prices[2] = b.High, b.Low
	}
	part := b.Volume / 4
	for i, p := range prices {
		vol := part
		if i == 3 {
			vol = b.Volume - 3*part
		}
		dst = append(dst, market.Tick{
			Time:   tickTime(b, i),
			Symbol: b.Symbol,
			Price:  p,
			Volume: vol,
			From:   market.BarPoint{Frame: b.Timeframe, Low: b.Low, High: b.High, Open: i == 0},
		})
	}
	return dst
}

func tickTime(b *market.Bar, i int) time.Time {
	start := b.Timeframe.Start(b.Start)
	if b.Timeframe == market.Day1 {
		return start.Add(dailyOffsets[i])
	}
	return start.Add(time.Duration(b.Timeframe) * time.Duration(i) / 4)
}
