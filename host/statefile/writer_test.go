package statefile

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/qbtrading/qb/host/script"
)

// slowSaver holds each write until release is closed, or fails while down.
type slowSaver struct {
	mu      sync.Mutex
	release chan struct{}
	down    bool
	saved   map[string][]int64 // versions in the order written
	state   map[string]script.State
}

func (s *slowSaver) SaveVersion(ctx context.Context, name string, st script.State, version int64) error {
	select {
	case <-s.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errors.New("connection refused")
	}
	s.saved[name] = append(s.saved[name], version)
	s.state[name] = st
	return nil
}

func newSlow() *slowSaver {
	return &slowSaver{release: make(chan struct{}), saved: map[string][]int64{}, state: map[string]script.State{}}
}

// Put never waits for a slow target, the local file gets every latest
// state meanwhile, and the slow target writes only the latest, never an
// older one after a newer.
func TestWriterSlowTargetKeepsLatest(t *testing.T) {
	dir := open(t)
	slow := newSlow()
	w := NewWriter(zerolog.Nop(), Target{Name: "state file", Saver: dir}, Target{Name: "store", Saver: slow})
	start := time.Now()
	var last int64
	for i := range 1000 {
		v := w.Put("s", float64(i))
		if v <= last {
			t.Fatalf("version %d after %d", v, last)
		}
		last = v
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("1000 Puts took %v with the store blocked", d)
	}
	for deadline := time.Now().Add(10 * time.Second); w.Written("state file", "s") != last; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the state file never got the latest state while the store was blocked")
		}
	}
	close(slow.release)
	if err := w.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := slow.saved["s"]
	if len(got) == 0 || len(got) > 2 || got[len(got)-1] != last || slow.state["s"] != 999.0 {
		t.Errorf("store wrote versions %v (state %v); want at most the first and the latest %d", got, slow.state["s"], last)
	}
	st, v, ok, err := dir.LoadVersion(t.Context(), "s")
	if err != nil || !ok || st != 999.0 || v != last {
		t.Errorf("state file holds %v version %d (%v, %v); want 999 version %d", st, v, ok, err, last)
	}
}

// With the store down for good, Close returns within its deadline with an
// error naming the strategy, and the local file has the state.
func TestWriterCloseWithTargetDown(t *testing.T) {
	dir := open(t)
	down := newSlow()
	down.down = true
	close(down.release)
	w := NewWriter(zerolog.Nop(), Target{Name: "state file", Saver: dir}, Target{Name: "store", Saver: down})
	w.Floor(time.Now().Add(time.Hour).UnixNano()) // an earlier run's clock was ahead
	v := w.Put("keeper", map[string]any{"bars": 7.0})
	if v <= time.Now().Add(time.Hour).UnixNano()-int64(time.Minute) {
		t.Errorf("version %d is not above the floor", v)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := w.Close(ctx)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v with a 300 ms deadline", d)
	}
	if err == nil || !strings.Contains(err.Error(), "state of keeper not written to the store") ||
		!strings.Contains(err.Error(), "connection refused") {
		t.Errorf("Close = %v", err)
	}
	st, got, ok, err := dir.LoadVersion(t.Context(), "keeper")
	if err != nil || !ok || got != v || st.(map[string]any)["bars"] != 7.0 {
		t.Errorf("state file holds %v version %d (%v, %v)", st, got, ok, err)
	}
}
