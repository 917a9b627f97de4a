package script

import (
	"testing"
	"time"
)

func TestOverrun(t *testing.T) {
	const ms = time.Millisecond
	cases := []struct {
		name                     string
		wall, before, cpu0, cpu1 time.Duration
		want                     bool
	}{
		{"within budget", 150 * ms, 10 * ms, 0, 140 * ms, false},
		{"busy loop", 210 * ms, 40 * ms, 1000 * ms, 1180 * ms, true},
		{"stalled thread", 250 * ms, 1 * ms, 1000 * ms, 1005 * ms, false},
		{"stalled too long", 801 * ms, 1 * ms, 1000 * ms, 1005 * ms, true},
		{"no cpu clock", 210 * ms, 1 * ms, -1, -1, true},
		{"slow under load", 600 * ms, 10 * ms, 1000 * ms, 1200 * ms, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := overrun(200*ms, c.wall, c.before, c.cpu0, c.cpu1); got != c.want {
				t.Errorf("overrun = %v, want %v", got, c.want)
			}
		})
	}
}
