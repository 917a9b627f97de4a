package reload_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"
	"time"
)

// BenchmarkReloadLatency measures, with ticks streaming in (one a
// millisecond), the time from a save (os.WriteFile of a new version) until
// the new version handles its first tick, over b.N saves, with the
// default 50 ms debounce. It reports the p50, p99 and max in ms; the issue
// asks for p99 under 100 ms. Run it with at least 100 saves:
//
//	go test -run '^$' -bench ReloadLatency -benchtime 150x ./host/reload/
func BenchmarkReloadLatency(b *testing.B) {
	b.ReportAllocs()
	handled := make(chan int, 16)       // versions whose first tick was handled
	batches := make(chan time.Time, 16) // when each watch batch reached the host
	opt := hostOptions{batch: func(at time.Time) { batches <- at }, seen: func(line []byte) {
		if !bytes.Contains(line, []byte(`"message":"first tick"`)) {
			return
		}
		var l struct{ V int }
		if json.Unmarshal(line, &l) == nil {
			handled <- l.V
		}
	}}
	h := newHost(b, map[string]string{"probe.lua": probe("probe", 1)}, opt)
	f := startFeeder(h, time.Millisecond, math.MaxInt64)
	defer f.halt()
	if v := waitHandled(b, handled, 1); v != 1 {
		b.Fatalf("first version %d", v)
	}
	path := h.path("probe.lua")
	var took, watched []time.Duration
	v := 1
	for b.Loop() {
		v++
		src := []byte(probe("probe", v))
		start := time.Now()
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
		if got := waitHandled(b, handled, v); got != v {
			b.Fatalf("saved v%d, v%d handled its first tick", v, got)
		}
		took = append(took, time.Since(start))
		watched = append(watched, (<-batches).Sub(start))
	}
	p50, p99, most := percentiles(took)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p99, "p99-ms")
	b.ReportMetric(most, "max-ms")
	// The watcher's share: save until the settled batch reaches the host.
	p50, p99, _ = percentiles(watched)
	b.ReportMetric(p50, "watch-p50-ms")
	b.ReportMetric(p99, "watch-p99-ms")
}

// percentiles returns the p50, p99 and max of d in milliseconds.
func percentiles(d []time.Duration) (p50, p99, most float64) {
	d = slices.Clone(d)
	slices.Sort(d)
	ms := func(x time.Duration) float64 { return float64(x) / float64(time.Millisecond) }
	return ms(d[len(d)/2]), ms(d[(len(d)*99+99)/100-1]), ms(d[len(d)-1])
}

func waitHandled(b *testing.B, handled <-chan int, v int) int {
	b.Helper()
	select {
	case got := <-handled:
		return got
	case <-time.After(wait):
		b.Fatalf("v%d handled no tick within %v", v, wait)
		return 0
	}
}
