package sim

import (
	"context"
	"time"

	"github.com/qbtrading/qb/lib/krx"
	"github.com/qbtrading/qb/lib/market"
)

// DefaultPace is the wall time a full regular session (09:00–15:30, six
// and a half market hours) takes under Run with pace 0: a 30× speed-up,
// so a one-minute bar closes every 2 wall seconds and, at the default tick
// interval, about 30 ticks arrive a wall second.
const DefaultPace = 13 * time.Minute

// regularSession is the market time Run's pace refers to.
const regularSession = krx.RegularClose - krx.RegularOpen

// maxLag is how far Run may fall behind its schedule (a slow consumer)
// before it forgets the missed time instead of sending a burst to catch up.
const maxLag = time.Second

// Run sends the ticks of Next on out, paced in wall time so that a regular
// session takes pace (0 means DefaultPace; a negative pace sends as fast
// as out takes them). The night between two sessions takes no wall time.
// Run returns ctx.Err() when ctx is done; it never closes out.
func (s *Sim) Run(ctx context.Context, out chan<- market.Tick, pace time.Duration) error {
	if pace == 0 {
		pace = DefaultPace
	}
	var gap time.Duration // wall time between two ticks
	if pace > 0 {
		gap = time.Duration(float64(s.interval) * float64(pace) / float64(regularSession))
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	due := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		t := s.Next()
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-timer.C:
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case out <- t:
		}
		due = due.Add(gap)
		if now := time.Now(); now.Sub(due) > maxLag {
			due = now
		}
	}
}
