package market

import (
	"fmt"
	"time"
)

// Timeframe is the length of a bar. Buckets are aligned in Asia/Seoul,
// which has had no daylight saving since 1988, so a fixed UTC+9 offset
// aligns every timeframe, the 1d one included, without a time zone lookup.
type Timeframe time.Duration

// The timeframes qb builds bars for.
const (
	Sec1  = Timeframe(time.Second)
	Min1  = Timeframe(time.Minute)
	Min3  = Timeframe(3 * time.Minute)
	Min5  = Timeframe(5 * time.Minute)
	Min10 = Timeframe(10 * time.Minute)
	Min15 = Timeframe(15 * time.Minute)
	Min30 = Timeframe(30 * time.Minute)
	Hour1 = Timeframe(time.Hour)
	Day1  = Timeframe(24 * time.Hour)
)

var timeframeNames = []struct {
	name string
	tf   Timeframe
}{
	{"1s", Sec1}, {"1m", Min1}, {"3m", Min3}, {"5m", Min5}, {"10m", Min10},
	{"15m", Min15}, {"30m", Min30}, {"1h", Hour1}, {"1d", Day1},
}

// Timeframes lists every supported timeframe, shortest first.
func Timeframes() []Timeframe {
	out := make([]Timeframe, len(timeframeNames))
	for i, n := range timeframeNames {
		out[i] = n.tf
	}
	return out
}

// ParseTimeframe reads one of 1s, 1m, 3m, 5m, 10m, 15m, 30m, 1h, 1d.
func ParseTimeframe(s string) (Timeframe, error) {
	for _, n := range timeframeNames {
		if n.name == s {
			return n.tf, nil
		}
	}
	return 0, fmt.Errorf("timeframe %q: want one of 1s, 1m, 3m, 5m, 10m, 15m, 30m, 1h, 1d", s)
}

// String returns the short name ("1m"), or the duration for an unknown value.
func (tf Timeframe) String() string {
	for _, n := range timeframeNames {
		if n.tf == tf {
			return n.name
		}
	}
	return time.Duration(tf).String()
}

// Valid reports whether tf is one of the supported timeframes.
func (tf Timeframe) Valid() bool {
	for _, n := range timeframeNames {
		if n.tf == tf {
			return true
		}
	}
	return false
}

// seoulOffset is KST, UTC+9, in seconds.
const seoulOffset = 9 * 60 * 60

// Seoul is the fixed-offset Asia/Seoul zone (KST). It needs no tzdata.
var Seoul = time.FixedZone("KST", seoulOffset)

// Start returns the start of the bucket holding t, aligned in Asia/Seoul.
func (tf Timeframe) Start(t time.Time) time.Time {
	d := int64(tf)
	local := t.UnixNano() + seoulOffset*int64(time.Second)
	r := local % d
	if r < 0 {
		r += d
	}
	return time.Unix(0, t.UnixNano()-r).In(Seoul)
}

// End returns the instant the bucket holding t closes (exclusive).
func (tf Timeframe) End(t time.Time) time.Time {
	return tf.Start(t).Add(time.Duration(tf))
}
