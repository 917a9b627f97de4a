package stats

import "time"

// maxDrawdown returns the deepest fall from a running peak, as a fraction of
// the peak, and the time from that peak to recovery (or to the last point);
// points out of time order (see Validate) cannot make the time negative.
func maxDrawdown(eq []Point) (depth float64, dur time.Duration) {
	peak, peakAt := eq[0].Equity, eq[0].Time
	var cur float64 // depth of the drawdown under way; 0 at a peak
	for _, p := range eq {
		if p.Equity >= peak {
			if cur > depth {
				depth, dur = cur, max(0, p.Time.Sub(peakAt))
			}
			peak, peakAt, cur = p.Equity, p.Time, 0
			continue
		}
		if peak > 0 {
			cur = max(cur, float64(peak-p.Equity)/float64(peak))
		}
	}
	if cur > depth { // never recovered: the drawdown lasts to the end
		depth, dur = cur, max(0, eq[len(eq)-1].Time.Sub(peakAt))
	}
	return depth, dur
}
