package stats

import (
	"math"
	"time"
)

// year is the calendar year CAGR annualises by.
const year = 365.25 * 24 * float64(time.Hour)

// finite returns v, or 0 when v is NaN or ±Inf (JSON holds neither).
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func totalReturn(first, last int64) float64 {
	if first <= 0 {
		return 0
	}
	return float64(last)/float64(first) - 1
}

func cagr(first, last Point) float64 {
	span := float64(last.Time.Sub(first.Time))
	switch {
	case span <= 0 || first.Equity <= 0:
		return 0
	case last.Equity <= 0:
		return -1
	}
	ratio := float64(last.Equity) / float64(first.Equity)
	return finite(math.Pow(ratio, year/span) - 1)
}

// seoulDay numbers the Asia/Seoul calendar date holding t (days since
// 1970-01-01 KST). KST has a fixed UTC+9 offset since 1988.
func seoulDay(t time.Time) int64 {
	s := t.Unix() + 9*60*60
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// dailyReturns returns the return of each Seoul date's close (its last
// point) against the previous close, the first point being the base.
func dailyReturns(eq []Point) []float64 {
	var rets []float64
	prev := eq[0].Equity
	for i := 1; i < len(eq); i++ {
		if i+1 < len(eq) && seoulDay(eq[i+1].Time) == seoulDay(eq[i].Time) {
			continue // not the date's last point
		}
		r := 0.0
		if prev > 0 {
			r = float64(eq[i].Equity)/float64(prev) - 1
		}
		rets = append(rets, r)
		prev = eq[i].Equity
	}
	return rets
}

// sharpeSortino annualises the daily returns rets against the daily
// risk-free rate rf. The standard deviation is taken over rets themselves,
// which equals that of the excess returns and stays exactly 0 for flat
// equity.
func sharpeSortino(rets []float64, rf float64) (sharpe, sortino float64) {
	n := float64(len(rets))
	if len(rets) < 2 {
		return 0, 0
	}
	var sum float64
	for _, r := range rets {
		sum += r
	}
	mean := sum / n
	var sq, down float64
	for _, r := range rets {
		sq += (r - mean) * (r - mean)
		if e := r - rf; e < 0 {
			down += e * e
		}
	}
	excess := mean - rf
	ann := math.Sqrt(TradingDays)
	if sd := math.Sqrt(sq / (n - 1)); sd > 0 {
		sharpe = finite(excess / sd * ann)
	}
	if dd := math.Sqrt(down / n); dd > 0 {
		sortino = finite(excess / dd * ann)
	}
	return sharpe, sortino
}
