package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkSaveToChange measures the time from the start of a save to the
// Change arriving on the channel, with the default 50 ms debounce; run it
// with -benchtime=200x for p50/p99 over 200 saves.
func BenchmarkSaveToChange(b *testing.B) {
	saves := []struct {
		name string
		save func(path string, src []byte) error
	}{
		{"in_place", func(path string, src []byte) error { return os.WriteFile(path, src, 0o644) }},
		{"rename_over", func(path string, src []byte) error {
			if err := os.WriteFile(path+".tmp", src, 0o644); err != nil {
				return err
			}
			return os.Rename(path+".tmp", path)
		}},
		{"vim", func(path string, src []byte) error {
			if err := os.Rename(path, path+"~"); err != nil {
				return err
			}
			if err := os.WriteFile(path, src, 0o644); err != nil {
				return err
			}
			return os.Remove(path + "~")
		}},
	}
	for _, s := range saves {
		b.Run(s.name, func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "a.lua")
			if err := os.WriteFile(path, []byte("-- v0\n"), 0o644); err != nil {
				b.Fatal(err)
			}
			w, err := Open(context.Background(), dir, Options{Poll: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			var lat []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				src := fmt.Appendf(nil, "-- v%d\nreturn {name='a'}\n", len(lat)+1)
				start := time.Now()
				if err := s.save(path, src); err != nil {
					b.Fatal(err)
				}
				waitFor(b, w, path, src)
				lat = append(lat, time.Since(start))
			}
			reportLatency(b, lat)
		})
	}
}

func waitFor(b *testing.B, w *Watcher, path string, src []byte) {
	for {
		select {
		case batch := <-w.Changes():
			for _, c := range batch {
				if c.Path == path && string(c.Src) == string(src) {
					return
				}
			}
		case <-time.After(wait):
			b.Fatalf("no change within %v", wait)
		}
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "max-ms")
}
