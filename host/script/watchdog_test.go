package script

import (
	"testing"
	"time"
)

func TestOverrun(t *testing.T) {
	const ms = time.Millisecond
	cases := []struct {
		name                string
		wall, observed, cpu time.Duration
		want                bool
	}{
		{"within budget", 150 * ms, 140 * ms, 140 * ms, false},
		{"busy loop", 210 * ms, 190 * ms, 185 * ms, true},
		{"busy loop, two threads", 210 * ms, 190 * ms, 380 * ms, true},
		{"just seen", 210 * ms, 10 * ms, 10 * ms, false},
		{"stalled thread, GC running", 250 * ms, 200 * ms, 90 * ms, false},
		{"stalled too long", 801 * ms, 790 * ms, 5 * ms, true},
		{"no cpu clock", 210 * ms, 190 * ms, -1, true},
		{"slow under load", 600 * ms, 590 * ms, 300 * ms, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := overrun(200*ms, c.wall, c.observed, c.cpu); got != c.want {
				t.Errorf("overrun = %v, want %v", got, c.want)
			}
		})
	}
}
